-- Rollups that need the risk scores: run after risk/ has scored the open findings.

UPDATE raw.vulnerabilities AS v SET
    severity = agg.severity,
    status = agg.status,
    risk_score = agg.risk_score
FROM (
    SELECT
        vulnerability_id,
        arg_max(severity, CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3
            WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END) AS severity,
        CASE WHEN bool_or(status = 'open') THEN 'open'
             WHEN bool_or(status = 'suppressed') THEN 'suppressed'
             ELSE 'resolved' END AS status,
        max(risk_score) AS risk_score
    FROM raw.findings WHERE vulnerability_id IS NOT NULL
    GROUP BY vulnerability_id
) agg
WHERE v.vulnerability_id = agg.vulnerability_id;

CREATE OR REPLACE TABLE derived.resource_rollup AS
SELECT
    resource_id,
    count(*) FILTER (WHERE status = 'open') AS open_findings,
    count(*) FILTER (WHERE status = 'open' AND severity = 'critical') AS open_critical_findings,
    max(risk_score) FILTER (WHERE status = 'open') AS max_risk_score
FROM raw.findings GROUP BY resource_id;

-- The resource views, materialised the same way (main.<view> selects from these; the
-- images view adds age_days, which follows the clock, at query time).
CREATE OR REPLACE TABLE derived.resource_facts AS
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

CREATE OR REPLACE TABLE derived.function_facts AS
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

CREATE OR REPLACE TABLE derived.image_facts AS
SELECT
    r.resource_id, r.name, r.cloud, r.account, r.region, r.owner_team AS team,
    r.registry, r.repository, r.image_tag AS tag, r.digest, r.os,
    r.image_created_at AS created_at,
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

CREATE OR REPLACE TABLE derived.workload_facts AS
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

CREATE OR REPLACE TABLE derived.container_facts AS
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

CREATE OR REPLACE TABLE derived.role_facts AS
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

CREATE OR REPLACE TABLE derived.trigger_facts AS
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

CREATE OR REPLACE TABLE derived.bucket_facts AS
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

-- The findings and vulnerabilities views, materialised (main.findings and
-- main.vulnerabilities select * from these): a question at a million findings then scans
-- one table instead of joining four. Rebuilt here, so wherever derived tables are rebuilt.
CREATE OR REPLACE TABLE derived.finding_facts AS
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

CREATE OR REPLACE TABLE derived.vulnerability_facts AS
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

-- Open findings per (type, resource), for the controls view: compliance failures fold
-- millions of (finding, control) pairs otherwise.
CREATE OR REPLACE TABLE derived.open_type_rollup AS
SELECT type, resource_id,
    any_value(environment) AS environment, any_value(team) AS team,
    count(*) AS findings, max(risk_score) AS max_risk, sum(risk_score) AS risk_sum,
    min(first_seen) AS oldest
FROM derived.finding_facts
WHERE status = 'open'
GROUP BY type, resource_id;
