"""The app's own workbook format (sheets, columns, cell codec, long text), shared by the
exporters that write it and the importers that read it back."""
