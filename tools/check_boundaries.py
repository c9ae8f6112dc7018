"""Checks the contracts between Baton's packages that ruff and mypy cannot see.

- A service imports no other service: services share only libs/.
- Libraries and tools/ import no service.
- No Redis key or channel is spelled outside libs/contracts: a string such as `"mode:"` or
  `f"{prefix}staff-online:{account_id}"` in a service is a contract nobody can see.

Usage: check_boundaries.py [ROOT]; prints one line per violation and exits 1 if there is any.
"""

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SERVICE_PACKAGES = frozenset(
    {"baton_gateway", "baton_agent", "baton_handoff", "baton_inbox", "baton_ingest"}
)
# Where Redis keys may be spelled: the one library that defines them.
KEY_HOME = Path("libs/contracts")
SCANNED = ("services", "libs", "tools")
# `word:` or `word-word:` alone, as a key prefix is written; URL schemes are not keys.
KEY_PREFIX = re.compile(r"^[a-z][a-z0-9_-]*:$")
NOT_KEYS = frozenset({"http:", "https:", "mailto:", "data:", "file:", "javascript:"})


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _owner(path: Path) -> str | None:
    """The service package a file belongs to (services/<svc>/baton_<svc>/...), else None."""
    parts = path.parts
    if len(parts) > 2 and parts[0] == "services" and parts[2] in SERVICE_PACKAGES:
        return parts[2]
    return None


def _imported_roots(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module.split(".")[0]


def _key_literals(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """String constants shaped like a Redis key prefix, alone or as part of an f-string."""
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            values = node.values
            for index, part in enumerate(values):
                if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                    continue
                followed_by_value = index + 1 < len(values) and isinstance(
                    values[index + 1], ast.FormattedValue
                )
                # The prefix may come first: f"{prefix}mode:{thread_id}".
                fragment = part.value.rsplit("}", 1)[-1]
                if followed_by_value and KEY_PREFIX.match(fragment) and fragment not in NOT_KEYS:
                    yield node.lineno, fragment
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            for side in (node.left, node.right):
                if (
                    isinstance(side, ast.Constant)
                    and isinstance(side.value, str)
                    and KEY_PREFIX.match(side.value)
                    and side.value not in NOT_KEYS
                ):
                    yield node.lineno, side.value


def check_file(root: Path, path: Path) -> list[Violation]:
    relative = path.relative_to(root)
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
    except SyntaxError as error:
        return [Violation(relative, error.lineno or 0, f"does not parse: {error.msg}")]
    owner = _owner(relative)
    found: list[Violation] = []
    for line, imported in _imported_roots(tree):
        if imported in SERVICE_PACKAGES and imported != owner:
            where = f"service {owner}" if owner else f"{relative.parts[0]}/"
            found.append(Violation(relative, line, f"{where} imports service {imported}"))
    if relative.parts[0] == "services" or not relative.is_relative_to(KEY_HOME):
        for line, key in _key_literals(tree):
            found.append(
                Violation(
                    relative, line, f"Redis key {key!r} spelled here: define it in {KEY_HOME}"
                )
            )
    return found


def check_tree(root: Path) -> list[Violation]:
    violations: list[Violation] = []
    for top in SCANNED:
        for path in sorted((root / top).rglob("*.py")):
            if ".venv" in path.parts or "node_modules" in path.parts:
                continue
            violations.extend(check_file(root, path))
    return violations


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1]
    violations = check_tree(root)
    for violation in violations:
        sys.stderr.write(f"{violation}\n")
    if violations:
        sys.stderr.write(f"check_boundaries: {len(violations)} violation(s)\n")
        return 1
    sys.stdout.write("check_boundaries: services, libs and tools keep their boundaries\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
