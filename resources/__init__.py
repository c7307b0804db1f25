"""Icons, the stylesheet and the translations of the desktop app (data only, nothing runs).

Installed as the package ``inbox_app.resources`` (pyproject.toml ``package-dir``), so the code
finds these files through ``importlib.resources`` the same way from source, from an editable
install and frozen under PyInstaller.
"""
