"""Which scanner wrote a JSON document: the shape each format has, checked cheaply.

Formats we import are ``trivy``, ``grype``, ``prowler`` and ``asff``. Formats we
recognise but do not import get a hint that says what to export instead.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMATS", "UNSUPPORTED", "detect_format"]

FORMATS = ("trivy", "grype", "prowler", "asff")

# recognised format -> what to do instead
UNSUPPORTED: dict[str, str] = {
    "sarif": "Export JSON instead of SARIF (`trivy image --format json`).",
    "gitlab": "Export JSON instead of the GitLab template (`trivy image --format json`).",
    "cyclonedx": "An SBOM lists packages, not findings: scan it (`trivy sbom --format json`).",
    "inspector2": "Import Inspector findings through Security Hub (`aws securityhub "
    "get-findings`), then `posture import asff`.",
    "prowler-legacy": "Re-run Prowler with `--output-formats json-ocsf` and import that.",
    "trivy-operator": "Run `trivy k8s --format json` against the cluster and import that.",
}


def _first(items: object) -> dict[str, Any]:
    if isinstance(items, list) and items and isinstance(items[0], dict):
        return items[0]
    return {}


def _is_asff(entry: dict[str, Any]) -> bool:
    return "ProductArn" in entry or (
        entry.get("SchemaVersion") == "2018-10-08" and "Resources" in entry
    )


def _detect_list(doc: list[Any]) -> str | None:
    first = _first(doc)
    if "finding_info" in first or first.get("class_uid") == 2004:
        return "prowler"
    if _is_asff(first):
        return "asff"
    if "CheckID" in first:
        return "prowler-legacy"
    if str(first.get("apiVersion", "")).startswith("aquasecurity.github.io"):
        return "trivy-operator"
    return None


def _detect_dict(doc: dict[str, Any]) -> str | None:
    if "SchemaVersion" in doc and "Results" in doc:
        return "trivy"
    if "ClusterName" in doc and any(
        k in doc for k in ("Resources", "Vulnerabilities", "Misconfigurations")
    ):
        return "trivy"
    if "matches" in doc and "source" in doc:
        return "grype"
    findings = doc.get("Findings", doc.get("findings"))
    if isinstance(findings, list) and findings is not None:
        first = _first(findings)
        if _is_asff(first):
            return "asff"
        if "findingArn" in first:
            return "inspector2"
    if "bomFormat" in doc:
        return "cyclonedx"
    if "runs" in doc and "sarif" in str(doc.get("$schema", "")).lower():
        return "sarif"
    if "scan" in doc and "vulnerabilities" in doc:
        return "gitlab"
    api = str(doc.get("apiVersion", ""))
    if api.startswith("aquasecurity.github.io") or any(
        str(k).endswith("aquasecurity.github.io") for k in doc
    ):
        return "trivy-operator"
    return None


def detect_format(doc: Any) -> str | None:
    """The format a parsed document is in, or None when it looks like nothing known.

    >>> detect_format({"matches": [], "source": {"type": "image"}})
    'grype'
    >>> detect_format([{"class_uid": 2004, "finding_info": {}}])
    'prowler'
    >>> detect_format({"hello": "world"}) is None
    True
    """
    if isinstance(doc, list):
        return _detect_list(doc)
    if isinstance(doc, dict):
        return _detect_dict(doc)
    return None
