"""Scale benchmark of the exposure analytics (run: python -m benchmarks.exposure_scale)."""
