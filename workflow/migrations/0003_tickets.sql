-- Tickets and pull requests delivered for approved proposals (tickets/desk.py).
-- One row per delivery (idempotency_key = the proposal's ID). A row is reserved as
-- 'pending' inside BEGIN IMMEDIATE before any API call, so two workers never both
-- create; 'failed' rows hold nothing delivered and are taken over by the next try.
-- Rows of one finding share correlation_id; several rows may point at one ticket key
-- (created = 0: the delivery commented on the finding's open ticket).
CREATE TABLE IF NOT EXISTS tickets (
    idempotency_key TEXT PRIMARY KEY,
    target TEXT NOT NULL CHECK (target IN ('jira', 'servicenow', 'github')),
    team TEXT NOT NULL,
    route TEXT NOT NULL,              -- Jira project, ServiceNow group, GitHub owner/repo
    source TEXT NOT NULL,
    finding_id TEXT NOT NULL,
    correlation_id TEXT NOT NULL,     -- tickets.client.correlation_id(source, finding_id)
    state TEXT NOT NULL CHECK (state IN ('pending', 'open', 'closed', 'failed')),
    key TEXT,                         -- PAY-12, INC0010001, acme/repo#7
    url TEXT,
    remote_id TEXT,                   -- what the API addresses: key, sys_id, pull/7
    remote_status TEXT,               -- the system's own word: Done, 6, merged
    created INTEGER,                  -- 1: this delivery opened the ticket
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until TEXT,                 -- a pending row past this is a crashed attempt
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT
);

CREATE INDEX IF NOT EXISTS tickets_by_finding ON tickets (target, correlation_id, state);

CREATE INDEX IF NOT EXISTS tickets_by_state ON tickets (state, target);
