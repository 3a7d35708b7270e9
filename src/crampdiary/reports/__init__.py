"""Reports layer: ReportLab documents built from plain data; no Qt, no database."""
