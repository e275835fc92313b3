"""``vulnerabilityFindings`` nodes mapped set-based: ``vulnerability_to_finding`` in SQL.

The bulk of a Wiz tenant's findings are vulnerability findings, so this stream gets a
``ColumnarMap``. Every vocabulary (severities, statuses, package managers) is read from
``connectors.wiz.mapping``, the one place it is written; tests/connectors checks that a
page mapped here equals the same page mapped by the Python mapper, row for row.
"""

from __future__ import annotations

from connectors.base import ColumnarMap
from connectors.columnar_sql import (
    case_map,
    finding_reject,
    first_text,
    flag,
    flag_bad,
    number,
    number_bad,
    parse,
    ts,
    ts_bad,
    vulnerability_key,
)
from connectors.wiz.mapping import LANGUAGES, OS_PACKAGE_MANAGERS, SEVERITIES, STATUSES
from core.models import CVE_PATTERN

__all__ = ["COLUMNAR_VULNERABILITIES"]

_STRUCTURE = {
    "id": "VARCHAR",
    "portalUrl": "VARCHAR",
    "name": "VARCHAR",
    "vulnerabilityExternalId": "VARCHAR",
    "CVEDescription": "VARCHAR",
    "severity": "VARCHAR",
    "vendorSeverity": "VARCHAR",
    "CVSSSeverity": "VARCHAR",
    "score": "JSON",
    "cvssv3": {"vectorString": "VARCHAR"},
    "epssProbability": "JSON",
    "hasExploit": "JSON",
    "hasCisaKevExploit": "JSON",
    "status": "VARCHAR",
    "firstDetectedAt": "VARCHAR",
    "lastDetectedAt": "VARCHAR",
    "resolvedAt": "VARCHAR",
    "statusChangedAt": "VARCHAR",
    "detailedName": "VARCHAR",
    "version": "VARCHAR",
    "fixedVersion": "VARCHAR",
    "artifactType": {"osPackageManager": "VARCHAR", "codeLibraryLanguage": "VARCHAR"},
    "codeLibraryLanguage": "VARCHAR",
    "vulnerableAsset": {"id": "VARCHAR", "providerUniqueId": "VARCHAR"},
    "_posture": {"lastSeen": "VARCHAR"},
}


def _fields() -> str:
    """One row per node: the values ``vulnerability_to_finding`` computes, unvalidated."""
    manager = "nullif(r.artifactType.osPackageManager, '')"
    language = first_text("r.artifactType.codeLibraryLanguage", "r.codeLibraryLanguage")
    status_key = "coalesce(nullif(r.status, ''), 'OPEN')"
    severity_key = (
        f"coalesce({first_text('r.severity', 'r.vendorSeverity', 'r.CVSSSeverity')}, 'NONE')"
    )
    statuses = {k: v.value for k, v in STATUSES.items()}
    return f"""
    SELECT n, r,
        {first_text("r.name", "r.vulnerabilityExternalId")} AS cve_id,
        CASE WHEN {manager} IS NOT NULL
             THEN {case_map(manager, OS_PACKAGE_MANAGERS, f"lower({manager})")}
             WHEN {language} IS NOT NULL
             THEN {case_map(language, LANGUAGES, f"lower({language})")} END AS package_type,
        {first_text("r.vulnerableAsset.providerUniqueId", "r.vulnerableAsset.id")}
            AS resource_id,
        {ts("r.firstDetectedAt")} AS first_seen,
        coalesce({ts("r._posture.lastSeen")}, {ts("r.lastDetectedAt")}, first_seen) AS seen,
        {status_key} AS status_key,
        {case_map(status_key, statuses)} AS status,
        {severity_key} AS severity_key,
        {case_map(severity_key, {k: v.value for k, v in SEVERITIES.items()})} AS severity,
        CASE WHEN status = 'resolved' THEN greatest(
            coalesce({ts("r.resolvedAt")}, {ts("r.statusChangedAt")}, seen), first_seen)
            END AS resolved_at,
        greatest(seen, first_seen) AS last_seen
    FROM ({parse(_STRUCTURE)})
    """


def _checks() -> list[tuple[str, str]]:
    times = ("firstDetectedAt", "lastDetectedAt", "resolvedAt", "statusChangedAt")
    return [
        (" OR ".join([*(ts_bad(f"r.{t}") for t in times), ts_bad("r._posture.lastSeen")]), "time"),
        ("coalesce(r.id, '') = '' OR length(r.id) > 2048", "id"),
        ("first_seen IS NULL OR resource_id IS NULL OR length(resource_id) > 2048", "asset"),
        ("status IS NULL OR severity IS NULL", "vocabulary"),
        (f"NOT coalesce(regexp_full_match(cve_id, '{CVE_PATTERN}'), false)", "cve"),
        ("coalesce(length(r.detailedName), 0) NOT BETWEEN 1 AND 512", "package"),
        ("coalesce(length(r.version), 0) NOT BETWEEN 1 AND 256", "version"),
        (
            " OR ".join(
                [number_bad("r.score"), number_bad("r.epssProbability")]
                + [flag_bad("r.hasExploit"), flag_bad("r.hasCisaKevExploit")]
            ),
            "type",
        ),
        (f"NOT coalesce({number('r.score')} BETWEEN 0 AND 10, true)", "cvss"),
        (f"NOT coalesce({number('r.epssProbability')} BETWEEN 0 AND 1, true)", "epss"),
        ("length(title) > 1024 OR length(r.CVEDescription) > 16384", "length"),
    ]


def _sql() -> str:
    texts = [
        "r.id",
        "r.portalUrl",
        "cve_id",
        "r.detailedName",
        "r.version",
        "r.fixedVersion",
        "package_type",
        "resource_id",
        "r.CVEDescription",
        "r.cvssv3.vectorString",
    ]
    vuln_id = vulnerability_key("resource_id", "cve_id", "r.detailedName", "r.version")
    return f"""
    SELECT n, {finding_reject(texts, _checks())} AS reject,
        'wiz:' || r.id AS finding_id, 'wiz' AS source, r.id AS source_id, resource_id,
        'vulnerability' AS category, 'vulnerable_package' AS type, title,
        r.CVEDescription AS description, severity, status, first_seen, last_seen,
        resolved_at, r.portalUrl AS console_url, {vuln_id} AS vulnerability_id,
        {vuln_id} AS v_vulnerability_id, resource_id AS v_resource_id, cve_id AS v_cve_id,
        r.detailedName AS v_package, package_type AS v_package_type,
        r.version AS v_installed_version, nullif(r.fixedVersion, '') AS v_fixed_version,
        {number("r.score")} AS v_cvss_score, r.cvssv3.vectorString AS v_cvss_vector,
        {number("r.epssProbability")} AS v_epss, {flag("r.hasCisaKevExploit")} AS v_in_kev,
        {flag("r.hasExploit")} AS v_exploit_available, ['wiz'] AS v_sources,
        first_seen AS v_first_seen, last_seen AS v_last_seen
    FROM (SELECT *, cve_id || ' in ' || r.detailedName || ' ' || r.version AS title
          FROM ({_fields()}))
    """


COLUMNAR_VULNERABILITIES = ColumnarMap(sql=_sql())
