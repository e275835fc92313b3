-- Derived tables, rebuilt after every load (store/derive.py). They hold what the semantic views and the risk score need, so a
-- question never pays for a graph walk or a rollup at query time.

-- 1. reachability: every resource reachable from another through edges, up to 4 hops.
CREATE OR REPLACE TABLE derived.reachability AS
WITH RECURSIVE walk(from_id, to_id, depth, path) AS (
    SELECT from_id, to_id, 1, [relation] FROM raw.edges
    UNION ALL
    SELECT w.from_id, e.to_id, w.depth + 1, list_append(w.path, e.relation)
    FROM walk w JOIN raw.edges e ON e.from_id = w.to_id
    WHERE w.depth < 4 AND e.to_id <> w.from_id
)
SELECT from_id, to_id, min(depth) AS depth, arg_min(path, depth) AS path
FROM walk GROUP BY from_id, to_id;

-- 2. the identity each compute resource acts as
CREATE OR REPLACE TABLE derived.resource_identity AS
SELECT resource_id, role_id FROM raw.resources WHERE kind = 'function' AND role_id IS NOT NULL
UNION
SELECT from_id, to_id FROM raw.edges WHERE relation IN ('assumes_role', 'uses_service_account');

-- 3. what each role grants
CREATE OR REPLACE TABLE derived.role_grants AS
SELECT
    role_id,
    bool_or(granted AND action IN ('*', '*:*') AND resource_pattern = '*') AS is_admin,
    list_sort(list_distinct(list(action) FILTER (WHERE granted AND contains(action, '*'))))
        AS wildcard_actions,
    count(*) FILTER (WHERE granted) AS granted_actions,
    count(*) FILTER (WHERE granted AND used) AS used_actions,
    count(*) FILTER (WHERE granted AND NOT used) AS unused_actions
FROM raw.permissions GROUP BY role_id;

-- 4. where each image runs (through workloads and containers)
CREATE OR REPLACE TABLE derived.image_usage AS
SELECT
    r.image_id AS resource_id,
    list_sort(list_distinct(list(r.environment) FILTER (WHERE r.environment IS NOT NULL)))
        AS running_environments,
    count(DISTINCT r.resource_id) FILTER (WHERE r.kind = 'workload') AS workload_count,
    bool_or(r.is_public) AS runs_public,
    list_sort(list_distinct(flatten(list(r.data_classes)))) AS data_classes
FROM raw.resources r WHERE r.image_id IS NOT NULL AND r.kind IN ('workload', 'container')
GROUP BY r.image_id;

-- 5. the context the risk score reads, one row per resource. An image takes the
-- environment, exposure and data of the workloads that run it.
CREATE OR REPLACE TABLE derived.risk_context AS
SELECT
    r.resource_id,
    r.kind,
    CASE
        WHEN r.kind = 'image' AND list_contains(iu.running_environments, 'prod') THEN 'prod'
        WHEN r.kind = 'image' AND list_contains(iu.running_environments, 'staging') THEN 'staging'
        WHEN r.kind = 'image' THEN iu.running_environments[1]
        ELSE r.environment
    END AS environment,
    r.is_public OR coalesce(iu.runs_public, false) AS is_public,
    list_sort(list_distinct(list_concat(r.data_classes, coalesce(iu.data_classes, []))))
        AS data_classes,
    coalesce(r.privileged, false) AS privileged,
    coalesce(rg.is_admin, own.is_admin, false) AS admin_role,
    coalesce(len(rg.wildcard_actions), len(own.wildcard_actions), 0) > 0 AS wildcard_role,
    coalesce(sens.reachable_sensitive, 0) AS reachable_sensitive
FROM raw.resources r
LEFT JOIN derived.image_usage iu ON iu.resource_id = r.resource_id
LEFT JOIN derived.resource_identity ri ON ri.resource_id = r.resource_id
LEFT JOIN derived.role_grants rg ON rg.role_id = ri.role_id
LEFT JOIN derived.role_grants own ON own.role_id = r.resource_id
LEFT JOIN (
    SELECT x.from_id, count(DISTINCT x.to_id) AS reachable_sensitive
    FROM derived.reachability x JOIN raw.resources t ON t.resource_id = x.to_id
    WHERE len(t.data_classes) > 0
    GROUP BY x.from_id
) sens ON sens.from_id = r.resource_id
QUALIFY row_number() OVER (
    PARTITION BY r.resource_id ORDER BY rg.is_admin DESC NULLS LAST, rg.role_id
) = 1;
