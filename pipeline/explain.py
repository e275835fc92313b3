"""Why one ranked row is risky, in plain words: its risk factors, a likely attack, and what
it can reach. Templated and offline, so it works with no key; every read goes through
the same guarded query path as a question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.ask import Copilot
from querygen.spec import Filter, Op, OrderBy, QuerySpec

__all__ = ["Explanation", "Reach", "explain_row", "reason", "scenario"]

_REASONS: dict[str, str] = {
    "severity": "the source rates it {detail}",
    "cvss": "its CVSS base score is high ({detail})",
    "epss": "exploitation is likely soon ({detail}, the chance of use in the next 30 days)",
    "kev": "attackers already use it: it is in CISA's Known Exploited Vulnerabilities catalog",
    "exploit": "a public exploit exists, so an attack needs little skill",
    "fix_available": "a fixed version exists, so it can be fixed today",
    "public": "it is reachable from the internet",
    "environment": "it {detail}",
    "data": "it {detail}",
    "privilege": "its identity has {detail}",
    "privileged_container": "it runs a privileged container",
    "blast_radius": "it {detail} through its permissions",
    "active_threat": "a runtime threat was already seen on it",
}

_SCENARIOS: dict[str, str] = {
    "vulnerable_package": (
        "An attacker who can reach it sends input that triggers the vulnerable code in "
        "{package}, runs code with its identity, and reads or changes what that identity can."
    ),
    "public_function_url": (
        "Anyone on the internet calls the function URL without credentials and drives the "
        "function with crafted input."
    ),
    "api_without_auth": (
        "Anyone on the internet calls the unauthenticated API and reaches the function "
        "behind it with crafted input."
    ),
    "public_bucket": "Anyone who guesses the bucket name lists and downloads its objects.",
    "secret_in_env_var": (
        "Someone who can read the function's configuration (a leaked role, a console user) "
        "copies the secret and uses it elsewhere."
    ),
    "admin_access": (
        "Whoever runs code in it (through any bug) inherits admin rights over the account."
    ),
    "wildcard_permissions": (
        "Code running in it can call every action the wildcard covers, far beyond what it "
        "needs, so one bug becomes a data breach."
    ),
    "privileged_container": (
        "A compromised process breaks out of the privileged container onto the node and "
        "from there reaches every pod on it."
    ),
    "run_as_root": (
        "A compromised process runs as root, which makes escaping the container and "
        "tampering with the image much easier."
    ),
    "host_path_mount": (
        "A compromised process reads or writes the node's files through the hostPath mount."
    ),
    "reverse_shell": "An attacker already holds an interactive shell inside it.",
    "crypto_miner": "An attacker already runs a crypto miner on it: it is compromised.",
    "suspicious_process": "An unexpected process ran in it: treat it as compromised.",
}

_BY_CATEGORY: dict[str, str] = {
    "vulnerability": _SCENARIOS["vulnerable_package"],
    "misconfiguration": (
        "An attacker looks for exactly this misconfiguration with automated scans and "
        "uses it as a first foothold."
    ),
    "permissions": (
        "Whoever gets code running in it uses the excess permissions to move further into "
        "the account."
    ),
    "runtime_threat": "An attacker is already active on it.",
    "secret": "A leaked secret lets someone act as the service it belongs to.",
    "cold_start": (
        "Not an attack path: slow cold starts hurt availability, and a flood of requests "
        "makes them worse."
    ),
}

_FINDING_COLUMNS = [
    "title",
    "severity",
    "category",
    "type",
    "risk_score",
    "risk_factors",
    "package",
    "resource_id",
    "resource_name",
]
_MIN_POINTS = 0.1  # a factor that adds less than this says nothing worth reading
_REACH_COLUMNS = ["to_name", "to_kind", "to_data_classes", "depth", "path"]


@dataclass(frozen=True)
class Reach:
    name: str
    kind: str
    data_classes: tuple[str, ...]
    depth: int
    path: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    name: str
    score: float | None
    reasons: tuple[str, ...]
    scenario: str | None
    reach: tuple[Reach, ...]
    reach_total: int
    findings: tuple[str, ...]  # the riskiest open findings, for a resource row


def reason(factor: dict[str, Any]) -> str:
    """One risk factor as a clause.

    >>> reason({"name": "environment", "points": 1.0, "detail": "runs in prod"})
    'it runs in prod (+1.0)'
    """
    name, detail = str(factor.get("name")), str(factor.get("detail") or "")
    text = _REASONS.get(name, "{detail}").format(detail=detail)
    return f"{text} (+{float(factor.get('points') or 0):.1f})"


def scenario(finding_type: str | None, category: str | None, package: str | None) -> str | None:
    """A likely attack for a finding of this type (or category).

    >>> scenario("public_bucket", "misconfiguration", None)
    'Anyone who guesses the bucket name lists and downloads its objects.'
    """
    text = _SCENARIOS.get(finding_type or "") or _BY_CATEGORY.get(category or "")
    return text.format(package=package or "the package") if text else None


def _rows(copilot: Copilot, spec: QuerySpec) -> list[dict[str, Any]]:
    answer = copilot.answer_spec(spec, question=f"explain {spec.view}")
    return [dict(zip(answer.columns, row, strict=True)) for row in answer.rows]


def _row(copilot: Copilot, view: str, key: str) -> dict[str, Any] | None:
    meta = copilot.catalog.view(view)
    columns = [meta.name_column] + [c for c in ("resource_id", "cve_id") if c in meta.columns]
    spec = QuerySpec(
        view=view,
        conditions=[Filter(field=meta.key, op=Op.EQ, value=key)],
        columns=list(dict.fromkeys(columns)),
        limit=1,
    )
    rows = _rows(copilot, spec)
    return rows[0] if rows else None


def _findings(copilot: Copilot, view: str, key: str, row: dict[str, Any]) -> list[dict[str, Any]]:
    resource_id = row.get("resource_id", key)
    if view == "findings":
        conditions = [Filter(field="finding_id", op=Op.EQ, value=key)]
    else:
        conditions = [
            Filter(field="resource_id", op=Op.EQ, value=resource_id),
            Filter(field="status", op=Op.EQ, value="open"),
        ]
        if row.get("cve_id"):
            conditions.append(Filter(field="cve_id", op=Op.EQ, value=row["cve_id"]))
    spec = QuerySpec(
        view="findings",
        conditions=conditions,
        columns=_FINDING_COLUMNS,
        order_by=[OrderBy(field="risk_score", descending=True)],
        limit=3,
    )
    return _rows(copilot, spec)


def _reach(copilot: Copilot, resource_id: str) -> tuple[list[Reach], int]:
    spec = QuerySpec(
        view="reachable",
        conditions=[Filter(field="from_id", op=Op.EQ, value=resource_id)],
        columns=_REACH_COLUMNS,
        order_by=[OrderBy(field="depth")],
        limit=200,
    )
    found = [
        Reach(
            name=str(r["to_name"]),
            kind=str(r["to_kind"]),
            data_classes=tuple(r["to_data_classes"] or ()),
            depth=int(r["depth"]),
            path=tuple(r["path"] or ()),
        )
        for r in _rows(copilot, spec)
    ]
    found.sort(key=lambda r: (not r.data_classes, r.depth, r.name))  # sensitive first
    return found, len(found)


def explain_row(copilot: Copilot, view: str, key: str) -> Explanation | None:
    """Explain the row of ``view`` whose key is ``key``; None when it no longer exists.

    Args:
        copilot: the question path (its guarded reads are reused).
        view: a semantic view with a risk score (findings, functions, images…).
        key: the row's key value (``finding_id``, ``resource_id``…).
    """
    row = _row(copilot, view, key)
    if row is None:
        return None
    findings = _findings(copilot, view, key, row)
    top = findings[0] if findings else None
    factors = (
        sorted(
            (f for f in (top["risk_factors"] or []) if float(f.get("points") or 0) >= _MIN_POINTS),
            key=lambda f: -float(f.get("points") or 0),
        )
        if top
        else []
    )
    resource_id = str(top["resource_id"]) if top else str(row.get("resource_id", key))
    reach, total = _reach(copilot, resource_id)
    name_column = copilot.catalog.view(view).name_column
    return Explanation(
        name=str(row[name_column]),
        score=float(top["risk_score"]) if top and top["risk_score"] is not None else None,
        reasons=tuple(reason(f) for f in factors),
        scenario=scenario(top["type"], top["category"], top["package"]) if top else None,
        reach=tuple(reach[:5]),
        reach_total=total,
        findings=tuple(
            dict.fromkeys(
                f"{f['title']} ({f['severity']}, risk {f['risk_score']})" for f in findings
            )
        )
        if view != "findings"
        else (),
    )
