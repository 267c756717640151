"""Reading spreadsheets into the models (no Qt). Filled in by the import issues."""
