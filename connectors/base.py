"""What the sync engine needs from a client: named, resumable streams of raw pages.

A client exposes a few streams per platform (Wiz: resources, issues, vulnerability
findings; Prisma Cloud: images, functions, config resources, alerts ...). Each stream
yields ``RawPage``s in a ``yield`` loop, never recursion; a page carries the token that
resumes the stream *after* it, so the engine can store that token in the same
transaction as the page's rows and pick up exactly there after a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

import orjson
import pyarrow as pa

from connectors.http import HttpStats
from connectors.ratelimit import BucketStats
from core.models import Edge, Finding, Permission, Resource, Source

__all__ = [
    "ColumnarMap",
    "Connector",
    "Mapped",
    "RawPage",
    "StreamSpec",
]

Model = Resource | Finding | Permission | Edge


@dataclass(frozen=True)
class RawPage:
    """One page of one stream as the platform sent it.

    ``resume`` continues the stream after this page; None means the stream is done.
    ``body``, when the transport kept them, is the records as newline-delimited JSON
    (``records`` may then be empty): the columnar path parses it in DuckDB and never
    builds a dict per record.
    """

    stream: str
    records: list[dict[str, Any]]
    resume: str | None
    body: bytes | None = None

    @property
    def size(self) -> int:
        """How many records the page holds."""
        if self.body is None or self.records:
            return len(self.records)
        return sum(1 for line in self.body.split(b"\n") if line.strip())

    def decoded(self) -> list[dict[str, Any]]:
        """The records as dicts, parsing ``body`` when that is all the page has."""
        if self.body is None or self.records:
            return self.records
        return [orjson.loads(line) for line in self.body.split(b"\n") if line.strip()]


@dataclass
class Mapped:
    """A page's records as models (or, from the columnar path, as Arrow tables in the
    ``raw.findings`` / ``raw.vulnerabilities`` layout), and how many could not be mapped.
    """

    resources: list[Resource] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    permissions: list[Permission] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    skipped: int = 0
    finding_tables: list[pa.Table] = field(default_factory=list)
    vulnerability_tables: list[pa.Table] = field(default_factory=list)

    def extend(self, other: Mapped) -> None:
        """Append another page's models (pages grouped into one commit)."""
        self.resources += other.resources
        self.findings += other.findings
        self.permissions += other.permissions
        self.edges += other.edges
        self.skipped += other.skipped
        self.finding_tables += other.finding_tables
        self.vulnerability_tables += other.vulnerability_tables

    def finding_ids(self) -> list[str]:
        """Every finding id of the page(s), models and tables alike."""
        ids = [f.finding_id for f in self.findings]
        for table in self.finding_tables:
            ids += table.column("finding_id").to_pylist()
        return ids

    def add(self, models: Iterable[Model]) -> None:
        for model in models:
            if isinstance(model, Finding):
                self.findings.append(model)
            elif isinstance(model, Resource):
                self.resources.append(model)
            elif isinstance(model, Permission):
                self.permissions.append(model)
            else:
                self.edges.append(model)


@dataclass(frozen=True)
class ColumnarMap:
    """A stream's mapping as SQL over a whole page: DuckDB parses and maps every record.

    ``sql`` selects from ``_records(n, line)`` (record number, one JSON text each) one
    row per record: ``n``, ``reject`` (NULL when the record is fine, else why the
    set-based path cannot take it), the ``raw.findings`` columns, and the
    ``raw.vulnerabilities`` columns prefixed ``v_`` (NULL ``v_vulnerability_id`` for a
    finding without one). A page with any rejected record goes record by record
    through ``StreamSpec.map`` instead, which keeps its exact rules and reasons.
    """

    sql: str


@dataclass(frozen=True)
class StreamSpec:
    """A stream: how to fetch its pages and how to map one of its records.

    ``fetch(since, resume)`` yields pages changed after ``since`` (all when None),
    starting after ``resume`` when given. ``map`` returns the models of one record and
    raises ``ValueError`` (pydantic's ``ValidationError`` is one) for a record it cannot
    use; the engine counts those instead of failing the page. ``columnar``, when given,
    maps whole pages set-based with the same result (see ``ColumnarMap``).
    """

    name: str
    kind: Literal["assets", "findings"]
    fetch: Callable[[datetime | None, str | None], Iterator[RawPage]]
    map: Callable[[dict[str, Any]], Iterable[Model]]
    columnar: ColumnarMap | None = None


class Connector(Protocol):
    """One platform's client as the sync engine sees it."""

    source: Source

    def authenticate(self) -> None:
        """Get a token now, so bad credentials fail before anything is written.

        Raises:
            AuthError: the platform refused the credentials.
        """
        ...

    def streams(self) -> list[StreamSpec]:
        """The streams to sync, assets first."""
        ...

    def transport_stats(self) -> tuple[HttpStats, BucketStats]:
        """What the transport did so far (requests, retries, rate-limit waits)."""
        ...

    def close(self) -> None: ...
