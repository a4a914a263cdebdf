"""Interchange: khronika NDJSON v1 and CSV, import and export."""

from khronika.interchange.exporter import export_header, export_records
from khronika.interchange.importer import ImportReport, import_records
from khronika.interchange.ndjson import read_ndjson, write_ndjson

__all__ = [
    "ImportReport",
    "export_header",
    "export_records",
    "import_records",
    "read_ndjson",
    "write_ndjson",
]
