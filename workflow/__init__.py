"""Durable workflow state: proposals, tickets, the webhook inbox, suppressions.

Kept in SQLite beside the findings store, not in it: DuckDB allows one writing process
per file while the bot holds the findings store open read-only, and the findings store
is a cache a full sync or `posture demo` may rebuild. SQLite in WAL mode lets the bot, a
sync and the CLI write here at once, and survives restarts.
"""

from workflow.db import WorkflowDB

__all__ = ["WorkflowDB"]
