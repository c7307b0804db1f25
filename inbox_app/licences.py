"""The licence texts the PyInstaller bundle carries (``build.spec``, issue 13).

Every Python distribution the bundle ships brings its licence text along, under
``_internal/licenses/<distribution>/``: the files its metadata names (``License-File``, PEP
639), else those its ``.dist-info`` folder holds, else :data:`EXTRA_LICENCES`; plus the app's
own licence and Python's. Used at build time; imports nothing of the project but
:mod:`inbox_app.bundle`.
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from inbox_app.bundle import CHECKOUT_RESOURCES, resource_folder

if TYPE_CHECKING:
    from importlib.metadata import Distribution

#: Where the bundle keeps the licence texts of what it carries, one folder per distribution.
LICENCE_FOLDER = "licenses"
#: Texts for distributions whose metadata carries none: the PySide6 and shiboken6 wheels
#: ship no licence file. They are used under the LGPLv3, which is the GPLv3 plus additional
#: permissions, so both texts go with them (``resources/licenses``, the FSF's texts).
EXTRA_LICENCES = {
    "pyside6-essentials": ("LGPL-3.0.txt", "GPL-3.0.txt"),
    "shiboken6": ("LGPL-3.0.txt", "GPL-3.0.txt"),
}


def top_level_names(entries: list[str]) -> set[str]:
    """The top-level import names of bundled modules (dotted names) and files (paths in the
    bundle: ``numpy/core/x.so``, ``numpy.libs/y.so``, ``_cffi_backend.cpython-311-….so``)."""
    names = set()
    for entry in entries:
        first = PurePosixPath(entry.replace("\\", "/")).parts[0] if "/" in entry or \
            "\\" in entry else entry
        first = first.split(".")[0] if not first.endswith(".libs") else first[:-5]
        names.add(first)
    return names


def bundled_distributions(names: set[str]) -> dict[str, list[tuple[Path, PurePosixPath]]]:
    """The installed distributions that provide any of the top-level import ``names``, by
    their normalised name, with their licence files (each with its path in the licence
    folder: ``numpy/random/LICENSE.md`` and ``LICENSE.txt`` are different texts).

    The files are those the metadata names (``License-File``, PEP 639), else those in the
    ``.dist-info`` folder named like a licence, else :data:`EXTRA_LICENCES`. A distribution
    without any is an error: the bundle must not carry code without its licence.
    """
    from importlib import metadata

    provided = metadata.packages_distributions()
    found: dict[str, list[tuple[Path, PurePosixPath]]] = {}
    for name in sorted(names):
        for dist_name in provided.get(name, []):
            key = normalise(dist_name)
            if key not in found:
                found[key] = _licence_files(metadata.distribution(dist_name))
    return found


def normalise(name: str) -> str:
    """A distribution's name as the licence folder spells it (PEP 503: ``pyside6-essentials``)."""
    return name.lower().replace("_", "-").replace(".", "-")


def _licence_files(dist: Distribution) -> list[tuple[Path, PurePosixPath]]:
    name = normalise(dist.metadata["Name"])
    inside = [PurePosixPath(str(f)) for f in dist.files or [] if ".dist-info" in str(f)]

    def relative(path: PurePosixPath) -> PurePosixPath:
        parts = path.parts
        after = parts.index("licenses") + 1 if "licenses" in parts else len(parts) - 1
        return PurePosixPath(*parts[after:])

    named = set(dist.metadata.get_all("License-File") or [])
    chosen = [f for f in inside if str(relative(f)) in named]
    if not chosen:  # an older wheel that lists none: what its .dist-info holds
        chosen = [f for f in inside if f.name.upper().startswith(("LICEN", "COPYING", "NOTICE"))]
    found = [(Path(str(dist.locate_file(f))), relative(f)) for f in chosen]
    if not found and name in EXTRA_LICENCES:
        found = [(resource_folder() / "licenses" / text, PurePosixPath(text))
                 for text in EXTRA_LICENCES[name]]
    found = [(path, rel) for path, rel in found if path.is_file()]
    if not found:
        raise RuntimeError(f"no licence text found for {dist.metadata['Name']}: add one to "
                           "EXTRA_LICENCES (inbox_app/bundle.py)")
    return found


def licence_files(entries: list[str]) -> list[tuple[str, str]]:
    """``(source file, destination folder)`` pairs for ``Analysis.datas``: the licence texts
    of every distribution the bundle carries (``entries``: its modules and files), of the
    app, and of Python, under ``licenses/<distribution>/``."""
    names = top_level_names(entries) - {"inbox_app"}  # the app's own: LICENSE, below
    pairs = [(str(path), str(PurePosixPath(LICENCE_FOLDER, name, rel.parent)))
             for name, files in bundled_distributions(names).items() for path, rel in files]
    pairs.append((str(CHECKOUT_RESOURCES.parent / "LICENSE"), f"{LICENCE_FOLDER}/inbox-app"))
    python = Path(sys.base_prefix, "lib", f"python{sys.version_info[0]}.{sys.version_info[1]}",
                  "LICENSE.txt")
    if python.is_file():
        pairs.append((str(python), f"{LICENCE_FOLDER}/python"))
    return sorted(set(pairs))
