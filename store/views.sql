-- The semantic views: the only surface user queries may touch. Column names here are a
-- contract (docs/semantic-views.md documents each); add columns, never rename or drop.
-- Rebuilt on every open (CREATE OR REPLACE), so they always match the code.
-- The resource, findings and vulnerabilities views read tables materialised after every
-- load (store/rollup.sql, the bodies live there): at a million findings the joins behind
-- them cost more than the question itself.

CREATE OR REPLACE VIEW main.resources AS
SELECT * FROM derived.resource_facts;

CREATE OR REPLACE VIEW main.functions AS
SELECT * FROM derived.function_facts;

CREATE OR REPLACE VIEW main.images AS
SELECT
    * EXCLUDE (running_environments, runs_in_prod, workload_count, runs_public,
        open_findings, open_critical_findings, max_risk_score, tags, sources, first_seen, last_seen),
    date_diff('day', created_at, current_localtimestamp()::TIMESTAMP) AS age_days,
    running_environments, runs_in_prod, workload_count, runs_public,
    open_findings, open_critical_findings, max_risk_score, tags, sources, first_seen, last_seen
FROM derived.image_facts;

CREATE OR REPLACE VIEW main.workloads AS
SELECT * FROM derived.workload_facts;

CREATE OR REPLACE VIEW main.containers AS
SELECT * FROM derived.container_facts;

CREATE OR REPLACE VIEW main.roles AS
SELECT * FROM derived.role_facts;

CREATE OR REPLACE VIEW main.triggers AS
SELECT * FROM derived.trigger_facts;

CREATE OR REPLACE VIEW main.buckets AS
SELECT * FROM derived.bucket_facts;

CREATE OR REPLACE VIEW main.findings AS
SELECT * FROM derived.finding_facts;

CREATE OR REPLACE VIEW main.vulnerabilities AS
SELECT * FROM derived.vulnerability_facts;

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
), open_by_resource AS (
    -- open findings folded per (type, resource) after every load (store/rollup.sql): a
    -- resource has one environment and team and a finding one type, so the sums below
    -- are exact and the per-control aggregate reads thousands of rows, not millions
    SELECT * FROM derived.open_type_rollup
    WHERE type IN (SELECT check_id FROM raw.compliance_control_checks)
), failures AS (
    SELECT cc.framework, cc.control_id,
        sum(o.findings)::BIGINT AS failing_findings,
        count(DISTINCT o.resource_id) AS failing_resources,
        max(o.max_risk) AS max_risk_score,
        round(coalesce(sum(o.risk_sum), 0), 2) AS risk_total,
        min(o.oldest) AS oldest_failure,
        list_sort(list_distinct(list(o.environment) FILTER (WHERE o.environment IS NOT NULL)))
            AS failing_environments,
        list_sort(list_distinct(list(o.team) FILTER (WHERE o.team IS NOT NULL))) AS failing_teams
    FROM open_by_resource o
    JOIN raw.compliance_control_checks cc ON cc.check_id = o.type
    GROUP BY cc.framework, cc.control_id
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
