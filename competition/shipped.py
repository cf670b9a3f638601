"""Where the folders that ship with Podium are: ``templates``, ``static``, ``scoring_schemes``.

In the repository they live at the top level, beside the package. A wheel carries them inside
the package (``competition/templates`` …, mapped by ``[tool.setuptools.package-dir]`` in
pyproject.toml), since nothing beside site-packages' ``competition/`` belongs to Podium.
A source checkout and an editable install find them beside the package, an installed wheel
inside it. Only the standard library here: the pure scoring core imports this.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def shipped_folder(name: str) -> Path:
    """The shipped folder ``name``: inside the package when installed from a wheel, else beside it.

    >>> shipped_folder("scoring_schemes").is_dir()
    True
    """
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name
