"""Rebuild what the views read after a load: graph tables, risk scores, rollups.

The risk formula lives in ``risk.score`` as a pure function; this module only feeds it
the signals from the store and writes the scores back in bulk. Identical signals are
scored once (``functools.cache``): an estate has far fewer distinct signal sets than
findings.
"""

from __future__ import annotations

from functools import cache

import duckdb
import pyarrow as pa

from risk import RiskScore, RiskSignals, risk_score
from store.migrate import run_script

__all__ = ["rebuild_derived", "score_open_findings"]

_SIGNALS_SQL = """
SELECT f.finding_id, f.severity, f.category, v.cvss_score, v.epss,
       coalesce(v.in_kev, false), coalesce(v.exploit_available, false),
       coalesce(v.fixed_version IS NOT NULL, false),
       coalesce(rc.is_public, false), rc.environment, coalesce(rc.data_classes, []),
       coalesce(rc.admin_role, false), coalesce(rc.wildcard_role, false),
       coalesce(rc.privileged, false), coalesce(rc.reachable_sensitive, 0)
FROM raw.findings f
LEFT JOIN raw.vulnerabilities v ON v.vulnerability_id = f.vulnerability_id
LEFT JOIN derived.risk_context rc ON rc.resource_id = f.resource_id
WHERE f.status = 'open'
"""

_FACTOR_TYPE = pa.list_(
    pa.struct([("name", pa.string()), ("points", pa.float64()), ("detail", pa.string())])
)


@cache
def _cached_score(signals: RiskSignals) -> RiskScore:
    return risk_score(signals)


def score_open_findings(con: duckdb.DuckDBPyConnection) -> int:
    """Score every open finding and clear the score of the others; returns how many scored."""
    rows = con.execute(_SIGNALS_SQL).fetchall()
    ids, scores, factors = [], [], []
    for row in rows:
        signals = RiskSignals(
            severity=row[1],
            category=row[2],
            cvss=row[3],
            epss=row[4],
            in_kev=row[5],
            exploit_available=row[6],
            fix_available=row[7],
            is_public=row[8],
            environment=row[9],
            data_classes=tuple(row[10]),
            admin_role=row[11],
            wildcard_role=row[12],
            privileged=row[13],
            reachable_sensitive=row[14],
        )
        result = _cached_score(signals)
        ids.append(row[0])
        scores.append(result.score)
        factors.append(
            [{"name": f.name, "points": f.points, "detail": f.detail} for f in result.factors]
        )
    table = pa.table(
        {"finding_id": ids, "risk_score": scores, "risk_factors": factors},
        schema=pa.schema(
            [
                ("finding_id", pa.string()),
                ("risk_score", pa.float64()),
                ("risk_factors", _FACTOR_TYPE),
            ]
        ),
    )
    con.execute(
        "UPDATE raw.findings SET risk_score = NULL, risk_factors = NULL "
        "WHERE status <> 'open' AND risk_score IS NOT NULL"
    )
    con.register("_scores", table)
    try:
        con.execute(
            "UPDATE raw.findings AS f SET risk_score = s.risk_score, risk_factors = s.risk_factors "
            "FROM _scores s WHERE f.finding_id = s.finding_id"
        )
    finally:
        con.unregister("_scores")
    return len(ids)


def rebuild_derived(con: duckdb.DuckDBPyConnection) -> int:
    """Graph and context tables, then risk, then the rollups that read risk."""
    run_script(con, "derive.sql")
    scored = score_open_findings(con)
    run_script(con, "rollup.sql")
    return scored
