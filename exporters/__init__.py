"""Writing workbooks and reports from the models (no Qt). Filled in by the export issues."""
