"""The risk score as SQL, generated from ``risk.score.WEIGHTS``: one table of weights.

The store scores a million findings in one set-based statement instead of a Python
call each. Nothing here holds a number of its own: every weight and the scale come
from ``risk.score``, and the factors are built in the same order, with the same
names, points and details, as ``risk_score`` builds them (tests/risk compares the two
over generated signals).

The expressions read columns named after ``RiskSignals`` fields: ``severity``,
``category``, ``cvss``, ``epss``, ``in_kev``, ``exploit_available``, ``fix_available``,
``is_public``, ``environment``, ``data_classes``, ``admin_role``, ``wildcard_role``,
``privileged``, ``reachable_sensitive``.
"""

from __future__ import annotations

from risk.score import SCALE, WEIGHTS

__all__ = ["FACTOR_TYPE", "factors_sql", "score_sql"]

FACTOR_TYPE = "STRUCT(name VARCHAR, points DOUBLE, detail VARCHAR)"


def _num(value: float) -> str:
    return f"{float(value)!r}::DOUBLE"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _lookup(column: str, prefix: str, default: str) -> str:
    """``WEIGHTS.get(f"{prefix}.{column}", default)`` as a CASE."""
    arms = " ".join(
        f"WHEN {_text(k.removeprefix(prefix + '.'))} THEN {_num(v)}"
        for k, v in WEIGHTS.items()
        if k.startswith(prefix + ".")
    )
    return f"(CASE {column} {arms} ELSE {default} END)"


def _factor(name: str, points: str, detail: str) -> str:
    return f"{{'name': {_text(name)}, 'points': {points}, 'detail': {detail}}}::{FACTOR_TYPE}"


def _when(condition: str, name: str, points: str, detail: str) -> str:
    return f"CASE WHEN {condition} THEN {_factor(name, points, detail)} END"


def _severity() -> str:
    by_severity = _lookup("severity", "severity", _num(WEIGHTS["severity.info"]))
    by_cvss = f"(coalesce(cvss, 0.0) * {_num(WEIGHTS['cvss_per_point'])})"
    cvss = _factor("cvss", f"round({by_cvss}, 3)", "format('CVSS {:g}', cvss)")
    severity = _factor("severity", by_severity, "severity || ' severity'")
    return f"CASE WHEN {by_cvss} > {by_severity} THEN {cvss} ELSE {severity} END"


def _exploitability() -> list[str]:
    w = {k: _num(v) for k, v in WEIGHTS.items()}
    return [
        _when(
            "coalesce(epss, 0.0) <> 0.0",
            "epss",
            f"round(epss * {w['epss_max']}, 3)",
            "format('EPSS {:.2f}', epss)",
        ),
        _when("in_kev", "kev", w["kev"], _text("in CISA KEV (known exploited)")),
        _when("exploit_available", "exploit", w["exploit"], _text("public exploit available")),
        _when("fix_available", "fix_available", w["fix_available"], _text("fix available")),
        _when(
            "category = 'runtime_threat'",
            "active_threat",
            w["active_threat"],
            _text("runtime threat seen"),
        ),
    ]


def _exposure() -> list[str]:
    env = _lookup("environment", "environment", "0.0::DOUBLE")
    data = "list_sort(list_distinct(coalesce(data_classes, [])))"
    weight = _lookup("risk_d", "data", "0.0::DOUBLE")
    data_points = f"coalesce(list_sum(list_transform({data}, lambda risk_d: {weight})), 0.0)"
    return [
        _when("is_public", "public", _num(WEIGHTS["public"]), _text("reachable from the internet")),
        _when(f"{env} <> 0.0", "environment", env, "'runs in ' || environment"),
        _when(
            f"{data_points} <> 0.0",
            "data",
            data_points,
            f"'handles ' || array_to_string({data}, ', ')",
        ),
    ]


def _privilege() -> list[str]:
    per = _num(WEIGHTS["blast_radius_per_resource"])
    blast = f"least({_num(WEIGHTS['blast_radius_max'])}, reachable_sensitive * {per})"
    return [
        _when("admin_role", "privilege", _num(WEIGHTS["privilege.admin"]), _text("admin role")),
        _when(
            "NOT admin_role AND wildcard_role",
            "privilege",
            _num(WEIGHTS["privilege.wildcard"]),
            _text("wildcard permissions"),
        ),
        _when(
            "privileged",
            "privileged_container",
            _num(WEIGHTS["privilege.privileged_container"]),
            _text("privileged container"),
        ),
        _when(
            "reachable_sensitive > 0",
            "blast_radius",
            blast,
            "'reaches ' || reachable_sensitive || ' sensitive resource(s)'",
        ),
    ]


def factors_sql() -> str:
    """The factor list of one row, in ``risk_score``'s order, absent factors dropped."""
    parts = [_severity(), *_exploitability(), *_exposure(), *_privilege()]
    return f"list_filter([{', '.join(parts)}], lambda risk_f: risk_f IS NOT NULL)"


def score_sql(factors: str) -> str:
    """The 0-10 score from a factor list: ``10 * (1 - exp(-raw / SCALE))``, two decimals."""
    raw = f"list_sum(list_transform({factors}, lambda risk_f: risk_f.points))"
    return f"round(10.0 * (1.0 - exp(-{raw} / {_num(SCALE)})), 2)"
