"""Container vulnerability rows mapped set-based: ``container_vuln_to_finding`` in SQL.

Rows whose ``vulnId`` is not itself a CVE or GHSA id (an advisory that names its CVE
only in the description) are handed back to the Python mapper, as is anything else
the SQL does not read exactly. Vocabularies come from ``connectors.lacework.mapping``.
"""

from __future__ import annotations

from connectors.base import ColumnarMap
from connectors.columnar_sql import (
    any_time,
    any_time_bad,
    case_map,
    finding_reject,
    first_text,
    flag,
    flag_bad,
    number,
    number_bad,
    parse,
    sql_text,
    vulnerability_key,
)
from connectors.lacework.mapping import NAMESPACES, PLAIN_ID, SEVERITIES, VULN_STATUSES
from core.models import CVE_PATTERN

__all__ = ["columnar_container_vulns"]

_STRUCTURE = {
    "vulnId": "VARCHAR",
    "featureKey": {
        "name": "VARCHAR",
        "namespace": "VARCHAR",
        "version": "VARCHAR",
        "version_installed": "VARCHAR",
    },
    "fixInfo": {"fixed_version": "VARCHAR"},
    "severity": "VARCHAR",
    "status": "VARCHAR",
    "startTime": "JSON",
    "endTime": "JSON",
    "imageId": "VARCHAR",
    "evalCtx": {"image_info": {"registry": "VARCHAR", "repo": "VARCHAR", "digest": "VARCHAR"}},
    "cveProps": {
        "description": "VARCHAR",
        "metadata": {"NVD": {"CVSSv3": {"Score": "JSON", "Vectors": "VARCHAR"}}},
    },
    "_posture": {
        "sourceId": "JSON",
        "resourceId": "VARCHAR",
        "lastSeen": "JSON",
        "resolvedAt": "JSON",
        "epss": "JSON",
        "inKev": "JSON",
        "exploit": "JSON",
    },
}
_TIMES = ("r.startTime", "r.endTime", "r._posture.lastSeen", "r._posture.resolvedAt")
_CVSS = "r.cveProps.metadata.NVD.CVSSv3"


def _source_id() -> str:
    """``str(ext.get("sourceId") or natural)`` for a string or integer id."""
    raw = "(CAST(r._posture.sourceId AS VARCHAR))"
    return (
        f"CASE WHEN coalesce({raw}, 'null') IN ('null', '\"\"', '0') THEN natural_id "
        f"WHEN regexp_full_match({raw}, '[0-9]+') THEN {raw} "
        f'WHEN regexp_full_match({raw}, \'"[^"\\\\]*"\') THEN {raw}[2:-2] END'
    )


def _fields() -> str:
    image = "r.evalCtx.image_info"
    built = f"{image}.registry || '/' || {image}.repo || '@' || {image}.digest"
    has_image = " AND ".join(
        f"coalesce({image}.{k}, '') <> ''" for k in ("registry", "repo", "digest")
    )
    namespace = "lower(split_part(coalesce(r.featureKey.namespace, ''), ':', 1))"
    status_key = "upper(coalesce(nullif(r.status, ''), 'VULNERABLE'))"
    severity_key = "lower(coalesce(nullif(r.severity, ''), 'low'))"
    return f"""
    SELECT n, r,
        r.vulnId AS cve_id,
        {case_map(namespace, NAMESPACES)} AS package_type,
        {first_text("r.featureKey.version", "r.featureKey.version_installed")} AS version,
        coalesce(nullif(r._posture.resourceId, ''),
                 CASE WHEN {has_image} THEN {built} END, nullif(r.imageId, '')) AS resource_id,
        coalesce({case_map(status_key, {k: v.value for k, v in VULN_STATUSES.items()})},
                 'open') AS status,
        coalesce({case_map(severity_key, {k: v.value for k, v in SEVERITIES.items()})},
                 'low') AS severity,
        {any_time("r.startTime")} AS first_seen,
        {any_time("r.endTime")} AS ended,
        greatest(coalesce({any_time("r._posture.lastSeen")}, ended, first_seen), first_seen)
            AS last_seen,
        CASE WHEN status = 'resolved' THEN greatest(
            coalesce({any_time("r._posture.resolvedAt")}, ended, last_seen), first_seen)
            END AS resolved_at,
        cve_id || ':' || r.featureKey.name || '@' || version || ':' || resource_id AS natural_id
    FROM ({parse(_STRUCTURE)})
    """


def _checks() -> list[tuple[str, str]]:
    numbers = [number_bad(f"{_CVSS}.Score"), number_bad("r._posture.epss")]
    flags = [flag_bad("r._posture.inKev"), flag_bad("r._posture.exploit")]
    return [
        (f"NOT coalesce(regexp_full_match(cve_id, {sql_text(PLAIN_ID.pattern)}), false)", "cve"),
        (" OR ".join(any_time_bad(t) for t in _TIMES), "time"),
        (" OR ".join(numbers + flags), "type"),
        ("source_id IS NULL OR NOT regexp_full_match(source_id, '[ -~]+')", "id"),
        ("length(source_id) > 2048", "id"),
        ("first_seen IS NULL OR resource_id IS NULL OR length(resource_id) > 2048", "resource"),
        (f"NOT coalesce(regexp_full_match(cve_id, {sql_text(CVE_PATTERN)}), false)", "cve"),
        ("coalesce(length(r.featureKey.name), 0) NOT BETWEEN 1 AND 512", "package"),
        ("coalesce(length(version), 0) NOT BETWEEN 1 AND 256", "version"),
        (f"NOT coalesce({number(f'{_CVSS}.Score')} BETWEEN 0 AND 10, true)", "cvss"),
        (f"NOT coalesce({number('r._posture.epss')} BETWEEN 0 AND 1, true)", "epss"),
        ("length(title) > 1024 OR length(r.cveProps.description) > 16384", "length"),
    ]


def columnar_container_vulns(console_url: str) -> ColumnarMap:
    """The vulnerabilities stream's ``ColumnarMap`` for a tenant's console URL."""
    console = sql_text(console_url.rstrip("/") + "/")
    texts = [
        "source_id",
        "cve_id",
        "r.featureKey.name",
        "version",
        "r.fixInfo.fixed_version",
        f"{_CVSS}.Vectors",
        "resource_id",
        "r.cveProps.description",
        "console_url",
    ]
    vuln_id = vulnerability_key("resource_id", "cve_id", "r.featureKey.name", "version")
    sql = f"""
    SELECT n, {finding_reject(texts, _checks())} AS reject,
        'lacework:' || source_id AS finding_id, 'lacework' AS source, source_id, resource_id,
        'vulnerability' AS category, 'vulnerable_package' AS type, title,
        nullif(r.cveProps.description, '') AS description, severity, status, first_seen,
        last_seen, resolved_at, console_url, {vuln_id} AS vulnerability_id,
        {vuln_id} AS v_vulnerability_id, resource_id AS v_resource_id, cve_id AS v_cve_id,
        r.featureKey.name AS v_package, package_type AS v_package_type,
        version AS v_installed_version, nullif(r.fixInfo.fixed_version, '') AS v_fixed_version,
        {number(f"{_CVSS}.Score")} AS v_cvss_score, {_CVSS}.Vectors AS v_cvss_vector,
        {number("r._posture.epss")} AS v_epss, {flag("r._posture.inKev")} AS v_in_kev,
        {flag("r._posture.exploit")} AS v_exploit_available, ['lacework'] AS v_sources,
        first_seen AS v_first_seen, last_seen AS v_last_seen
    FROM (SELECT *,
            cve_id || ' in ' || r.featureKey.name || ' ' || version AS title,
            {console} || CASE WHEN regexp_full_match(source_id, '[0-9]+')
                THEN 'ui/investigation/monitor/AlertInbox/' || source_id || '/details'
                ELSE 'ui/vulnerability' END AS console_url
          FROM (SELECT *, {_source_id()} AS source_id FROM ({_fields()})))
    """
    return ColumnarMap(sql=sql)
