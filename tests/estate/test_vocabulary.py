"""Every data word in the public question set's vocabulary matches some records, not all.

The vocabulary block of ``questions.yaml`` is what engineers will say; a word whose
filter matches nothing (or everything) in the demo estate makes a question whose right
answer cannot be told from a wrong one. Each vocabulary key maps to the records it is
about and a rule per item; a new key, or an item no rule understands, fails loudly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from estate import Estate

QUESTIONS = Path(__file__).resolve().parents[3] / "shared" / "bench" / "questions.yaml"
NOT_DATA = {
    "time": "time windows are checked per question in test_questions.py",
    "frameworks": "compliance mappings arrive with a later issue",
}
Probe = Callable[[Sequence[Any]], int]  # records -> how many match
Expand = Callable[[str], list[tuple[str, Probe]]]  # item -> (label, probe) pairs


def _vocabulary() -> dict[str, list[str]]:
    if not QUESTIONS.is_file():
        pytest.skip(f"the public question set is not at {QUESTIONS}")
    loaded: dict[str, Any] = yaml.safe_load(QUESTIONS.read_text())
    return {key: [str(item) for item in items] for key, items in loaded["vocabulary"].items()}


def _count(pred: Callable[[Any], bool]) -> Probe:
    return lambda records: sum(1 for r in records if pred(r))


def _is(getter: Callable[[Any], object], value: object) -> Callable[[Any], bool]:
    return lambda record: getter(record) == value


def _largest_group(key: Callable[[Any], object]) -> Probe:
    """For a many-valued field: its largest group, which is < total iff >= 2 values."""
    return lambda records: max(Counter(key(r) for r in records).values())


def _one(pred: Callable[[Any], bool]) -> Expand:
    return lambda item: [(item, _count(pred))]


def _group(key: Callable[[Any], object]) -> Expand:
    return lambda item: [(item, _largest_group(key))]


def _values(field: Callable[[Any], object]) -> Expand:
    """``severity critical/high`` or a bare ``prod``: one probe per listed value."""

    def expand(item: str) -> list[tuple[str, Probe]]:
        words = item.split(" ", 1)[-1].replace(" ", "_").split("/")
        return [(w, _count(_is(field, w))) for w in words]

    return expand


def runtimes(item: str) -> list[str]:
    """``python3.8..3.12``, ``nodejs16.x..20.x``, ``java11/17/21`` -> concrete runtimes."""
    text = item.replace("runtime (", "").strip(" )")
    if m := re.fullmatch(r"([a-z]+)(\d+)\.(\d+)\.\.\2\.(\d+)", text):
        return [f"{m[1]}{m[2]}.{n}" for n in range(int(m[3]), int(m[4]) + 1)]
    if m := re.fullmatch(r"([a-z]+)(\d+)\.x\.\.(\d+)\.x", text):  # Node: even (LTS) majors
        return [f"{m[1]}{n}.x" for n in range(int(m[2]), int(m[3]) + 1, 2)]
    if m := re.fullmatch(r"([a-z]+)(\d+(?:/\d+)+)", text):
        return [f"{m[1]}{n}" for n in m[2].split("/")]
    return [text]


def _runtime_probes(item: str) -> list[tuple[str, Probe]]:
    found = runtimes(item)
    family = re.match(r"[a-z]+", found[0])
    probes = [(rt, _count(_is(lambda r: r.function.runtime, rt))) for rt in found]
    prefix = family.group(0) if family else found[0]
    return [*probes, (prefix, _count(lambda r: r.function.runtime.startswith(prefix)))]


def _kind(kind: str, cloud: str | None = None) -> Expand:
    return _one(lambda r: r.kind.value == kind and cloud in (None, r.cloud.value))


def _derived(item: str) -> list[tuple[str, Probe]]:
    """Computed by the store (the risk score), so nothing to count in the estate."""
    return []


def _recent(field: str, days: int) -> Expand:
    """Records whose ``field`` falls within ``days`` of the newest sighting."""

    def probe(records: Sequence[Any]) -> int:
        newest = max(r.last_seen for r in records)
        return sum(1 for r in records if (newest - getattr(r, field)).days < days)

    return lambda item: [(item, probe)]


_FN = "function"
RULES: dict[str, tuple[str, list[tuple[str, Expand]]]] = {
    "resource_kinds": (
        "resources",
        [
            ("AWS Lambda", _kind(_FN, "aws")),
            ("Azure Functions", _kind(_FN, "azure")),
            ("Google Cloud Functions", _kind(_FN, "gcp")),
            ("image", _kind("image")),
            ("workload", _kind("workload")),
            ("running container", _kind("container")),
            ("role", _kind("role")),
            ("trigger|gateway", _kind("trigger")),
            ("bucket", _kind("bucket")),
        ],
    ),
    "clouds": ("resources", [(".", _values(lambda r: r.cloud.value))]),
    "environments": ("resources", [(".", _values(lambda r: r.environment))]),
    "teams": ("resources", [(".", _values(lambda r: r.owner_team))]),
    "exposure": (
        "resources",
        [
            ("^public", _one(lambda r: r.is_public)),
            ("^private", _one(lambda r: not r.is_public)),
        ],
    ),
    "data_sensitivity": (
        "resources",
        [
            ("^none$", _one(lambda r: not r.data_classes)),
            (".", lambda item: [(item, _count(lambda r: item in r.data_classes))]),
        ],
    ),
    "function_fields": (
        "functions",
        [
            ("^deprecated runtime$", _one(lambda r: r.function.runtime_deprecated)),
            ("memory", _one(lambda r: r.function.memory_mb > 1024)),
            ("timeout", _one(lambda r: r.function.timeout_s > 300)),
            ("package size", _one(lambda r: r.function.package_size_mb > 50)),
            ("invocations", _one(lambda r: r.function.invocations_30d < 100)),
            ("cold start", _one(lambda r: (r.function.cold_start_p95_ms or 0) > 2000)),
            ("provisioned concurrency", _one(lambda r: r.function.provisioned_concurrency > 0)),
            (r"^(runtime \()?[a-z]+[\d./x]+\)?$", _runtime_probes),
        ],
    ),
    "workload_fields": (
        "workloads",
        [
            ("^cluster$", _group(lambda r: r.workload.cluster)),
            ("^namespace$", _one(lambda r: r.workload.namespace == "payments")),
            ("^image$", _group(lambda r: r.workload.image_id)),
            ("privileged", _one(lambda r: r.workload.privileged)),
            ("root", _one(lambda r: r.workload.runs_as_root)),
            ("host path", _one(lambda r: bool(r.workload.host_paths))),
            ("service account", _one(lambda r: r.workload.service_account != "default")),
            ("limits", _one(lambda r: bool(r.workload.cpu_limit and r.workload.memory_limit))),
        ],
    ),
    "finding_categories": (
        "findings",
        [
            (
                ".",
                lambda item: [(item, _count(lambda f: f.category.value == item.replace(" ", "_")))],
            ),
        ],
    ),
    "finding_fields": (
        "findings",
        [
            ("^severity ", _values(lambda f: f.severity.value)),
            ("^status ", _values(lambda f: f.status.value)),
            ("^source ", _values(lambda f: f.source.value)),
            ("first seen", _recent("first_seen", 7)),
            ("last seen", _recent("last_seen", 1)),
            ("resolved at", _one(lambda f: f.resolved_at is not None)),
            ("risk score", _derived),
        ],
    ),
    "vulnerability_fields": (
        "vulns",
        [
            ("CVE id", _group(lambda f: f.vulnerability.cve_id)),
            ("^package$", _group(lambda f: f.vulnerability.package)),
            ("installed version", _group(lambda f: f.vulnerability.installed_version)),
            ("fix", _one(lambda f: f.vulnerability.fixed_version is not None)),
            ("CVSS", _one(lambda f: f.vulnerability.cvss_score >= 9)),
            ("EPSS", _one(lambda f: f.vulnerability.epss > 0.5)),
            ("KEV", _one(lambda f: f.vulnerability.in_kev)),
            ("exploit", _one(lambda f: f.vulnerability.exploit_available)),
        ],
    ),
    "iam_fields": (
        "permissions",
        [
            (
                "wildcard",
                lambda item: [
                    (a, _count(_is(lambda p: p.action, a))) for a in re.findall(r"\S+:\*", item)
                ],
            ),
            ("^admin$", _one(lambda p: p.is_admin)),
            ("used vs granted", _one(lambda p: p.used)),
        ],
    ),
}


def _records(estate: Estate, name: str) -> Sequence[Any]:
    groups: dict[str, Sequence[Any]] = {
        "resources": estate.resources,
        "functions": [r for r in estate.resources if r.function],
        "workloads": [r for r in estate.resources if r.workload],
        "findings": estate.findings,
        "vulns": [f for f in estate.findings if f.vulnerability],
        "permissions": estate.permissions,
    }
    return groups[name]


def _probes(key: str, item: str) -> list[tuple[str, Probe]]:
    for pattern, expand in RULES[key][1]:
        if re.search(pattern, item):
            return expand(item)
    raise AssertionError(f"no rule for vocabulary item {item!r} under {key!r}")


def test_every_vocabulary_key_is_understood() -> None:
    unknown = set(_vocabulary()) - set(RULES) - set(NOT_DATA)
    assert not unknown, f"add rules for new vocabulary keys: {sorted(unknown)}"


@pytest.mark.parametrize("key", sorted(RULES))
def test_each_word_matches_some_records_but_not_all(estate: Estate, key: str) -> None:
    items = _vocabulary().get(key)
    if items is None:
        pytest.skip(f"{key} is no longer in the vocabulary")
    records = _records(estate, RULES[key][0])
    for item in items:
        for label, probe in _probes(key, item):
            matching = probe(records)
            assert 0 < matching < len(records), f"{key}: {label!r} matches {matching}"
