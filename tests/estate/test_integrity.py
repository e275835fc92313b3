"""Referential integrity: natural keys unique, every reference resolves, findings agree."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from core.models import EdgeRelation, FindingCategory, Resource, ResourceKind
from estate import Estate

_ENDPOINT_KINDS = {
    EdgeRelation.TRIGGERS: ({"trigger"}, {"function"}),
    EdgeRelation.ASSUMES_ROLE: ({"function", "workload"}, {"role"}),
    EdgeRelation.USES_SERVICE_ACCOUNT: ({"workload"}, {"role"}),
    EdgeRelation.CAN_READ: ({"role"}, {"bucket"}),
    EdgeRelation.CAN_WRITE: ({"role"}, {"bucket"}),
    EdgeRelation.RUNS_IMAGE: ({"workload", "container"}, {"image"}),
    EdgeRelation.INSTANCE_OF: ({"container"}, {"workload"}),
}


def _duplicates(keys: Iterable[object]) -> list[object]:
    return [k for k, n in Counter(keys).items() if n > 1]


def _by_id(estate: Estate) -> dict[str, Resource]:
    return {r.resource_id: r for r in estate.resources}


def test_natural_keys_are_unique(estate: Estate) -> None:
    assert not _duplicates(r.resource_id for r in estate.resources)
    assert not _duplicates((f.source, f.source_id) for f in estate.findings)
    assert not _duplicates((p.role_id, p.action, p.resource_pattern) for p in estate.permissions)
    assert not _duplicates((e.from_id, e.relation, e.to_id) for e in estate.edges)


def test_a_source_reports_a_vulnerability_once(estate: Estate) -> None:
    keys = [
        (f.source, f.resource_id, v.cve_id, v.package, v.installed_version)
        for f in estate.findings
        if (v := f.vulnerability) is not None
    ]
    assert not _duplicates(keys)


def test_every_edge_joins_existing_resources_of_the_right_kinds(estate: Estate) -> None:
    by_id = _by_id(estate)
    for edge in estate.edges:
        sources, targets = _ENDPOINT_KINDS[edge.relation]
        assert by_id[edge.from_id].kind.value in sources, edge
        assert by_id[edge.to_id].kind.value in targets, edge
    assert {e.relation for e in estate.edges} == set(EdgeRelation)


def test_every_reference_resolves(estate: Estate) -> None:
    by_id = _by_id(estate)
    assert all(f.resource_id in by_id for f in estate.findings)
    assert all(by_id[p.role_id].kind is ResourceKind.ROLE for p in estate.permissions)
    for r in estate.resources:
        refs = {
            "function": r.function and r.function.role_id,
            "trigger": r.trigger and r.trigger.function_id,
            "workload": r.workload and r.workload.image_id,
            "container": r.container and r.container.workload_id,
        }.get(r.kind.value)
        if refs:
            assert refs in by_id, r.resource_id


def test_function_roles_are_also_edges(estate: Estate) -> None:
    edges = {(e.from_id, e.to_id) for e in estate.edges if e.relation is EdgeRelation.ASSUMES_ROLE}
    for r in estate.resources:
        if r.function and r.function.role_id:
            assert (r.resource_id, r.function.role_id) in edges


def test_the_same_cve_on_the_same_image_comes_from_two_sources_regularly(estate: Estate) -> None:
    sources: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for f in estate.findings:
        if (v := f.vulnerability) is not None:
            sources[(f.resource_id, v.cve_id, v.package, v.installed_version)].add(f.source)
    shared = sum(1 for found in sources.values() if len(found) >= 2)
    assert 0.15 * len(sources) < shared < len(sources)


def test_sources_agree_on_a_vulnerabilitys_facts(estate: Estate) -> None:
    seen: dict[tuple[str, str, str, str], object] = {}
    for f in estate.findings:
        if (v := f.vulnerability) is not None:
            key = (f.resource_id, v.cve_id, v.package, v.installed_version)
            assert seen.setdefault(key, v) == v


def test_only_vulnerability_findings_sit_on_images(estate: Estate) -> None:
    kinds = {r.resource_id: r.kind for r in estate.resources}
    for f in estate.findings:
        if f.category is FindingCategory.VULNERABILITY:
            assert kinds[f.resource_id] in (ResourceKind.IMAGE, ResourceKind.FUNCTION)
        else:
            assert kinds[f.resource_id] is not ResourceKind.IMAGE


def test_findings_start_after_their_resource_and_end_by_now(estate: Estate) -> None:
    by_id = _by_id(estate)
    for f in estate.findings:
        first = by_id[f.resource_id].first_seen
        assert first is None or f.first_seen >= first
        assert f.last_seen <= estate.now
        assert f.resolved_at is None or f.first_seen <= f.resolved_at <= estate.now


def test_names_the_questions_use_are_unique(estate: Estate) -> None:
    named = Counter((r.kind.value, r.name) for r in estate.resources)
    assert named[("function", "processPayment")] == 1
    assert named[("image", "checkout-api")] == 1
    assert named[("workload", "nginx-ingress")] == 1
    assert not _duplicates(r.name for r in estate.resources if r.kind is ResourceKind.FUNCTION)
    assert not _duplicates(r.name for r in estate.resources if r.kind is ResourceKind.IMAGE)


def test_resource_ids_are_canonical(estate: Estate) -> None:
    prefixes = {
        "aws": ("arn:aws:", "https://", "k8s://"),
        "azure": ("/subscriptions/", "https://", "k8s://"),
        "gcp": ("projects/", "https://", "k8s://"),
    }
    for r in estate.resources:
        if r.kind is ResourceKind.IMAGE:
            assert "@sha256:" in r.resource_id
        else:
            assert r.resource_id.startswith(prefixes[r.cloud.value]), r.resource_id


def test_findings_come_from_sources_that_watch_the_resource(estate: Estate) -> None:
    sources = {r.resource_id: r.sources for r in estate.resources}
    assert all(f.source in sources[f.resource_id] for f in estate.findings)
