"""The value chain: model, workbook schema, intake, compile step and generators."""
