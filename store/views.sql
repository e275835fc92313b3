-- The semantic views: the only surface user queries may touch. Column names here are a
-- contract (docs/semantic-views.md documents each); add columns, never rename or drop.
-- Rebuilt on every open (CREATE OR REPLACE), so they always match the code.

CREATE OR REPLACE VIEW main.resources AS
SELECT
    r.resource_id, r.name, r.kind, r.cloud, r.account, r.region, r.environment,
    r.owner_team AS team, r.is_public, r.exposure, r.data_classes,
    list_contains(r.data_classes, 'PII') AS has_pii,
    list_contains(r.data_classes, 'PCI') AS has_pci,
    list_contains(r.data_classes, 'PHI') AS has_phi,
    coalesce(ru.open_findings, 0) AS open_findings,
    coalesce(ru.open_critical_findings, 0) AS open_critical_findings,
    ru.max_risk_score,
    r.tags, r.sources, r.first_seen, r.last_seen
FROM raw.resources r
LEFT JOIN derived.resource_rollup ru ON ru.resource_id = r.resource_id;

CREATE OR REPLACE VIEW main.functions AS
SELECT
    r.resource_id, r.name, r.cloud,
    CASE r.cloud WHEN 'aws' THEN 'AWS Lambda' WHEN 'azure' THEN 'Azure Functions'
        ELSE 'Google Cloud Functions' END AS service,
    r.account, r.region, r.environment, r.owner_team AS team,
    r.is_public, r.exposure, r.data_classes,
    list_contains(r.data_classes, 'PII') AS has_pii,
    list_contains(r.data_classes, 'PCI') AS has_pci,
    list_contains(r.data_classes, 'PHI') AS has_phi,
    r.runtime, regexp_extract(r.runtime, '^[a-z]+') AS runtime_family, r.runtime_deprecated,
    r.memory_mb, r.timeout_s, r.package_size_mb, r.invocations_30d, r.cold_start_p95_ms,
    r.provisioned_concurrency, coalesce(r.provisioned_concurrency, 0) > 0 AS has_provisioned_concurrency,
    r.role_id, role.name AS role_name,
    coalesce(rg.is_admin, false) AS role_is_admin,
    coalesce(rg.wildcard_actions, []) AS role_wildcard_actions,
    coalesce(ru.open_findings, 0) AS open_findings,
    coalesce(ru.open_critical_findings, 0) AS open_critical_findings,
    ru.max_risk_score,
    r.tags, r.sources, r.first_seen, r.last_seen
FROM raw.resources r
LEFT JOIN raw.resources role ON role.resource_id = r.role_id
LEFT JOIN derived.role_grants rg ON rg.role_id = r.role_id
LEFT JOIN derived.resource_rollup ru ON ru.resource_id = r.resource_id
WHERE r.kind = 'function';

CREATE OR REPLACE VIEW main.images AS
SELECT
    r.resource_id, r.name, r.cloud, r.account, r.region, r.owner_team AS team,
    r.registry, r.repository, r.image_tag AS tag, r.digest, r.os,
    r.image_created_at AS created_at,
    date_diff('day', r.image_created_at, current_localtimestamp()::TIMESTAMP) AS age_days,
    coalesce(iu.running_environments, []) AS running_environments,
    list_contains(coalesce(iu.running_environments, []), 'prod') AS runs_in_prod,
    coalesce(iu.workload_count, 0) AS workload_count,
    coalesce(iu.runs_public, false) AS runs_public,
    coalesce(ru.open_findings, 0) AS open_findings,
    coalesce(ru.open_critical_findings, 0) AS open_critical_findings,
    ru.max_risk_score,
    r.tags, r.sources, r.first_seen, r.last_seen
FROM raw.resources r
LEFT JOIN derived.image_usage iu ON iu.resource_id = r.resource_id
LEFT JOIN derived.resource_rollup ru ON ru.resource_id = r.resource_id
WHERE r.kind = 'image';

CREATE OR REPLACE VIEW main.workloads AS
SELECT
    r.resource_id, r.name, r.cloud, r.account, r.region, r.environment, r.owner_team AS team,
    r.cluster, r.namespace, r.workload_type, r.replicas,
    r.image_id, img.name AS image_name,
    r.privileged, r.runs_as_root, coalesce(r.host_paths, []) AS host_paths,
    len(coalesce(r.host_paths, [])) > 0 AS mounts_host_path,
    r.cpu_limit, r.memory_limit,
    r.cpu_limit IS NOT NULL AND r.memory_limit IS NOT NULL AS has_resource_limits,
    r.service_account, ri.role_id,
    r.is_public, r.exposure, r.data_classes,
    list_contains(r.data_classes, 'PII') AS has_pii,
    list_contains(r.data_classes, 'PCI') AS has_pci,
    list_contains(r.data_classes, 'PHI') AS has_phi,
    coalesce(ru.open_findings, 0) AS open_findings,
    coalesce(ru.open_critical_findings, 0) AS open_critical_findings,
    ru.max_risk_score,
    coalesce(img_ru.open_critical_findings, 0) AS image_open_critical_findings,
    r.tags, r.sources, r.first_seen, r.last_seen
FROM raw.resources r
LEFT JOIN raw.resources img ON img.resource_id = r.image_id
LEFT JOIN derived.resource_rollup img_ru ON img_ru.resource_id = r.image_id
LEFT JOIN (SELECT resource_id, min(role_id) AS role_id FROM derived.resource_identity GROUP BY ALL) ri
    ON ri.resource_id = r.resource_id
LEFT JOIN derived.resource_rollup ru ON ru.resource_id = r.resource_id
WHERE r.kind = 'workload';

CREATE OR REPLACE VIEW main.containers AS
SELECT
    r.resource_id, r.name, r.cloud, r.account, r.region, r.environment, r.owner_team AS team,
    r.cluster, r.namespace, r.node, r.started_at,
    r.workload_id, wl.name AS workload_name, r.image_id, img.name AS image_name,
    r.privileged, r.runs_as_root, r.is_public, r.exposure,
    coalesce(ru.open_findings, 0) AS open_findings, ru.max_risk_score,
    r.sources, r.first_seen, r.last_seen
FROM raw.resources r
LEFT JOIN raw.resources wl ON wl.resource_id = r.workload_id
LEFT JOIN raw.resources img ON img.resource_id = r.image_id
LEFT JOIN derived.resource_rollup ru ON ru.resource_id = r.resource_id
WHERE r.kind = 'container';

CREATE OR REPLACE VIEW main.roles AS
SELECT
    r.resource_id, r.name, r.cloud, r.account, r.environment, r.owner_team AS team,
    coalesce(rg.is_admin, false) AS is_admin,
    coalesce(rg.wildcard_actions, []) AS wildcard_actions,
    coalesce(rg.granted_actions, 0) AS granted_actions,
    coalesce(rg.used_actions, 0) AS used_actions,
    coalesce(rg.unused_actions, 0) AS unused_actions,
    coalesce(r.managed_policies, []) AS managed_policies,
    coalesce(r.trusted_by, []) AS trusted_by,
    coalesce(ru.open_findings, 0) AS open_findings, ru.max_risk_score,
    r.sources, r.first_seen, r.last_seen
FROM raw.resources r
LEFT JOIN derived.role_grants rg ON rg.role_id = r.resource_id
LEFT JOIN derived.resource_rollup ru ON ru.resource_id = r.resource_id
WHERE r.kind = 'role';

CREATE OR REPLACE VIEW main.triggers AS
SELECT
    r.resource_id, r.name, r.cloud, r.account, r.region, r.environment, r.owner_team AS team,
    r.trigger_type, r.trigger_path AS path, r.function_id, fn.name AS function_name,
    r.auth_type, upper(coalesce(r.auth_type, 'NONE')) <> 'NONE' AS has_authorizer,
    r.is_public, r.exposure, r.data_classes,
    coalesce(ru.open_findings, 0) AS open_findings, ru.max_risk_score,
    r.sources, r.first_seen, r.last_seen
FROM raw.resources r
LEFT JOIN raw.resources fn ON fn.resource_id = r.function_id
LEFT JOIN derived.resource_rollup ru ON ru.resource_id = r.resource_id
WHERE r.kind = 'trigger';

CREATE OR REPLACE VIEW main.buckets AS
SELECT
    r.resource_id, r.name, r.cloud, r.account, r.region, r.environment, r.owner_team AS team,
    r.encrypted, r.versioning, r.is_public, r.exposure, r.data_classes,
    list_contains(r.data_classes, 'PII') AS has_pii,
    list_contains(r.data_classes, 'PCI') AS has_pci,
    list_contains(r.data_classes, 'PHI') AS has_phi,
    coalesce(ru.open_findings, 0) AS open_findings, ru.max_risk_score,
    r.tags, r.sources, r.first_seen, r.last_seen
FROM raw.resources r
LEFT JOIN derived.resource_rollup ru ON ru.resource_id = r.resource_id
WHERE r.kind = 'bucket';

CREATE OR REPLACE VIEW main.findings AS
SELECT
    f.finding_id, f.source, f.source_id, f.resource_id,
    r.name AS resource_name, r.kind AS resource_kind, r.cloud, r.account, r.region,
    rc.environment, r.owner_team AS team, rc.is_public, rc.data_classes,
    list_contains(rc.data_classes, 'PII') AS has_pii,
    list_contains(rc.data_classes, 'PCI') AS has_pci,
    list_contains(rc.data_classes, 'PHI') AS has_phi,
    f.category, f.type, f.title, f.severity,
    CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2
        WHEN 'low' THEN 1 ELSE 0 END AS severity_rank,
    f.status, f.first_seen, f.last_seen, f.resolved_at,
    round(date_diff('second', f.first_seen, f.resolved_at) / 86400.0, 2) AS days_to_resolve,
    f.risk_score, f.risk_factors,
    v.cve_id, v.package, f.console_url
FROM raw.findings f
LEFT JOIN raw.resources r ON r.resource_id = f.resource_id
LEFT JOIN derived.risk_context rc ON rc.resource_id = f.resource_id
LEFT JOIN raw.vulnerabilities v ON v.vulnerability_id = f.vulnerability_id;

CREATE OR REPLACE VIEW main.vulnerabilities AS
SELECT
    v.vulnerability_id, v.resource_id, r.name AS resource_name, r.kind AS resource_kind,
    rc.environment, r.owner_team AS team, rc.is_public,
    v.cve_id, v.package, v.package_type, v.installed_version, v.fixed_version,
    v.fixed_version IS NOT NULL AND v.fixed_version <> '' AS fix_available,
    v.severity, v.status, v.cvss_score, v.cvss_vector, v.epss, v.in_kev, v.exploit_available,
    v.risk_score, v.sources, v.first_seen, v.last_seen,
    v.epss_percentile, v.kev_date_added, coalesce(v.kev_ransomware, false) AS kev_ransomware
FROM raw.vulnerabilities v
LEFT JOIN raw.resources r ON r.resource_id = v.resource_id
LEFT JOIN derived.risk_context rc ON rc.resource_id = v.resource_id;

CREATE OR REPLACE VIEW main.permissions AS
SELECT
    p.role_id, r.name AS role_name, r.owner_team AS team, p.action,
    CASE WHEN p.action IN ('*', '*:*') THEN '*' ELSE split_part(p.action, ':', 1) END AS service,
    p.resource_pattern, p.granted, p.used, p.last_used_at,
    contains(p.action, '*') AS is_wildcard,
    p.action IN ('*', '*:*') AND p.resource_pattern = '*' AS is_admin
FROM raw.permissions p
LEFT JOIN raw.resources r ON r.resource_id = p.role_id;

CREATE OR REPLACE VIEW main.edges AS
SELECT
    e.from_id, a.name AS from_name, a.kind AS from_kind, e.relation,
    e.to_id, b.name AS to_name, b.kind AS to_kind
FROM raw.edges e
LEFT JOIN raw.resources a ON a.resource_id = e.from_id
LEFT JOIN raw.resources b ON b.resource_id = e.to_id;

CREATE OR REPLACE VIEW main.reachable AS
SELECT
    x.from_id, a.name AS from_name, a.kind AS from_kind,
    x.to_id, b.name AS to_name, b.kind AS to_kind, b.data_classes AS to_data_classes,
    x.depth, x.path
FROM derived.reachability x
LEFT JOIN raw.resources a ON a.resource_id = x.from_id
LEFT JOIN raw.resources b ON b.resource_id = x.to_id;

-- Compliance (compliance/, migration 0003): framework controls mapped to finding types.
-- The mapping tables are filled from the package data by compliance.sync_mappings.
-- A control fails on an open mapped finding; it passes only when every mapped check is
-- reported by a synced source and something in the estate is of a kind it checks;
-- otherwise it is not_assessed ("could not verify"), never a pass by default.
CREATE OR REPLACE VIEW main.control_findings AS
SELECT
    c.framework || ':' || c.control_id AS control_key,
    c.framework, c.control_id, c.title AS control_title, cc.check_id,
    f.finding_id, f.title AS finding_title, f.resource_id, f.resource_name, f.resource_kind,
    f.cloud, f.account, f.environment, f.team, f.is_public, f.severity, f.severity_rank,
    f.status, f.risk_score, f.first_seen, f.last_seen, f.source
FROM raw.compliance_controls c
JOIN raw.compliance_control_checks cc
    ON cc.framework = c.framework AND cc.control_id = c.control_id
JOIN main.findings f ON f.type = cc.check_id;

CREATE OR REPLACE VIEW main.controls AS
WITH synced AS (
    SELECT coalesce(list(source), []) AS sources
    FROM raw.source_state WHERE last_sync_at IS NOT NULL
), mapped AS (
    SELECT cc.framework, cc.control_id,
        count(*) AS mapped_checks,
        count(*) FILTER (WHERE len(list_intersect(k.sources, s.sources)) > 0) AS covered_checks,
        bool_or(len(k.resource_kinds) = 0) AS account_level,
        flatten(list(k.resource_kinds)) AS kinds
    FROM raw.compliance_control_checks cc
    JOIN raw.compliance_checks k ON k.check_id = cc.check_id
    CROSS JOIN synced s
    GROUP BY cc.framework, cc.control_id
), failures AS (
    SELECT framework, control_id,
        count(DISTINCT finding_id) AS failing_findings,
        count(DISTINCT resource_id) AS failing_resources,
        max(risk_score) AS max_risk_score,
        round(coalesce(sum(risk_score), 0), 2) AS risk_total,
        min(first_seen) AS oldest_failure,
        list_sort(list_distinct(list(environment) FILTER (WHERE environment IS NOT NULL)))
            AS failing_environments,
        list_sort(list_distinct(list(team) FILTER (WHERE team IS NOT NULL))) AS failing_teams
    FROM main.control_findings
    WHERE status = 'open'
    GROUP BY framework, control_id
), kinds AS (
    SELECT kind, count(*) AS n FROM raw.resources GROUP BY kind
)
SELECT
    c.framework || ':' || c.control_id AS control_key,
    c.framework, c.control_id, c.title, c.section, c.description,
    CASE
        WHEN coalesce(f.failing_findings, 0) > 0 THEN 'fail'
        WHEN m.covered_checks < m.mapped_checks THEN 'not_assessed'
        WHEN (SELECT coalesce(sum(n), 0) FROM kinds
              WHERE m.account_level OR list_contains(m.kinds, kinds.kind)) = 0 THEN 'not_assessed'
        ELSE 'pass'
    END AS status,
    m.mapped_checks, m.covered_checks,
    coalesce(f.failing_findings, 0) AS failing_findings,
    coalesce(f.failing_resources, 0) AS failing_resources,
    f.max_risk_score, coalesce(f.risk_total, 0) AS risk_total, f.oldest_failure,
    coalesce(f.failing_environments, []) AS failing_environments,
    coalesce(f.failing_teams, []) AS failing_teams
FROM raw.compliance_controls c
JOIN mapped m ON m.framework = c.framework AND m.control_id = c.control_id
LEFT JOIN failures f ON f.framework = c.framework AND f.control_id = c.control_id;
