"""`posture enrich`: fetch KEV and EPSS, apply them to the store, audit what changed.

Both feeds are fetched and parsed before the store is touched, so a bad feed leaves the
store as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx

from connectors.intel.feeds import EPSS_URL, KEV_URL, fetch_feed
from connectors.intel.parse import parse_epss, parse_kev
from governance.audit import AuditEvent, AuditLog
from store import EnrichReport, FeedInfo, FindingsStore

__all__ = ["EnrichOutcome", "enrich_store"]


@dataclass(frozen=True)
class EnrichOutcome:
    report: EnrichReport
    feeds: list[FeedInfo] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "kev: cached 2.0 h ago"


def enrich_store(
    store: FindingsStore,
    *,
    cache_dir: Path,
    kev: str | None = KEV_URL,
    epss: str | None = EPSS_URL,
    client: httpx.Client | None = None,
    audit: AuditLog | None = None,
    actor: str = "cli",
) -> EnrichOutcome:
    """Apply the KEV catalog and EPSS scores (None skips a feed) and re-score.

    Raises:
        ConnectorError: a feed cannot be read or downloaded; ValidationFailed: a feed is
        not in its format. Either way the store is unchanged.
    """
    feeds: dict[str, FeedInfo] = {}
    notes: list[str] = []
    for name, spec, parse in (("kev", kev, parse_kev), ("epss", epss, parse_epss)):
        if spec is None:
            continue
        raw = fetch_feed(spec, cache_dir=cache_dir, client=client)
        feeds[name] = parse(raw.data, raw.origin)
        if raw.note:
            notes.append(f"{name}: {raw.note}")
    report = store.enrich(kev=feeds.get("kev"), epss=feeds.get("epss"))
    if audit is not None:
        audit.append(
            AuditEvent(
                action="intel.applied",
                actor=actor,
                details={
                    "feeds": {
                        f.feed: {
                            "version": f.version,
                            "origin": f.origin,
                            "entries": f.table.num_rows,
                        }
                        for f in feeds.values()
                    },
                    **report.model_dump(exclude={"elapsed_s"}),
                },
            )
        )
    return EnrichOutcome(report=report, feeds=list(feeds.values()), notes=notes)
