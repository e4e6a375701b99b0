"""What `pip install .` installs (the README's first command), not what the checkout holds.

The tests run against an editable install, which maps `tongket.*` straight onto the checkout's
folders, so a package missing from `[tool.setuptools] packages` still imports here and only
breaks for users who install normally. These tests build the wheel a normal install unpacks
and run tongket from that copy alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
#: Import package → checkout folder ("tongket.core" → "core").
PACKAGE_DIRS: dict[str, str] = SETUPTOOLS["package-dir"]


def _source_files() -> dict[str, Path]:
    """Every file a normal install must carry, by its path inside the wheel."""
    files = {}
    for package, folder in PACKAGE_DIRS.items():
        base = ROOT / folder
        for path in base.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                inside = "/".join((*package.split("."), *path.relative_to(base).parts))
                files[inside] = path
    return files


def test_every_folder_with_modules_is_listed_as_a_package() -> None:
    """A sub-package left out of `packages` is silently missing from `pip install .`."""
    listed = set(SETUPTOOLS["packages"])
    # "tongket/core/commands/diff.py" in the wheel is a module of "tongket.core.commands".
    needed = {
        inside.rpartition("/")[0].replace("/", ".")
        for inside in _source_files()
        if inside.endswith(".py")
    }
    assert needed - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - needed == set(), "listed in pyproject.toml but not in the checkout"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip install .` would build, built from a copy so the checkout stays clean."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for folder in PACKAGE_DIRS.values():
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    dist = tmp_path_factory.mktemp("dist")
    build = "import sys, setuptools.build_meta as backend; print(backend.build_wheel(sys.argv[1]))"
    done = subprocess.run(
        [sys.executable, "-c", build, str(dist)],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dist / done.stdout.strip().splitlines()[-1]


def test_the_wheel_carries_every_module_and_data_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(
            archive.read(name).decode() for name in names if name.endswith("/entry_points.txt")
        )
    missing = sorted(set(_source_files()) - names)
    assert missing == [], "a normal install would lack these files"
    assert "tongket = tongket.core.cli:main" in entry_points


def test_the_installed_copy_alone_imports_every_module_and_exports_the_sample(
    wheel: Path, tmp_path: Path
) -> None:
    """Unpacked as pip installs it. `python -S` skips the `.pth` files, so the editable install's
    finder cannot supply a module the wheel lacks; the dependencies come from site-packages."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    sample = site / "tongket" / "sample_data" / "quang-ngai-sct-2021.toml"
    target = tmp_path / "bao-cao.docx"
    script = f"""
import importlib, pkgutil, sys
site = {str(site)!r}
for package in {sorted(PACKAGE_DIRS)!r}:
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        importlib.import_module(info.name)
from tongket.core.cli import main
code = main(["export", {str(sample)!r}, "-o", {str(target)!r}])
for name, module in list(sys.modules.items()):
    if name.startswith("tongket.") and getattr(module, "__file__", None):
        assert module.__file__.startswith(site), (name, module.__file__)
sys.exit(code)
"""
    paths = dict.fromkeys([str(site), sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run(
        [sys.executable, "-S", "-c", script],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with zipfile.ZipFile(target) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "Kính gửi" in body
    assert "ngày 02 tháng 4 năm 2021" in body
