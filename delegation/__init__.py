"""Delegation Desk: registrations for a business delegation, from forms to DuckDB to dashboards."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project folder: app.py, queries/ and data/ live here."""

__version__ = "0.1.0"
