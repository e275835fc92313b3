-- Proposals: fixes, tickets and suppressions waiting for (or past) a human decision.
-- One row per proposal; its id is the delivery's idempotency key. ``version`` grows on
-- every change so a compare-and-set on (id, state) is the only way to move a proposal.
CREATE TABLE IF NOT EXISTS proposals (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('fix', 'ticket', 'suppression')),
    finding_id TEXT NOT NULL,
    source TEXT NOT NULL,
    team TEXT NOT NULL,
    target TEXT,
    severity TEXT NOT NULL,
    title TEXT NOT NULL,
    draft TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    state TEXT NOT NULL CHECK (
        state IN ('pending', 'approved', 'rejected', 'delivered', 'failed', 'closed', 'expired')
    ),
    reason TEXT,
    decided_by TEXT,
    suppression TEXT,
    expires_at TEXT,
    receipt TEXT,
    slack_channel TEXT,
    slack_ts TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS proposals_by_state ON proposals (state, kind);

CREATE INDEX IF NOT EXISTS proposals_by_finding ON proposals (finding_id, kind);

-- at most one open proposal of each kind per finding: a second "Draft fix" finds the first
CREATE UNIQUE INDEX IF NOT EXISTS proposals_one_open
    ON proposals (finding_id, kind) WHERE state IN ('pending', 'approved', 'failed');
