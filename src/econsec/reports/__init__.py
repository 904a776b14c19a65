"""Board reports: data assembly (pure), HTML (templates), PDF (ReportLab) and xlsx exports."""
