"""What the wheel carries (the full check, building and installing it, is .ci/wheel-check)."""

from __future__ import annotations

import tomllib

from competition import shipped
from tests.conftest import ROOT

SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_folder_of_python_code_in_the_package_is_listed_for_the_wheel():
    folders = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "competition").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert folders - set(SETUPTOOLS["packages"]) == set()


def test_the_shipped_folders_are_mapped_into_the_package():
    mapped = SETUPTOOLS["package-dir"]
    for name in ("templates", "static", "scoring_schemes"):
        assert mapped[f"competition.{name}"] == name and (ROOT / name).is_dir()
        assert f"competition.{name}" in SETUPTOOLS["packages"] and SETUPTOOLS["package-data"][f"competition.{name}"]


def test_shipped_folder_beside_the_package_in_a_checkout_inside_it_when_installed(tmp_path, monkeypatch):
    assert shipped.shipped_folder("templates") == ROOT / "templates"
    installed = tmp_path / "site-packages" / "competition"
    (installed / "templates").mkdir(parents=True)
    monkeypatch.setattr(shipped, "PACKAGE", installed)
    assert shipped.shipped_folder("templates") == installed / "templates"


def test_the_fonts_and_colour_profile_every_pdf_embeds_ship_in_the_wheel_with_their_licences():
    from fnmatch import fnmatch

    assets = ROOT / "competition" / "certificates" / "assets"
    patterns = SETUPTOOLS["package-data"]["competition.certificates"]
    files = {path.name for path in assets.iterdir() if path.is_file()}
    assert {"LiberationSerif-Bold.ttf", "LiberationSans-Regular.ttf", "wqy-microhei.ttc", "sRGB.icc", "LICENSE-OFL-1.1.txt",
            "LICENSE-Apache-2.0.txt", "README.md"} <= files
    assert [name for name in files if not any(fnmatch(f"assets/{name}", pattern) for pattern in patterns)] == []
