"""Every public question has a real answer on the default estate: some rows, not all.

Each case restates one question's plain meaning (questions.yaml ``means``) over the
estate's models, without the store, and checks ``0 < answer < population``. The risk
score questions use a lower bound (the score without privilege and blast radius, which
only add), so they prove the answer is non-empty without re-deriving the store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest

from estate import Estate
from tests.estate.answers import (
    Ctx,
    build_ctx,
    critical,
    floor_score,
    fn,
    functions_where,
    functions_with,
    groups,
    ids,
    images_with,
    open_findings_where,
    since,
    vuln,
    vulns_where,
    wl,
    workloads_where,
)


@pytest.fixture(scope="module")
def ctx(estate: Estate) -> Ctx:
    return build_ctx(estate)


def _public_workloads_on_critical_images(c: Ctx) -> tuple[int, int]:
    hit = ids(f for f in c.open_vulns() if critical(f))
    return workloads_where(c, lambda r: r.is_public and wl(r).image_id in hit)


ADMIN = ("*", "*:*")
QUESTIONS: dict[str, Callable[[Ctx], tuple[int, int]]] = {
    "public prod Lambdas touching PII": lambda c: functions_where(
        c, lambda r: r.environment == "prod" and r.is_public and "PII" in r.data_classes, True
    ),
    "how many critical findings are open": lambda c: open_findings_where(c, critical),
    "open critical findings per team": lambda c: groups(
        c.by_id[f.resource_id].owner_team for f in c.open() if critical(f)
    ),
    "prod images with known-exploited critical CVEs": lambda c: images_with(
        c,
        lambda f: (
            critical(f) and bool(f.vulnerability and (vuln(f).in_kev or vuln(f).exploit_available))
        ),
        prod=True,
    ),
    "top 10 riskiest findings": lambda c: (min(10, len(c.open())), len(c.open())),
    "top 5 riskiest prod functions": lambda c: functions_with(c, lambda f: True, prod=True),
    "functions with wildcard s3 permissions": lambda c: functions_where(
        c, lambda r: c.grants(r, ("s3:*", *ADMIN))
    ),
    "lambdas with admin access": lambda c: functions_where(c, lambda r: c.grants(r, ADMIN), True),
    "functions on deprecated runtimes": lambda c: functions_where(
        c, lambda r: fn(r).runtime_deprecated
    ),
    "python 3.8 functions in prod": lambda c: functions_where(
        c, lambda r: fn(r).runtime == "python3.8" and r.environment == "prod"
    ),
    "java >1GB, <100 invocations": lambda c: functions_where(
        c,
        lambda r: (
            fn(r).runtime.startswith("java")
            and fn(r).memory_mb > 1024
            and fn(r).invocations_30d < 100
        ),
    ),
    "cold start risks in prod": lambda c: open_findings_where(
        c, lambda f: f.category.value == "cold_start" and c.env(f) == "prod"
    ),
    "no provisioned concurrency, cold starts > 2s": lambda c: functions_where(
        c,
        lambda r: fn(r).provisioned_concurrency == 0 and (fn(r).cold_start_p95_ms or 0) > 2000,
    ),
    "privileged containers in the payments namespace": lambda c: workloads_where(
        c, lambda r: wl(r).namespace == "payments" and wl(r).privileged
    ),
    "pods running as root in prod": lambda c: workloads_where(
        c, lambda r: wl(r).runs_as_root and r.environment == "prod"
    ),
    "workloads mounting host paths": lambda c: workloads_where(c, lambda r: bool(wl(r).host_paths)),
    "images affected by CVE-2023-4863": lambda c: images_with(
        c, lambda f: vuln(f).cve_id == "CVE-2023-4863"
    ),
    "where are we running log4j": lambda c: images_with(
        c, lambda f: vuln(f).package == "log4j-core"
    ),
    "openssl vulnerabilities with a fix": lambda c: images_with(
        c,
        lambda f: (
            vuln(f).package.startswith(("openssl", "libssl")) and vuln(f).fixed_version is not None
        ),
    ),
    "critical CVEs with EPSS above 0.5": lambda c: vulns_where(
        c, lambda f: critical(f) and (vuln(f).epss or 0.0) > 0.5
    ),
    "vulnerabilities in the KEV catalog": lambda c: vulns_where(c, lambda f: vuln(f).in_kev),
    "growth high or critical vulnerabilities": lambda c: vulns_where(
        c, lambda f: f.severity.rank >= 3 and c.by_id[f.resource_id].owner_team == "growth"
    ),
    "new critical findings this week": lambda c: (
        sum(1 for f in c.e.findings if critical(f) and since(c, 7)(f)),
        len(c.e.findings),
    ),
    "found in the last 24 hours": lambda c: (
        sum(1 for f in c.e.findings if since(c, 1)(f)),
        len(c.e.findings),
    ),
    "resolved in the last 30 days": lambda c: (
        sum(
            1
            for f in c.e.findings
            if f.resolved_at and f.resolved_at >= c.e.now - timedelta(days=30)
        ),
        len(c.e.findings),
    ),
    "functions with secrets in environment variables": lambda c: functions_with(
        c, lambda f: f.category.value == "secret"
    ),
    "public API gateways without authentication": lambda c: (
        sum(
            1 for t in c.of("trigger") if t.is_public and t.trigger and not t.trigger.has_authorizer
        ),
        len(c.of("trigger")),
    ),
    "Azure functions that are publicly exposed": lambda c: functions_where(
        c, lambda r: r.cloud.value == "azure" and r.is_public
    ),
    "GCP cloud functions in dev": lambda c: functions_where(
        c, lambda r: r.cloud.value == "gcp" and r.environment == "dev"
    ),
    "runtime threats on prod containers": lambda c: open_findings_where(
        c, lambda f: f.category.value == "runtime_threat" and c.env(f) == "prod"
    ),
    "findings from Prisma that are suppressed": lambda c: (
        sum(
            1 for f in c.e.findings if f.source.value == "prisma" and f.status.value == "suppressed"
        ),
        len(c.e.findings),
    ),
    "average memory of prod lambdas by team": lambda c: groups(
        r.owner_team for r in c.of("function") if r.environment == "prod"
    ),
    "count of open findings by severity": lambda c: groups(f.severity for f in c.open()),
    "images with no fix for critical CVEs": lambda c: images_with(
        c, lambda f: critical(f) and vuln(f).fixed_version is None
    ),
    "functions in us-east-1 with public triggers": lambda c: functions_where(
        c, lambda r: r.region == "us-east-1" and r.is_public
    ),
    "misconfigurations on PCI workloads": lambda c: open_findings_where(
        c,
        lambda f: (
            f.category.value == "misconfiguration" and "PCI" in c.by_id[f.resource_id].data_classes
        ),
    ),
    "medium staging findings for identity": lambda c: open_findings_where(
        c,
        lambda f: (
            f.severity.value == "medium"
            and c.env(f) == "staging"
            and c.by_id[f.resource_id].owner_team == "identity"
        ),
    ),
    "functions writing to S3 without encryption": lambda c: functions_with(
        c, lambda f: f.type == "unencrypted_storage_write"
    ),
    "vulnerable packages in the checkout-api image": lambda c: vulns_where(
        c, lambda f: c.by_id[f.resource_id].name == "checkout-api"
    ),
    "findings on processPayment": lambda c: open_findings_where(
        c, lambda f: c.by_id[f.resource_id].name == "processPayment"
    ),
    "how many functions does each cloud have": lambda c: groups(r.cloud for r in c.of("function")),
    "prod resources with risk score above 8": lambda c: (
        len({f.resource_id for f in c.open() if c.env(f) == "prod" and floor_score(c, f) > 8}),
        len(c.e.resources),
    ),
    "which containers lack resource limits": lambda c: workloads_where(
        c, lambda r: not (wl(r).cpu_limit and wl(r).memory_limit)
    ),
    "functions with timeouts over 5 minutes": lambda c: functions_where(
        c, lambda r: fn(r).timeout_s > 300
    ),
    "images older than 90 days running in prod": lambda c: (
        sum(
            1
            for r in c.of("image")
            if r.image
            and r.image.created_at
            and r.image.created_at < c.e.now - timedelta(days=90)
            and "prod" in c.image_envs.get(r.resource_id, ())
        ),
        len(c.of("image")),
    ),
    "nodejs 16 lambdas": lambda c: functions_where(
        c, lambda r: fn(r).runtime == "nodejs16.x", True
    ),
    "internet facing workloads with critical vulns": _public_workloads_on_critical_images,
    "IAM roles with unused permissions": lambda c: (
        len({p.role_id for p in c.e.permissions if not p.used}),
        len(c.of("role")),
    ),
    "mean time to resolve critical findings": lambda c: (
        sum(1 for f in c.e.findings if critical(f) and f.resolved_at),
        len(c.e.findings),
    ),
    "exploit available but not in KEV": lambda c: vulns_where(
        c, lambda f: vuln(f).exploit_available and not vuln(f).in_kev
    ),
    "high findings from Wiz in the data team": lambda c: open_findings_where(
        c,
        lambda f: (
            f.severity.value == "high"
            and f.source.value == "wiz"
            and c.by_id[f.resource_id].owner_team == "data"
        ),
    ),
    "lambdas touching PHI": lambda c: functions_where(c, lambda r: "PHI" in r.data_classes, True),
    "everything public in prod": lambda c: (
        sum(1 for r in c.e.resources if r.is_public and r.environment == "prod"),
        len(c.e.resources),
    ),
}


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_question_has_a_non_trivial_answer(ctx: Ctx, question: str) -> None:
    answer, population = QUESTIONS[question](ctx)
    assert 0 < answer < population, f"{question}: {answer} of {population}"


def test_process_payment_is_one_public_prod_pci_lambda(ctx: Ctx) -> None:
    found = [r for r in ctx.of("function") if r.name == "processPayment"]
    assert len(found) == 1
    fn = found[0]
    assert (fn.cloud.value, fn.environment, fn.is_public) == ("aws", "prod", True)
    assert {"PCI", "PII"} <= set(fn.data_classes) and fn.exposure


def test_nginx_ingress_reaches_sensitive_buckets(ctx: Ctx) -> None:
    (workload,) = [r for r in ctx.of("workload") if r.name == "nginx-ingress"]
    reached = [ctx.by_id[i] for i in ctx.reach(workload.resource_id)]
    buckets = [r for r in reached if r.bucket]
    assert any(b.data_classes for b in buckets) and len(buckets) >= 3
    assert len(reached) < len(ctx.e.resources) / 10


def test_top_and_oldest_answers_are_unambiguous(ctx: Ctx) -> None:
    vulns = {
        (f.resource_id, v.cve_id, v.package, v.installed_version)
        for f in ctx.open_vulns()
        if critical(f) and (v := f.vulnerability)
    }
    per_team = Counter(ctx.by_id[key[0]].owner_team for key in vulns).most_common(2)
    assert per_team[0][1] > per_team[1][1]
    firsts = sorted(f.first_seen for f in ctx.open() if critical(f))
    assert firsts[0] < firsts[1]
