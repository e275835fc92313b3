-- 0002: the connectors' sync bookkeeping (connectors/checkpoint.py, store/resolve.py).
-- Neither table is part of the content hash: they say how the data came, not what it is.

-- One row per source: its current or last sync run, and where that run got to. A page's
-- rows and the advance of `resume_token` commit in one transaction, so a run killed at
-- any point resumes after its last committed page.
CREATE TABLE raw.sync_runs (
    source          VARCHAR PRIMARY KEY,
    sync_id         VARCHAR NOT NULL,
    full_sync       BOOLEAN NOT NULL,
    started_at      TIMESTAMP NOT NULL,   -- the next incremental sync asks for changes since
    since           TIMESTAMP,            -- what this run asked for (NULL: everything)
    stream          VARCHAR,              -- the stream in progress
    resume_token    VARCHAR,              -- continues `stream` after its last committed page
    streams_done    VARCHAR[] NOT NULL,
    pages           BIGINT NOT NULL,
    records         BIGINT NOT NULL,
    skipped         BIGINT NOT NULL,      -- records the mapper could not use
    derive_pending  BOOLEAN NOT NULL,     -- rows committed since derived tables were rebuilt
    finished_at     TIMESTAMP             -- NULL while the run is in progress
);

-- The findings a full sync has seen so far; what it has not seen by the end is resolved.
CREATE TABLE raw.sync_seen (
    sync_id         VARCHAR NOT NULL,
    finding_id      VARCHAR NOT NULL
);
