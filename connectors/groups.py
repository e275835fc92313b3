"""Pages to commit groups: fetched pages gathered and mapped together, off the main thread.

Flattening the models to Arrow happens here too, so that Python work overlaps the main
thread's MERGE and COMMIT (DuckDB releases the GIL while it writes).

A commit holds whole pages and the resume token after the last of them. Mapping a group
at once (rather than page by page) matters for the set-based path: DuckDB plans the
mapping query once per call, so a 20,000-record group pays that cost once instead of
forty times. ``commit_groups`` runs inside the prefetch thread; it yields every page as
it arrives (for progress and the restart rule) and then the mapped group.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from connectors.base import Mapped, RawPage, StreamSpec
from connectors.columnar import ColumnarMapper
from connectors.writer import mapped_arrow
from store import ArrowBatch

__all__ = ["CommitGroup", "commit_groups", "map_page", "map_pages"]

log = logging.getLogger(__name__)


def map_page(stream: StreamSpec, page: RawPage, columnar: ColumnarMapper | None = None) -> Mapped:
    """A page's records mapped; a record the mapper refuses is counted, not fatal.

    With a ``columnar`` mapper and a stream that has a ``ColumnarMap``, the page is
    mapped set-based where it can be (see ``connectors.columnar``); the records handed
    back go through the stream's Python mapper, one by one.
    """
    records: list[dict[str, Any]] | None = None
    mapped = Mapped()
    if columnar is not None and stream.columnar is not None:
        fast = columnar.map_page(stream.columnar, page)
        mapped = fast.mapped
        records = [orjson.loads(line) for line in fast.handed_back]
    for record in page.decoded() if records is None else records:
        if not isinstance(record, dict):
            mapped.skipped += 1
            log.debug("%s: skipped a record that is not a JSON object", stream.name)
            continue
        try:
            mapped.add(stream.map(record))
        except (ValueError, KeyError, TypeError) as exc:
            mapped.skipped += 1
            log.debug("%s: skipped a record (%s)", stream.name, type(exc).__name__)
    return mapped


def map_pages(
    stream: StreamSpec, pages: list[RawPage], columnar: ColumnarMapper | None = None
) -> Mapped:
    """Several pages of one stream mapped as one."""
    if len(pages) == 1:
        return map_page(stream, pages[0], columnar)
    if all(p.body is not None and not p.records for p in pages):
        body = b"\n".join(p.body or b"" for p in pages)
        return map_page(stream, RawPage(stream.name, [], pages[-1].resume, body=body), columnar)
    records = [r for p in pages for r in p.decoded()]
    return map_page(stream, RawPage(stream.name, records, pages[-1].resume), columnar)


@dataclass(frozen=True)
class CommitGroup:
    """Whole pages mapped together (as the store's Arrow batch), how many records could
    not be mapped, and the token that resumes after the last of them."""

    arrow: ArrowBatch
    skipped: int
    records: int
    pages: int
    resume: str | None


def _group(
    stream: StreamSpec, pages: list[RawPage], columnar: ColumnarMapper | None, size: int
) -> CommitGroup:
    mapped = map_pages(stream, pages, columnar)
    return CommitGroup(mapped_arrow(mapped), mapped.skipped, size, len(pages), pages[-1].resume)


def commit_groups(
    stream: StreamSpec,
    pages: Iterator[RawPage],
    columnar: ColumnarMapper | None,
    commit_records: int,
) -> Iterator[RawPage | CommitGroup]:
    """Each page as it comes, and after every ``commit_records`` records their group."""
    batch: list[RawPage] = []
    size = 0
    for page in pages:
        yield page
        batch.append(page)
        size += page.size
        if size >= commit_records:
            yield _group(stream, batch, columnar, size)
            batch, size = [], 0
    if batch:
        yield _group(stream, batch, columnar, size)
