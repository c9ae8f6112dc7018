"""No service imports another, libraries import no service, and the `baton` command line
imports only libraries: what libs/ holds is all that one part may share with another."""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICE_PACKAGES = {f"baton_{path.name}" for path in (ROOT / "services").iterdir() if path.is_dir()}


def imported_packages(folder: Path) -> Iterator[tuple[Path, str]]:
    for source in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                yield source.relative_to(ROOT), name.split(".")[0]


@pytest.mark.parametrize(
    "folder", sorted(p for p in (ROOT / "libs").iterdir() if p.is_dir()), ids=lambda p: p.name
)
def test_a_library_imports_no_service(folder: Path) -> None:
    found = [(str(path), package) for path, package in imported_packages(folder)]
    assert [hit for hit in found if hit[1] in SERVICE_PACKAGES] == []


def test_the_command_line_imports_no_service() -> None:
    found = [(str(path), package) for path, package in imported_packages(ROOT / "tools")]
    assert [hit for hit in found if hit[1] in SERVICE_PACKAGES] == []


@pytest.mark.parametrize(
    "folder", sorted(p for p in (ROOT / "services").iterdir() if p.is_dir()), ids=lambda p: p.name
)
def test_a_service_imports_no_other_service(folder: Path) -> None:
    own = f"baton_{folder.name}"
    found = [(str(path), package) for path, package in imported_packages(folder)]
    assert [hit for hit in found if hit[1] in SERVICE_PACKAGES - {own}] == []
