"""The schema's history: Alembic revisions, one file per schema change (``versions/``).

The scripts ship as files (package data, and data files of the PyInstaller bundle) because
Alembic loads them by path, not by import. :data:`VERSION_LOCATIONS` is the list of folders
Alembic reads revisions from; only tests add one (a throw-away revision on top of the head).
"""

from __future__ import annotations

from pathlib import Path

#: The Alembic script folder (``env.py``, ``script.py.mako``, ``versions/``).
SCRIPT_FOLDER = Path(__file__).resolve().parent
#: Folders holding revision files.
VERSION_LOCATIONS: list[Path] = [SCRIPT_FOLDER / "versions"]
#: The revision of the schema of the release before migrations existed (release 0): a
#: database with the tables but no ``alembic_version`` table is at this revision.
BASELINE = "0001"
