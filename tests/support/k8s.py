"""The Kubernetes manifests as tests see them: deploy/k8s/config_env.py loaded by path (deploy/
is not a package) and each overlay rendered by the pinned kustomize that
deploy/k8s/install_tools.sh puts in .baton/bin."""

import importlib.util
import secrets
import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from tests.support.isolated import ROOT

K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("minimal", "production")
KUSTOMIZE_VERSION = "v5.8.2"


def config_env_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("baton_k8s_config_env", K8S / "config_env.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def kustomize() -> str | None:
    """The pinned kustomize, or None (the caller skips, saying how to install it)."""
    pinned = ROOT / ".baton" / "bin" / "kustomize"
    candidate = str(pinned) if pinned.exists() else shutil.which("kustomize")
    if candidate is None:
        return None
    version = subprocess.run([candidate, "version"], capture_output=True, text=True).stdout
    return candidate if KUSTOMIZE_VERSION in version else None


def render(binary: str, overlay: str, scratch: Path) -> list[dict[str, Any]]:
    """Build a copy of deploy/k8s, with a fresh secrets.env where the overlay generates one
    (it is git-ignored: an operator runs make-secrets.sh)."""
    copy = scratch / "k8s"
    shutil.copytree(K8S, copy, ignore=shutil.ignore_patterns("secrets.env", "__pycache__"))
    overlay_dir = copy / "overlays" / overlay
    if (overlay_dir / "make-secrets.sh").exists():
        (overlay_dir / "secrets.env").write_text(
            f"BATON_TOKEN_SECRET={secrets.token_hex(32)}\n"
            f"BATON_INGEST_API_TOKEN={secrets.token_hex(32)}\n"
        )
    built = subprocess.run(
        [binary, "build", str(overlay_dir)], capture_output=True, text=True, check=True
    )
    return [doc for doc in yaml.safe_load_all(built.stdout) if doc]
