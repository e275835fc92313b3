"""Alerts v2 vulnerability alerts mapped set-based: ``alert_to_finding`` in SQL.

Most Prisma Cloud alerts of a workload estate are ``workload_vulnerability`` alerts
carrying a Compute CVE in ``metadata``; those are mapped here. Every other alert (a
policy to look up in the rule table, a resolution to find in the history) is handed
back to the Python mapper. Vocabularies come from ``connectors.prisma.mapping`` and
``compute_mapping``; tests/connectors compares both paths on the same pages.
"""

from __future__ import annotations

from connectors.base import ColumnarMap
from connectors.columnar_sql import (
    any_time,
    any_time_bad,
    case_map,
    finding_reject,
    first_text,
    json_string,
    number,
    number_bad,
    parse,
    sql_text,
    vulnerability_key,
)
from connectors.prisma.compute_mapping import FIXED_IN, OS_FAMILIES, PACKAGE_TYPES
from connectors.prisma.mapping import SEVERITIES, STATUSES
from core.models import CVE_PATTERN

__all__ = ["columnar_alerts"]

_STRUCTURE = {
    "id": "VARCHAR",
    "status": "VARCHAR",
    "firstSeen": "JSON",
    "lastSeen": "JSON",
    "alertTime": "JSON",
    "policy": {"severity": "VARCHAR"},
    "resource": {"id": "VARCHAR", "rrn": "VARCHAR"},
    "metadata": {
        "cve": "VARCHAR",
        "id": "VARCHAR",
        "packageName": "VARCHAR",
        "packageVersion": "VARCHAR",
        "packageType": "VARCHAR",
        "distro": "VARCHAR",
        "cvss": "JSON",
        "vecStr": "VARCHAR",
        "vector": "VARCHAR",
        "status": "VARCHAR",
        "exploit": "JSON",
        "riskFactors": "JSON",
        "description": "VARCHAR",
    },
    "_posture": {"firstSeen": "JSON", "lastSeen": "JSON", "resolvedAt": "JSON", "epss": "JSON"},
}
_TIMES = (
    "r.firstSeen",
    "r.lastSeen",
    "r.alertTime",
    "r._posture.firstSeen",
    "r._posture.lastSeen",
    "r._posture.resolvedAt",
)


def _package_type() -> str:
    declared = "r.metadata.packageType"
    distro = "lower(coalesce(r.metadata.distro, ''))"
    families = " ".join(
        f"WHEN {' OR '.join(f'contains({distro}, {sql_text(w)})' for w in words)} "
        f"THEN {sql_text(kind)}"
        for kind, words in OS_FAMILIES
    )
    return (
        f"CASE WHEN {declared} IN ({', '.join(sql_text(k) for k in PACKAGE_TYPES)}) "
        f"THEN {case_map(declared, PACKAGE_TYPES)} "
        f"WHEN {declared} IS NULL OR {declared} IN ('package', 'os') "
        f"THEN (CASE {families} END) END"
    )


def _fields() -> str:
    """One row per alert: what ``alert_to_finding`` computes for a vulnerability alert."""
    fixed = "trim(coalesce(r.metadata.status, ''))"
    exploit = "exploit_text"
    factors = (
        "(CASE WHEN json_type(r.metadata.riskFactors) = 'OBJECT' "
        "THEN json_keys(r.metadata.riskFactors) END)"
    )
    status_key = "coalesce(nullif(r.status, ''), 'open')"
    severity_key = "lower(coalesce(nullif(r.policy.severity, ''), 'low'))"
    return f"""
    SELECT n, r, {json_string("r.metadata.exploit")} AS exploit_text,
        {first_text("r.metadata.cve", "r.metadata.id")} AS cve_id,
        {_package_type()} AS package_type,
        CASE WHEN starts_with(lower({fixed}), {sql_text(FIXED_IN)})
             THEN nullif(trim({fixed}[{len(FIXED_IN) + 1}:]), '') END AS fixed_version,
        nullif({number("r.metadata.cvss")}, 0.0) AS cvss_score,
        {first_text("r.metadata.vecStr", "r.metadata.vector")} AS cvss_vector,
        {number("r._posture.epss")} AS epss,
        {exploit} = 'cisa-kev' AS in_kev,
        {exploit} <> '' OR coalesce(
            list_bool_or(list_transform({factors}, lambda k: starts_with(k, 'Exploit exists'))),
            false) AS exploit_available,
        {first_text("r.resource.id", "r.resource.rrn")} AS resource_id,
        coalesce({any_time("r._posture.firstSeen")}, {any_time("r.firstSeen")},
                 {any_time("r.alertTime")}) AS first_seen,
        coalesce({any_time("r._posture.lastSeen")}, {any_time("r.lastSeen")}, first_seen) AS seen,
        {case_map(status_key, {k: v.value for k, v in STATUSES.items()})} AS status,
        {case_map(severity_key, {k: v.value for k, v in SEVERITIES.items()})} AS severity,
        CASE WHEN status = 'resolved'
             THEN greatest(coalesce({any_time("r._posture.resolvedAt")}, seen), first_seen)
             END AS resolved_at,
        greatest(seen, first_seen) AS last_seen
    FROM ({parse(_STRUCTURE)})
    """


def _checks() -> list[tuple[str, str]]:
    factors_type = "coalesce(json_type(r.metadata.riskFactors), 'NULL')"
    resolved_elsewhere = "coalesce(r._posture.resolvedAt, 'null') IN ('null', '\"\"', '0')"
    return [
        ("cve_id IS NULL", "not a vulnerability alert"),
        ("exploit_text IS NULL", "exploit"),
        (" OR ".join(any_time_bad(t) for t in _TIMES), "time"),
        (f"status = 'resolved' AND {resolved_elsewhere}", "resolution in history"),
        (
            " OR ".join(
                [number_bad("r.metadata.cvss"), number_bad("r._posture.epss")]
                + [
                    f"{factors_type} NOT IN ('NULL', 'OBJECT')",
                    r"regexp_matches(r.metadata.status, '[^\S ]')",
                ]
            ),
            "type",
        ),
        ("coalesce(r.id, '') = '' OR length(r.id) > 2048", "id"),
        ("first_seen IS NULL OR resource_id IS NULL OR length(resource_id) > 2048", "resource"),
        ("status IS NULL OR severity IS NULL", "vocabulary"),
        (f"NOT coalesce(regexp_full_match(cve_id, {sql_text(CVE_PATTERN)}), false)", "cve"),
        ("coalesce(length(r.metadata.packageName), 0) NOT BETWEEN 1 AND 512", "package"),
        ("coalesce(length(r.metadata.packageVersion), 0) NOT BETWEEN 1 AND 256", "version"),
        ("NOT coalesce(cvss_score BETWEEN 0 AND 10, true)", "cvss"),
        ("NOT coalesce(epss BETWEEN 0 AND 1, true)", "epss"),
        ("length(title) > 1024 OR length(r.metadata.description) > 16384", "length"),
    ]


def columnar_alerts(app_url: str) -> ColumnarMap:
    """The alerts stream's ``ColumnarMap`` for a tenant's console URL."""
    console = sql_text(f"{app_url.rstrip('/')}/alerts/overview?alertId=")
    texts = [
        "r.id",
        "cve_id",
        "r.metadata.packageName",
        "r.metadata.packageVersion",
        "fixed_version",
        "cvss_vector",
        "resource_id",
        "r.metadata.description",
        "console_url",
    ]
    vuln_id = vulnerability_key(
        "resource_id", "cve_id", "r.metadata.packageName", "r.metadata.packageVersion"
    )
    sql = f"""
    SELECT n, {finding_reject(texts, _checks())} AS reject,
        'prisma:' || r.id AS finding_id, 'prisma' AS source, r.id AS source_id, resource_id,
        'vulnerability' AS category, 'vulnerable_package' AS type, title,
        r.metadata.description AS description, severity, status, first_seen, last_seen,
        resolved_at, console_url, {vuln_id} AS vulnerability_id,
        {vuln_id} AS v_vulnerability_id, resource_id AS v_resource_id, cve_id AS v_cve_id,
        r.metadata.packageName AS v_package, package_type AS v_package_type,
        r.metadata.packageVersion AS v_installed_version, fixed_version AS v_fixed_version,
        cvss_score AS v_cvss_score, cvss_vector AS v_cvss_vector, epss AS v_epss,
        in_kev AS v_in_kev, exploit_available AS v_exploit_available,
        ['prisma'] AS v_sources, first_seen AS v_first_seen, last_seen AS v_last_seen
    FROM (SELECT *,
            cve_id || ' in ' || r.metadata.packageName || ' ' || r.metadata.packageVersion AS title,
                 {console} || r.id AS console_url
          FROM ({_fields()}))
    """
    return ColumnarMap(sql=sql)
