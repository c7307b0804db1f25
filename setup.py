"""Only the package list lives here; everything else is in pyproject.toml.

``resources/`` sits at the top of the repository (ARCHITECTURE.md section 2) but is installed
as ``inbox_app.resources`` so ``importlib.resources`` finds it frozen and unfrozen; the
pyproject ``packages.find`` table cannot add a renamed folder to what it finds.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["inbox_app", "inbox_app.*"]), "inbox_app.resources"])
