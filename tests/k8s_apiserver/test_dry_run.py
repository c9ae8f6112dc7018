"""Every overlay of deploy/k8s, sent to a real kube-apiserver 1.35 (with etcd) as a server-side
dry run with strict field validation, in the overlay's own namespace, which enforces the
`restricted` Pod Security level: zero errors, zero warnings.

Run by `make k8s-apiserver-check`, which builds the servers first (deploy/k8s/apiserver/build.sh):
not part of `make test`, whose time a cold kube-apiserver build would double."""

import json
import secrets
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.support.isolated import ROOT, free_port
from tests.support.k8s import OVERLAYS, kustomize, render

pytestmark = pytest.mark.k8s_apiserver

SERVERS = ROOT / ".baton" / "k8s"
# Installed for real first: the dry run of a custom resource needs its definition.
CRDS = (
    "keda.sh_scaledobjects.yaml",
    "keda.sh_triggerauthentications.yaml",
    "monitoring.coreos.com_servicemonitors.yaml",
)


@dataclass
class ApiServer:
    client: httpx.Client
    resources: dict[tuple[str, str], tuple[str, bool]]  # (apiVersion, kind) -> (path, namespaced)

    def discover(self) -> None:
        groups = [("v1", "/api/v1")]
        for group in self.client.get("/apis").json()["groups"]:
            for version in group["versions"]:
                groups.append((version["groupVersion"], f"/apis/{version['groupVersion']}"))
        for api_version, path in groups:
            for resource in self.client.get(path).json()["resources"]:
                if "/" not in resource["name"]:
                    key = (api_version, resource["kind"])
                    self.resources[key] = (f"{path}/{resource['name']}", resource["namespaced"])

    def url(self, doc: dict[str, Any]) -> str:
        path, namespaced = self.resources[(doc["apiVersion"], doc["kind"])]
        if namespaced:
            group_path, plural = path.rsplit("/", 1)
            return f"{group_path}/namespaces/{doc['metadata']['namespace']}/{plural}"
        return path

    def create(self, doc: dict[str, Any], *, dry_run: bool) -> httpx.Response:
        params = {"fieldValidation": "Strict"} | ({"dryRun": "All"} if dry_run else {})
        return self.client.post(self.url(doc), params=params, json=doc)


def _wait_ready(client: httpx.Client, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            if client.get("/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"kube-apiserver never ready: {log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def apiserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    for binary in ("etcd", "kube-apiserver"):
        assert (SERVERS / "bin" / binary).exists(), "run deploy/k8s/apiserver/build.sh first"
    work = tmp_path_factory.mktemp("apiserver")
    etcd_port, peer_port, api_port = free_port(), free_port(), free_port()
    token = secrets.token_hex(16)
    (work / "tokens.csv").write_text(f'{token},baton-check,baton-check,"system:masters"\n')
    subprocess.run(["openssl", "genrsa", "-out", str(work / "sa.key"), "2048"], check=True)
    subprocess.run(
        ["openssl", "rsa", "-in", str(work / "sa.key"), "-pubout", "-out", str(work / "sa.pub")],
        check=True,
        capture_output=True,
    )
    etcd_log, api_log = (work / "etcd.log").open("wb"), work / "kube-apiserver.log"
    etcd = subprocess.Popen(
        [
            str(SERVERS / "bin" / "etcd"),
            f"--data-dir={work / 'etcd'}",
            f"--listen-client-urls=http://127.0.0.1:{etcd_port}",
            f"--advertise-client-urls=http://127.0.0.1:{etcd_port}",
            f"--listen-peer-urls=http://127.0.0.1:{peer_port}",
            f"--initial-advertise-peer-urls=http://127.0.0.1:{peer_port}",
            f"--initial-cluster=default=http://127.0.0.1:{peer_port}",
        ],
        stdout=etcd_log,
        stderr=subprocess.STDOUT,
    )
    api = subprocess.Popen(
        [
            str(SERVERS / "bin" / "kube-apiserver"),
            f"--etcd-servers=http://127.0.0.1:{etcd_port}",
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            f"--secure-port={api_port}",
            f"--cert-dir={work / 'certs'}",
            f"--token-auth-file={work / 'tokens.csv'}",
            "--authorization-mode=RBAC",
            f"--service-account-key-file={work / 'sa.pub'}",
            f"--service-account-signing-key-file={work / 'sa.key'}",
            "--service-account-issuer=https://kubernetes.default.svc",
            "--service-cluster-ip-range=10.96.0.0/12",
        ],
        stdout=api_log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    client = httpx.Client(
        base_url=f"https://127.0.0.1:{api_port}",
        headers={"Authorization": f"Bearer {token}"},
        verify=False,  # its own self-signed serving certificate, on loopback
        timeout=30,
    )
    try:
        _wait_ready(client, api, api_log)
        server = ApiServer(client, {})
        for name in CRDS:
            crd = yaml.safe_load((SERVERS / "crds" / name).read_text())
            created = client.post(
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", json=crd
            )
            assert created.status_code == 201, created.text
        _wait_established(client, len(CRDS))
        server.discover()
        yield server
    finally:
        client.close()
        for process in (api, etcd):
            process.terminate()
            process.wait(timeout=30)


def _wait_established(client: httpx.Client, count: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        items = client.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions").json()
        established = [
            crd
            for crd in items["items"]
            for condition in (crd.get("status") or {}).get("conditions") or []
            if condition["type"] == "Established" and condition["status"] == "True"
        ]
        if len(established) >= count:
            return
        time.sleep(0.5)
    raise AssertionError("custom resource definitions never established")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_api_server_takes_every_resource_without_a_warning(
    apiserver: ApiServer, overlay: str, tmp_path: Path
) -> None:
    binary = kustomize()
    assert binary, "run deploy/k8s/install_tools.sh first"
    docs = render(binary, overlay, tmp_path)
    namespaces = [doc for doc in docs if doc["kind"] == "Namespace"]
    assert namespaces, "the overlay creates its namespace"
    for namespace in namespaces:
        labels = namespace["metadata"].get("labels", {})
        assert labels.get("pod-security.kubernetes.io/enforce") == "restricted"
        # Created for real: the namespaced resources are dry-run inside it.
        created = apiserver.create(namespace, dry_run=False)
        assert created.status_code in (201, 409), created.text

    problems: list[str] = []
    report: dict[str, int] = {}
    for doc in docs:
        if doc["kind"] == "Namespace":
            continue
        answer = apiserver.create(doc, dry_run=True)
        name = f"{doc['kind']}/{doc['metadata']['name']}"
        if answer.status_code != 201:
            problems.append(f"{name}: {answer.status_code} {answer.json().get('message')}")
        problems += [f"{name}: warning {w}" for w in answer.headers.get_list("warning")]
        report[doc["kind"]] = report.get(doc["kind"], 0) + 1
    print(json.dumps({"overlay": overlay, "dry_run_created": report, "problems": problems}))
    assert problems == []


def test_a_pod_that_breaks_restricted_draws_a_warning(apiserver: ApiServer) -> None:
    """The control: the same check on a Deployment without the security context must see the
    Pod Security warning, or a clean run above would prove nothing."""
    namespace = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "name": "pss-control",
            "labels": {"pod-security.kubernetes.io/enforce": "restricted"},
        },
    }
    assert apiserver.create(namespace, dry_run=False).status_code in (201, 409)
    labels = {"app": "control"}
    deployment: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "control", "namespace": "pss-control"},
        "spec": {
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "app", "image": "busybox:1.37"}]},
            },
        },
    }
    answer = apiserver.create(deployment, dry_run=True)
    assert answer.status_code == 201, answer.text
    warnings = answer.headers.get_list("warning")
    assert any("PodSecurity" in w and "restricted" in w for w in warnings), warnings
    unknown = {**deployment, "spec": {**deployment["spec"], "replicaz": 2}}
    refused = apiserver.create(unknown, dry_run=True)
    assert refused.status_code == 400 and "replicaz" in refused.text
