"""``python -m inbox_app``: the same as ``inbox-app`` (and the PyInstaller bundle's entry)."""

import sys

from inbox_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
