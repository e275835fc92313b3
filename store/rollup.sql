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
