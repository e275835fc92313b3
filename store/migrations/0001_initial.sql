-- 0001: the loaded tables. Derived tables and the semantic views are rebuilt from these
-- (store/derive.py, store/views.sql) and are not part of any migration.
-- Loaded tables live in schema raw, derived ones in derived, the views in main.
-- All timestamps are UTC without a zone.

CREATE SCHEMA raw;
CREATE SCHEMA derived;

CREATE TABLE raw.resources (
    resource_id        VARCHAR PRIMARY KEY,
    kind               VARCHAR NOT NULL,
    cloud              VARCHAR NOT NULL,
    account            VARCHAR,
    region             VARCHAR,
    name               VARCHAR NOT NULL,
    environment        VARCHAR,
    owner_team         VARCHAR,
    tags               MAP(VARCHAR, VARCHAR),
    is_public          BOOLEAN NOT NULL,
    exposure           VARCHAR,
    data_classes       VARCHAR[] NOT NULL,
    sources            VARCHAR[] NOT NULL,
    first_seen         TIMESTAMP,
    last_seen          TIMESTAMP,
    -- function
    runtime            VARCHAR,
    runtime_deprecated BOOLEAN,
    memory_mb          INTEGER,
    timeout_s          INTEGER,
    package_size_mb    DOUBLE,
    invocations_30d    BIGINT,
    cold_start_p95_ms  INTEGER,
    provisioned_concurrency INTEGER,
    role_id            VARCHAR,
    env_var_names      VARCHAR[],
    -- workload and container
    cluster            VARCHAR,
    namespace          VARCHAR,
    workload_type      VARCHAR,
    workload_id        VARCHAR,
    image_id           VARCHAR,
    node               VARCHAR,
    privileged         BOOLEAN,
    runs_as_root       BOOLEAN,
    host_paths         VARCHAR[],
    cpu_limit          VARCHAR,
    memory_limit       VARCHAR,
    service_account    VARCHAR,
    replicas           INTEGER,
    started_at         TIMESTAMP,
    -- image
    registry           VARCHAR,
    repository         VARCHAR,
    image_tag          VARCHAR,
    digest             VARCHAR,
    os                 VARCHAR,
    image_created_at   TIMESTAMP,
    -- role
    managed_policies   VARCHAR[],
    trusted_by         VARCHAR[],
    -- trigger
    trigger_type       VARCHAR,
    function_id        VARCHAR,
    auth_type          VARCHAR,
    trigger_path       VARCHAR,
    -- bucket
    encrypted          BOOLEAN,
    versioning         BOOLEAN
);

CREATE TABLE raw.vulnerabilities (
    vulnerability_id   VARCHAR PRIMARY KEY,
    resource_id        VARCHAR NOT NULL,
    cve_id             VARCHAR NOT NULL,
    package            VARCHAR NOT NULL,
    package_type       VARCHAR,
    installed_version  VARCHAR NOT NULL,
    fixed_version      VARCHAR,
    cvss_score         DOUBLE,
    cvss_vector        VARCHAR,
    epss               DOUBLE,
    in_kev             BOOLEAN NOT NULL,
    exploit_available  BOOLEAN NOT NULL,
    sources            VARCHAR[] NOT NULL,
    first_seen         TIMESTAMP NOT NULL,
    last_seen          TIMESTAMP NOT NULL,
    -- derived from the findings that report it (store/derive.py)
    severity           VARCHAR,
    status             VARCHAR,
    risk_score         DOUBLE
);

CREATE TABLE raw.findings (
    finding_id         VARCHAR PRIMARY KEY,  -- source:source_id
    source             VARCHAR NOT NULL,
    source_id          VARCHAR NOT NULL,
    resource_id        VARCHAR NOT NULL,
    category           VARCHAR NOT NULL,
    type               VARCHAR NOT NULL,
    title              VARCHAR NOT NULL,
    description        VARCHAR,
    severity           VARCHAR NOT NULL,
    status             VARCHAR NOT NULL,
    first_seen         TIMESTAMP NOT NULL,
    last_seen          TIMESTAMP NOT NULL,
    resolved_at        TIMESTAMP,
    console_url        VARCHAR,
    vulnerability_id   VARCHAR,
    -- derived (risk/): 0-10 for open findings, NULL otherwise, with the factors that made it
    risk_score         DOUBLE,
    risk_factors       STRUCT(name VARCHAR, points DOUBLE, detail VARCHAR)[]
);

CREATE TABLE raw.permissions (
    role_id            VARCHAR NOT NULL,
    action             VARCHAR NOT NULL,
    resource_pattern   VARCHAR NOT NULL,
    granted            BOOLEAN NOT NULL,
    used               BOOLEAN NOT NULL,
    last_used_at       TIMESTAMP,
    PRIMARY KEY (role_id, action, resource_pattern)
);

CREATE TABLE raw.edges (
    from_id            VARCHAR NOT NULL,
    relation           VARCHAR NOT NULL,
    to_id              VARCHAR NOT NULL,
    PRIMARY KEY (from_id, relation, to_id)
);

-- One row per load: who wrote what, for freshness and for "is this a demo store?".
CREATE TABLE raw.loads (
    load_id            BIGINT PRIMARY KEY,
    origin             VARCHAR NOT NULL,  -- 'demo' or a source name
    loaded_at          TIMESTAMP NOT NULL,
    resources          BIGINT NOT NULL,
    findings           BIGINT NOT NULL,
    note               VARCHAR
);

-- Per source: when it was last synced and how far (connectors keep their cursor here).
CREATE TABLE raw.source_state (
    source             VARCHAR PRIMARY KEY,
    last_sync_at       TIMESTAMP,
    cursor             VARCHAR,
    resources_seen     BIGINT,
    findings_seen      BIGINT,
    message            VARCHAR
);
