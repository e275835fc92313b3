"""Pod-security patches against the real insecure manifests: valid, and the flaw is gone."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from remediation import Artifacts, NoAutomaticFix, Remediation, draft_fix
from remediation.drafters.k8s_patch import apply_strategic_merge, flaws
from remediation.validate import check_k8s
from tests.remediation.helpers import REALDATA, make_ctx

FILES = [
    "checkov/privilegedPod-FAILED.yaml",
    "checkov/pod-to-node-FAILED.yaml",
    "checkov/privilegedDaemonSet-FAILED.yaml",
    "checkov/rootContainersFAILED.yaml",
    "checkov/pod-drop-none-FAILED.yaml",
    "kube-score/pod-security-context-privileged.yaml",
    "kube-score/pod-security-context-low-user-id.yaml",
    "kubernetes-goat/health-check-deployment.yaml",
    "kubernetes-goat/docker-bench-security-daemonset.yaml",
    "kubernetes-goat/batch-check-job.yaml",
    "kubernetes-goat/hunger-check-deployment.yaml",
]


def _cases() -> list[Any]:
    cases = []
    for name in FILES:
        path = REALDATA / "k8s-manifests" / name
        if not path.is_file():
            continue
        for i, doc in enumerate(yaml.safe_load_all(path.read_text())):
            for flaw in sorted(flaws(doc) if isinstance(doc, dict) else ()):
                cases.append(pytest.param(doc, flaw, id=f"{name}#{i}-{flaw}"))
    return cases


CASES = _cases()


def _draft(doc: dict[str, Any], flaw: str) -> Remediation | NoAutomaticFix:
    ctx = make_ctx(
        flaw,
        kind="workload",
        resource={"name": doc["metadata"]["name"]},
        artifacts=Artifacts(manifest=yaml.safe_dump(doc)),
    )
    return draft_fix(ctx)


def test_the_real_manifests_cover_all_four_flaws() -> None:
    assert {c.values[1] for c in CASES} == {
        "privileged_container",
        "run_as_root",
        "host_path_mount",
        "missing_resource_limits",
    }


@pytest.mark.parametrize(("doc", "flaw"), CASES)
def test_patched_manifest_validates_and_lost_the_flaw(doc: dict[str, Any], flaw: str) -> None:
    fix = _draft(doc, flaw)
    if doc["metadata"]["name"] == "pod4" and "username" in yaml.safe_dump(doc):
        pytest.skip("the upstream manifest itself is invalid (runAsUser: username)")
    assert isinstance(fix, Remediation), fix
    patch = yaml.safe_load(fix.code.native_iac["patch.yaml"])
    after = apply_strategic_merge(doc, patch)
    check_k8s(after)
    assert flaw not in flaws(after)
    assert flaws(after) <= flaws(doc)
    assert "--type strategic" in (fix.code.cli or "")


def test_a_patch_whose_result_is_invalid_is_never_shown() -> None:
    path = REALDATA / "k8s-manifests" / "checkov" / "rootContainersFAILED.yaml"
    if not path.is_file():
        pytest.skip("real data not beside the repo")
    invalid = list(yaml.safe_load_all(path.read_text()))[4]  # runAsUser: username
    fix = _draft(invalid, "missing_resource_limits")
    assert isinstance(fix, NoAutomaticFix)
    assert "validation" in fix.reason


def test_without_a_manifest_the_patch_is_drafted_from_the_store_row() -> None:
    row = {
        "name": "api",
        "namespace": "shop",
        "workload_type": "CronJob",
        "privileged": True,
        "runs_as_root": True,
        "host_paths": ("/var/run/docker.sock",),
        "memory_limit": "1Gi",
    }
    for flaw in (
        "privileged_container",
        "run_as_root",
        "host_path_mount",
        "missing_resource_limits",
    ):
        fix = draft_fix(make_ctx(flaw, kind="workload", resource=row))
        assert isinstance(fix, Remediation), fix
        assert fix.code.cli and fix.code.cli.startswith("kubectl patch cronjob api -n shop")
        assert any("container name" in c for c in fix.checks)


def test_a_mapping_used_twice_is_written_out_in_both_places_not_as_an_alias() -> None:
    shared = {"cpu": "500m", "memory": "256Mi"}
    doc = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "twin"},
        "spec": {
            "containers": [
                {
                    "name": "a",
                    "image": "nginx:1.25",
                    "securityContext": {"privileged": True},
                    "resources": {"limits": shared, "requests": shared},
                },
            ]
        },
    }
    result = _draft(doc, "privileged_container")
    assert isinstance(result, Remediation), result
    assert result.diff is not None and "&id" not in result.diff and "*id" not in result.diff
