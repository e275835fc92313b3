-- 0003: compliance. The framework mappings (synced from compliance/ package data by
-- store/compliance_store.py replace_mappings) and the stored snapshots, for trends.
-- Numbered 0003 to leave 0002 to the connectors; the loader applies whatever is missing.

CREATE TABLE raw.compliance_checks (
    check_id           VARCHAR PRIMARY KEY,   -- a finding type
    title              VARCHAR NOT NULL,
    resource_kinds     VARCHAR[] NOT NULL,    -- empty: account-level
    sources            VARCHAR[] NOT NULL     -- platforms that can report it
);

CREATE TABLE raw.compliance_controls (
    framework          VARCHAR NOT NULL,
    control_id         VARCHAR NOT NULL,
    title              VARCHAR NOT NULL,
    section            VARCHAR,
    description        VARCHAR,
    PRIMARY KEY (framework, control_id)
);

CREATE TABLE raw.compliance_control_checks (
    framework          VARCHAR NOT NULL,
    control_id         VARCHAR NOT NULL,
    check_id           VARCHAR NOT NULL,
    PRIMARY KEY (framework, control_id, check_id)
);

-- One row per stored snapshot; scope columns NULL mean "all".
CREATE TABLE raw.compliance_snapshots (
    snapshot_id        BIGINT PRIMARY KEY,
    framework          VARCHAR NOT NULL,
    framework_version  VARCHAR NOT NULL,
    taken_at           TIMESTAMP NOT NULL,
    scope_key          VARCHAR NOT NULL,      -- "env=prod;team=*;cloud=*;account=*"
    environment        VARCHAR,
    team               VARCHAR,
    cloud              VARCHAR,
    account            VARCHAR,
    passed             INTEGER NOT NULL,
    failed             INTEGER NOT NULL,
    not_assessed       INTEGER NOT NULL,
    pass_rate          DOUBLE,                -- passed / (passed + failed); NULL if none assessed
    sources            VARCHAR[] NOT NULL     -- synced sources at the time
);

CREATE TABLE raw.compliance_results (
    snapshot_id        BIGINT NOT NULL,
    control_id         VARCHAR NOT NULL,
    status             VARCHAR NOT NULL,      -- pass | fail | not_assessed
    reason             VARCHAR NOT NULL,
    failing_findings   INTEGER NOT NULL,
    failing_resources  INTEGER NOT NULL,
    max_risk_score     DOUBLE,
    risk_total         DOUBLE NOT NULL,
    PRIMARY KEY (snapshot_id, control_id)
);
