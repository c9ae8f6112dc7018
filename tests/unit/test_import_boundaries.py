"""tools/check_boundaries.py: it fails on each kind of violation planted in a small tree, passes
a clean one, and passes on this repository (what `.ci/run` checks)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "tools" / "check_boundaries.py"


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECKER), str(root)], capture_output=True, text=True, check=False
    )


@pytest.fixture
def clean_tree(tmp_path: Path) -> Path:
    _write(
        tmp_path,
        "services/agent/baton_agent/handlers.py",
        "from baton_agent.domain import decide\nfrom baton_contracts.redis_keys import mode_key\n",
    )
    _write(
        tmp_path,
        "libs/contracts/baton_contracts/redis_keys.py",
        'def mode_key(prefix: str, thread_id: str) -> str:\n    return f"{prefix}mode:{thread_id}"\n',
    )
    _write(tmp_path, "tools/cli/baton_cli/main.py", "import baton_answering\n")
    return tmp_path


def test_a_clean_tree_passes(clean_tree: Path) -> None:
    result = _check(clean_tree)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("relative", "source", "expected"),
    [
        (
            "services/agent/baton_agent/leak.py",
            "from baton_handoff.domain import decide\n",
            "service baton_agent imports service baton_handoff",
        ),
        (
            "services/inbox/baton_inbox/leak.py",
            "import baton_ingest.pipeline\n",
            "service baton_inbox imports service baton_ingest",
        ),
        ("tools/cli/baton_cli/leak.py", "from baton_agent import answering\n", "tools/ imports"),
        ("libs/events/baton_events/leak.py", "import baton_gateway\n", "libs/ imports"),
        (
            "services/gateway/baton_gateway/leak.py",
            'def key(prefix: str, t: str) -> str:\n    return f"{prefix}thread-live:{t}"\n',
            "Redis key 'thread-live:'",
        ),
        (
            "services/handoff/baton_handoff/leak.py",
            'def key(t: str) -> str:\n    return "mode:" + t\n',
            "Redis key 'mode:'",
        ),
    ],
)
def test_a_planted_violation_fails(
    clean_tree: Path, relative: str, source: str, expected: str
) -> None:
    _write(clean_tree, relative, source)
    result = _check(clean_tree)
    assert result.returncode == 1
    assert expected in result.stderr
    assert relative in result.stderr


def test_urls_and_log_text_are_not_keys(clean_tree: Path) -> None:
    _write(
        clean_tree,
        "services/inbox/baton_inbox/urls.py",
        'def url(host: str, port: int) -> str:\n    return f"http:{host}:{port}" + "note: fine"\n',
    )
    assert _check(clean_tree).returncode == 0


def test_this_repository_keeps_its_boundaries() -> None:
    result = _check(ROOT)
    assert result.returncode == 0, result.stderr
