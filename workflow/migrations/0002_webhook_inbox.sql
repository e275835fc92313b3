-- The webhook inbox: every authenticated event is written here (committed) before the
-- platform hears 2xx, then processed on a worker; (source, event_id) drops redeliveries.
CREATE TABLE IF NOT EXISTS webhook_inbox (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    event_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    headers TEXT NOT NULL,          -- JSON: the allow-listed headers, never credentials
    body BLOB NOT NULL,             -- the raw event, exactly as it arrived
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'processed', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    processed_at TEXT,
    findings TEXT,                  -- JSON: the normalised findings, for the findings store
    applied_at TEXT,                -- when a writer loaded them into the findings store
    UNIQUE (source, event_id)
);

CREATE INDEX IF NOT EXISTS webhook_inbox_pending ON webhook_inbox (status);

CREATE INDEX IF NOT EXISTS webhook_inbox_unapplied
    ON webhook_inbox (id) WHERE status = 'processed' AND applied_at IS NULL;

-- Authenticated events that could not be read: kept for a person to look at.
CREATE TABLE IF NOT EXISTS webhook_dead_letter (
    id INTEGER PRIMARY KEY,
    received_at TEXT NOT NULL,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    body BLOB NOT NULL,
    headers TEXT NOT NULL
);

-- Proactive Slack alerts, one per finding: the primary key makes a second one impossible.
CREATE TABLE IF NOT EXISTS webhook_alerts (
    finding_id TEXT PRIMARY KEY,
    inbox_id INTEGER NOT NULL REFERENCES webhook_inbox (id),
    channel TEXT,
    sent_at TEXT NOT NULL
);

-- Which findings each processed event carried: "is this finding new?" without parsing JSON.
CREATE TABLE IF NOT EXISTS webhook_findings (
    finding_id TEXT NOT NULL,
    inbox_id INTEGER NOT NULL REFERENCES webhook_inbox (id),
    PRIMARY KEY (finding_id, inbox_id)
);
