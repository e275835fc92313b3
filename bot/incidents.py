"""Incident ids: what a person sees instead of an exception, and what the log is keyed by.

The exception text (which may hold SQL, paths or tokens) only ever goes to the log; the
message in Slack carries the id, so an operator can find the trace.
"""

from __future__ import annotations

import logging
import secrets

__all__ = ["log_incident", "new_incident_id"]


def new_incident_id() -> str:
    """A short id people can read out: ``inc-`` and ten hex digits.

    >>> len(new_incident_id())
    14
    """
    return f"inc-{secrets.token_hex(5)}"


def log_incident(logger: logging.Logger, what: str) -> str:
    """Log the exception being handled under a new incident id, and return the id."""
    incident = new_incident_id()
    logger.exception("incident %s: %s", incident, what)
    return incident
