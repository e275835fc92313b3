"""Read a scanner report, check its format, map it and load it in one store transaction.

Bad input is refused before anything is written: unreadable or malformed JSON, a file in
another format than the one named (the error says which one it looks like), a report
shape we cannot map. The store is left exactly as it was.

Two rules keep an import from damaging what is there: a resource the store already
holds keeps its record (a CNAPP's is richer than a scanner's); a passed check only
resolves a finding the store holds. So importing the same file twice changes nothing.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connectors.importers.asff import map_asff
from connectors.importers.common import Mapped
from connectors.importers.detect import FORMATS, UNSUPPORTED, detect_format
from connectors.importers.grype import map_grype
from connectors.importers.prowler import map_prowler_ocsf
from connectors.importers.trivy import map_trivy_image
from connectors.importers.trivy_k8s import map_trivy_k8s
from core.errors import ImportRejected
from core.models import Cloud, FindingStatus
from store import Batch, FindingsStore

__all__ = ["ImportReport", "import_report", "map_report", "read_report"]

MAX_BYTES = 512 * 1024 * 1024
Mapper = Callable[..., Mapped]


def _trivy(doc: Any, **kw: Any) -> Mapped:
    if "ClusterName" in doc:
        return map_trivy_k8s(doc, **kw)
    return map_trivy_image(doc, **kw)


_MAPPERS: dict[str, Mapper] = {
    "trivy": _trivy,
    "grype": map_grype,
    "prowler": map_prowler_ocsf,
    "asff": map_asff,
}


@dataclass
class ImportReport:
    """What one import did, for the terminal and the tests."""

    format: str
    path: str
    counts: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    elapsed_s: float = 0.0
    scored: int = 0

    def lines(self) -> list[str]:
        c = self.counts
        out = [
            f"Imported {self.path} as {self.format}: {c['findings']:,} findings "
            f"({c['vulnerabilities']:,} vulnerable packages), {c['resources_new']:,} new "
            f"resources, {c['resources_known']:,} already known, {c['edges']:,} edges."
        ]
        by_category = ", ".join(
            f"{n:,} {k.removeprefix('category:')}"
            for k, n in sorted(c.items())
            if k.startswith("category:")
        )
        if by_category:
            out.append(f"  by category: {by_category}")
        out += [f"  skipped {n:,}: {reason}" for reason, n in sorted(self.skipped.items())]
        out.append(f"Done in {self.elapsed_s:.2f} s; {self.scored:,} open findings re-scored.")
        return out


def read_report(path: Path) -> Any:
    """The parsed JSON of a report file.

    Raises:
        ImportRejected: missing, too large, or not JSON (with the line and column).
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportRejected(f"{path} is {size:,} bytes, over the {MAX_BYTES:,}-byte limit.")
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ImportRejected(
            f"Cannot read {path}: {exc.strerror or exc}.", remediation="Check the path."
        ) from exc
    except UnicodeDecodeError as exc:
        raise ImportRejected(f"{path} is not UTF-8 text.") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
            remediation="Import the scanner's JSON output unmodified.",
        ) from exc


def _check_format(fmt: str, doc: Any) -> None:
    if fmt not in _MAPPERS:
        raise ImportRejected(
            f"Unknown format {fmt!r}.", remediation=f"Use one of: {', '.join(FORMATS)}."
        )
    detected = detect_format(doc)
    if detected == fmt:
        return
    if detected in FORMATS:
        raise ImportRejected(
            f"This file looks like a {detected} report, not {fmt}.",
            detected=detected,
            remediation=f"Run `posture import {detected} FILE`.",
        )
    if detected in UNSUPPORTED:
        raise ImportRejected(
            f"This file is a {detected} document, which is not imported.",
            detected=detected,
            remediation=UNSUPPORTED[detected],
        )
    raise ImportRejected(
        f"This file does not look like a {fmt} report.",
        remediation=f"Formats imported: {', '.join(FORMATS)}; pass the scanner's JSON output.",
    )


def map_report(fmt: str, doc: Any, *, observed_at: datetime, default_cloud: Cloud) -> Mapped:
    """Check the format and map the whole document; nothing touches the store.

    Raises:
        ImportRejected: wrong or unknown format, or a document shape the mapper cannot read.
    """
    _check_format(fmt, doc)
    try:
        return _MAPPERS[fmt](doc, observed_at=observed_at, default_cloud=default_cloud)
    except ImportRejected:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImportRejected(
            f"This {fmt} report is malformed and was not imported ({first[:200]}).",
            detected=fmt,
        ) from exc


def _fit_to_store(store: FindingsStore, mapped: Mapped, report: ImportReport) -> Batch:
    """Drop what would overwrite or invent: known resources, passes with nothing to resolve."""
    known = store.existing_ids("resources", (r.resource_id for r in mapped.resources))
    resolved = [f for f in mapped.findings if f.status is FindingStatus.RESOLVED]
    held = store.existing_ids("findings", (f.finding_id for f in resolved))
    findings = [
        f for f in mapped.findings if f.status is not FindingStatus.RESOLVED or f.finding_id in held
    ]
    passes = len({f.finding_id for f in resolved} - held)
    if passes:
        report.skipped["passed check with no finding to resolve"] += passes
    resources = [r for r in mapped.resources if r.resource_id not in known]
    report.counts["resources_new"] = len({r.resource_id for r in resources})
    report.counts["resources_known"] = len(known)
    report.counts["findings"] = len({f.finding_id for f in findings})
    report.counts["vulnerabilities"] = len({f.finding_id for f in findings if f.vulnerability})
    report.counts["edges"] = len(set(mapped.edges))
    for category, n in Counter(
        f.category.value for f in {f.finding_id: f for f in findings}.values()
    ).items():
        report.counts[f"category:{category}"] = n
    return Batch(resources=tuple(resources), findings=tuple(findings), edges=tuple(mapped.edges))


def import_report(
    store: FindingsStore, fmt: str, path: Path, *, default_cloud: Cloud = Cloud.AWS
) -> ImportReport:
    """Import one report file into the store (one transaction, re-scored).

    ``default_cloud`` is the cloud of images whose registry names none (Docker Hub,
    ghcr.io, quay.io) and of clusters that are not EKS ARNs.

    Raises:
        ImportRejected: the file cannot be imported as ``fmt``; the store is unchanged.
    """
    started = time.perf_counter()
    doc = read_report(path)
    observed_at = datetime.fromtimestamp(int(path.stat().st_mtime), tz=UTC)
    mapped = map_report(fmt, doc, observed_at=observed_at, default_cloud=default_cloud)
    report = ImportReport(format=fmt, path=str(path), skipped=Counter(mapped.skipped))
    batch = _fit_to_store(store, mapped, report)
    loaded = store.load(batch, origin=f"import:{fmt}", note=path.name[:200])
    report.scored = loaded.scored
    report.elapsed_s = round(time.perf_counter() - started, 3)
    return report
