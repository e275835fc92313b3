"""The sync engine: pull each source's streams into the store, resumably.

A run, per source: authenticate (all sources first, so bad credentials stop the run
before anything is written), then walk the streams (assets first) page by page. Each
page commits in one transaction with the run's checkpoint, so a killed sync resumes
after its last committed page. An incremental sync asks for changes since the previous
run's start (minus an overlap); a full sync asks for everything and afterwards resolves
the source's findings it did not see. Derived tables and risk scores are rebuilt once
at the end.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from connectors.base import Connector, RawPage, StreamSpec
from connectors.checkpoint import (
    SyncRun,
    finish_run,
    load_run,
    mark_stream_done,
    previous_cursor,
    start_run,
)
from connectors.columnar import ColumnarMapper
from connectors.groups import commit_groups, map_page
from connectors.prefetch import prefetched
from connectors.progress import SyncProgress
from connectors.registry import build_connector
from connectors.report import SourceReport, SyncReport
from connectors.webhooks import WebhookInbox, apply_pending
from connectors.writer import StoreWriter
from core.errors import ConfigError, ConnectorError, CopilotError, UpstreamError
from core.settings import Settings
from store import FindingsStore
from store.resolve import resolve_unseen
from workflow import WorkflowDB

__all__ = ["map_page", "run_sync"]

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def _connectors(
    names: Sequence[str] | None, settings: Settings, given: Mapping[str, Connector] | None
) -> dict[str, Connector]:
    if given is not None:
        return dict(given) if not names else {n: given[n] for n in names}
    chosen = list(names) if names else settings.configured_sources()
    if not chosen:
        raise ConfigError(
            "No source is configured.",
            remediation="Set POSTURE_WIZ__*, POSTURE_PRISMA__*, "
            "POSTURE_LACEWORK__* or POSTURE_ORCA__* (see the README).",
        )
    return {name: build_connector(name, settings) for name in chosen}


def _authenticate_all(connectors: Mapping[str, Connector]) -> None:
    """Every source proves its credentials before the store is even opened."""
    for connector in connectors.values():
        connector.authenticate()


def _begin(
    writer: StoreWriter, source: str, full: bool, overlap: timedelta, clock: Clock
) -> tuple[SyncRun, str]:
    """Resume the source's unfinished run, or start a new full or incremental one."""
    with writer.transaction() as con:
        run = load_run(con, source)
        if run is not None and run.in_progress and (run.full or not full):
            return run, ("full" if run.full else "incremental") + " (resumed)"
        cursor = None if full else previous_cursor(con, source)
        since = cursor - overlap if cursor is not None else None
        run = start_run(con, source, full=since is None, since=since, started_at=clock())
    return run, "full" if run.full else "incremental"


@dataclass
class _Sink:
    """Where one source's pages go, and how they are grouped into commits."""

    writer: StoreWriter
    report: SourceReport
    progress: SyncProgress
    origin: str
    commit_records: int
    columnar: ColumnarMapper


def _sync_stream(stream: StreamSpec, run: SyncRun, sink: _Sink) -> None:
    resume = run.resume if run.stream == stream.name else None
    pages_before = sink.report.pages
    try:
        _pull(stream, run, resume, sink)
    except UpstreamError as exc:
        refused = resume is not None and sink.report.pages == pages_before
        if not refused or exc.status not in (400, 404, 410):
            raise
        sink.report.restarted_streams.append(stream.name)  # the stored page token expired
        _pull(stream, run, None, sink)
    with sink.writer.transaction() as con:
        mark_stream_done(con, run, stream.name)


def _pull(stream: StreamSpec, run: SyncRun, resume: str | None, sink: _Sink) -> None:
    """Fetch, map and commit, in groups of at least ``commit_records`` records.

    Fetching and mapping run on the prefetch thread (``connectors.groups``), so a
    set-based mapping (DuckDB releases the GIL) overlaps the previous group's commit.
    Each commit holds whole pages and the token after the last of them, so a crash
    costs at most one group of pages, fetched again on resume.
    """
    report = sink.report
    fetched = stream.fetch(run.since, resume)
    for item in prefetched(commit_groups(stream, fetched, sink.columnar, sink.commit_records)):
        if isinstance(item, RawPage):
            report.pages += 1
            report.records += item.size
            sink.progress.advance(run.source, stream.name, item.size)
            continue
        report.skipped += item.skipped
        counts = sink.writer.commit_page(
            run,
            stream.name,
            item.resume,
            item.arrow,
            records=item.records,
            skipped=item.skipped,
            pages=item.pages,
            origin=sink.origin,
        )
        report.counts.update(counts)


def _sync_source(
    connector: Connector,
    writer: StoreWriter,
    *,
    full: bool,
    settings: Settings,
    progress: SyncProgress,
    origin: str | None,
    clock: Clock,
    columnar: ColumnarMapper,
) -> SourceReport:
    source = connector.source.value
    run, mode = _begin(writer, source, full, timedelta(seconds=settings.sync.overlap_s), clock)
    report = SourceReport(source, mode, run.started_at, since=run.since)
    sink = _Sink(writer, report, progress, origin or source, settings.sync.commit_records, columnar)
    try:
        for stream in connector.streams():
            if stream.name not in run.streams_done:
                _sync_stream(stream, run, sink)
        with writer.transaction() as con:
            if run.full:
                report.resolved = resolve_unseen(con, source, run.sync_id, run.started_at)
            report.finished_at = clock()
            finish_run(con, run, report.finished_at, report.line())
    except (ConnectorError, CopilotError) as exc:
        report.error = exc.one_line()
    finally:
        http, bucket = connector.transport_stats()
        report.requests, report.retries = http.requests, http.retries
        report.token_refreshes = http.token_refreshes
        report.throttle_waits, report.throttle_wait_s = bucket.waits, bucket.waited_s
    return report


def _apply_webhooks(workflow_path: Path, store: FindingsStore) -> None:
    with WorkflowDB(workflow_path) as db:
        apply_pending(WebhookInbox(db), store)


def run_sync(
    store_path: Path,
    settings: Settings,
    *,
    sources: Sequence[str] | None = None,
    full: bool = False,
    progress: bool = False,
    origin: str | None = None,
    connectors: Mapping[str, Connector] | None = None,
    memory_limit: str = "4GB",
    clock: Clock = lambda: datetime.now(UTC),
    workflow_path: Path | None = None,
) -> SyncReport:
    """Sync the named sources (all configured ones by default) into the store.

    Args:
        store_path: the DuckDB file (created when missing, after authentication).
        settings: every source's settings.
        sources: source names; None syncs every configured source.
        full: ask for everything and resolve what is no longer reported.
        progress: show a progress bar on stderr.
        origin: what ``raw.loads`` records as the writer (default: the source name).
        connectors: ready-made clients by name (tests, the demo); built from settings
            otherwise.
        memory_limit: DuckDB's memory cap.
        clock: now, in UTC.
        workflow_path: the workflow database; its processed webhook events are applied
            to the store first, so the pull that follows (newer) wins.

    Returns:
        The report; a source that failed mid-way has ``error`` set and resumes next time.

    Raises:
        ConfigError: an unknown or unconfigured source.
        AuthError: a source refused its credentials; nothing was written.
        ConnectorError: a source could not be reached before anything was written.
    """
    started = time.perf_counter()
    clients = _connectors(sources, settings, connectors)
    try:
        _authenticate_all(clients)
        reports: list[SourceReport] = []
        with (
            FindingsStore(store_path, memory_limit=memory_limit) as store,
            SyncProgress(enabled=progress) as bar,
            closing(ColumnarMapper()) as columnar,
        ):
            if workflow_path is not None:
                _apply_webhooks(workflow_path, store)
            writer = StoreWriter(store)
            for connector in clients.values():
                reports.append(
                    _sync_source(
                        connector,
                        writer,
                        full=full,
                        settings=settings,
                        progress=bar,
                        origin=origin,
                        clock=clock,
                        columnar=columnar,
                    )
                )
            rebuilt = writer.rebuild_if_pending()
    finally:
        for client in clients.values():
            client.close()
    return SyncReport(reports, rebuilt, round(time.perf_counter() - started, 3))
