"""Each overlay of deploy/k8s renders with the pinned kustomize, passes the Kubernetes API
schemas (strict: no unknown field), and keeps the invariants an operator relies on: probes,
resources, the `restricted` Pod Security level, a drain before shutdown, no placeholder secret,
autoscalers bounded by the partition count. `make k8s-check` installs kustomize and runs this."""

import base64
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from baton_runtime.secrets import is_placeholder
from tests.support.k8s import OVERLAYS, config_env_module, kustomize, render

# Custom resources whose schemas kubernetes-validate does not ship (KEDA, Prometheus Operator).
CRD_KINDS = {"ScaledObject", "TriggerAuthentication", "ServiceMonitor"}
KUBERNETES_VERSION = "1.35.0"


def build(overlay: str, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    binary = kustomize()
    if binary is None:
        pytest.skip("no kustomize v5.8.2: run `make k8s-check` (needs the Go toolchain)")
    return render(binary, overlay, Path(tmp_path_factory.mktemp(overlay)))


@pytest.fixture(scope="module", params=OVERLAYS)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return request.param, build(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return build("production", tmp_path_factory)


def of_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def test_every_resource_passes_the_api_schema_strictly(rendered: Any) -> None:
    _, docs = rendered
    for doc in docs:
        if doc["kind"] not in CRD_KINDS:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_every_deployment_has_probes_resources_and_a_drain(rendered: Any) -> None:
    _, docs = rendered
    deployments = of_kind(docs, "Deployment")
    assert set(deployments) == {
        f"baton-{s}" for s in ("gateway", "inbox", "agent", "handoff", "ingest")
    }
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert probe in container, (name, probe)
        assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
        assert "memory" in container["resources"]["limits"], name
        assert container["lifecycle"]["preStop"], name
        assert pod["terminationGracePeriodSeconds"] >= 30, name
        kinds = {next(iter(source)) for source in container["envFrom"]}
        assert kinds == {"configMapRef", "secretRef"}, name


def pod_templates(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every pod the manifests run: Deployments' and Jobs'."""
    workloads = of_kind(docs, "Deployment") | of_kind(docs, "Job")
    return {name: workload["spec"]["template"]["spec"] for name, workload in workloads.items()}


def test_everything_lives_in_the_baton_namespace(rendered: Any) -> None:
    _, docs = rendered
    for doc in docs:
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == "baton", (doc["kind"], doc["metadata"])


def test_every_pod_reads_the_rendered_configmap(rendered: Any) -> None:
    _, docs = rendered
    (configmap,) = of_kind(docs, "ConfigMap")
    for name, pod in pod_templates(docs).items():
        (container,) = pod["containers"]
        references = [
            s["configMapRef"]["name"] for s in container["envFrom"] if "configMapRef" in s
        ]
        assert references == [configmap], name


def test_every_pod_meets_the_restricted_pod_security_level(rendered: Any) -> None:
    _, docs = rendered
    for name, pod in pod_templates(docs).items():
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert isinstance(pod["securityContext"]["runAsUser"], int), name
        assert pod["securityContext"]["runAsUser"] == 10001, "the Dockerfile's USER"
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        (container,) = pod["containers"]
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False, name
        assert context["capabilities"]["drop"] == ["ALL"], name
        assert context["readOnlyRootFilesystem"] is True, name
    for name, deployment in of_kind(docs, "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
        volumes = {volume["name"]: volume for volume in pod["volumes"]}
        assert "emptyDir" in volumes[mounts["/tmp"]], name
    (namespace,) = of_kind(docs, "Namespace").values()
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_no_secret_holds_a_placeholder(rendered: Any) -> None:
    _, docs = rendered
    for name, secret in of_kind(docs, "Secret").items():
        values = {key: base64.b64decode(value).decode() for key, value in secret["data"].items()}
        values |= secret.get("stringData", {})
        for key, value in values.items():
            assert not is_placeholder(value), (name, key)


def test_every_deployment_has_a_disruption_budget(rendered: Any) -> None:
    _, docs = rendered
    budgets = of_kind(docs, "PodDisruptionBudget")
    for name, deployment in of_kind(docs, "Deployment").items():
        labels = deployment["spec"]["selector"]["matchLabels"]
        assert budgets[name]["spec"]["selector"]["matchLabels"] == labels


def test_production_autoscales_within_the_partition_count(production: Any) -> None:
    docs = production
    config = next(iter(of_kind(docs, "ConfigMap").values()))["data"]
    partitions = int(config["BATON_CONVERSATION_PARTITIONS"])
    scaled = of_kind(docs, "ScaledObject")
    assert set(scaled) == {"baton-agent", "baton-handoff"}
    for scaled_object in scaled.values():
        assert scaled_object["spec"]["maxReplicaCount"] <= partitions
        (trigger,) = scaled_object["spec"]["triggers"]
        assert trigger["metadata"]["bootstrapServers"] == config["BATON_KAFKA_BOOTSTRAP"]
    assert set(of_kind(docs, "HorizontalPodAutoscaler")) == {"baton-gateway", "baton-inbox"}
    autoscaled = set(scaled) | {"baton-gateway", "baton-inbox"}
    for name in autoscaled:
        assert "replicas" not in of_kind(docs, "Deployment")[name]["spec"], name
    assert int(config["BATON_KAFKA_REPLICATION_FACTOR"]) >= 3
    assert int(config["BATON_KAFKA_MIN_INSYNC_REPLICAS"]) >= 2


def test_production_ingress_keeps_live_streams_open(production: Any) -> None:
    docs = production
    (ingress,) = of_kind(docs, "Ingress").values()
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/proxy-buffering"] == "off"
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 600
    policies = of_kind(docs, "NetworkPolicy")
    assert policies["default-deny"]["spec"]["podSelector"] == {}
    assert {f"baton-{s}" for s in ("gateway", "inbox", "agent", "handoff", "ingest")} <= set(
        policies
    )


def test_the_configmap_carries_the_generated_settings(rendered: Any) -> None:
    _, docs = rendered
    config = next(iter(of_kind(docs, "ConfigMap").values()))["data"]
    expected = {k for k, v in config_env_module().config_defaults().items() if v is not None}
    assert expected <= set(config)
