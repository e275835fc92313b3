"""Reports an auditor can keep: Markdown, HTML and a CSV of evidence.

Finding titles come from scanners and from whoever named the resource, so they are
attacker-controlled: HTML is autoescaped, Markdown cells are escaped, and CSV cells that
a spreadsheet would run as a formula are defused.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined

from compliance.drafts import TicketDraft
from compliance.snapshot import Snapshot, Status
from compliance.summary import ComplianceSummary

__all__ = [
    "EVIDENCE_COLUMNS",
    "ReportFormat",
    "evidence_csv",
    "render_draft_markdown",
    "render_html",
    "render_markdown",
    "report_filename",
    "write_report",
]

ReportFormat = Literal["md", "html", "csv"]
REPORT_EVIDENCE_ROWS = 25  # per failing control in md/html; the CSV carries all kept rows
EVIDENCE_COLUMNS = (
    "framework",
    "control_id",
    "control_title",
    "status",
    "reason",
    "check_id",
    "finding_id",
    "finding_title",
    "severity",
    "risk_score",
    "first_seen",
    "resource_id",
    "resource_name",
    "resource_kind",
    "cloud",
    "account",
    "environment",
    "team",
    "source",
    "snapshot_taken_at",
    "scope",
)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _md(value: object) -> str:
    """Escape text for a Markdown table cell: no markup, no HTML, no cell breaks.

    >>> _md("<script>|x")
    '\\\\<script\\\\>\\\\|x'
    """
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("compliance", "templates"),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters.update(md=_md, pct=_pct, score=_score)
    return env


def render_markdown(summary: ComplianceSummary, limit: int = REPORT_EVIDENCE_ROWS) -> str:
    """The report as Markdown (every untrusted value escaped)."""
    template = _environment(autoescape=False).get_template("report.md.j2")
    return template.render(s=summary, limit=limit)


def render_html(summary: ComplianceSummary, limit: int = REPORT_EVIDENCE_ROWS) -> str:
    """The report as a standalone HTML page (autoescaped)."""
    template = _environment(autoescape=True).get_template("report.html.j2")
    return template.render(s=summary, limit=limit)


def render_draft_markdown(draft: TicketDraft) -> str:
    """A ticket draft's body as Markdown (every untrusted value escaped), for the ticket
    systems' own formatters (Jira ADF, ServiceNow, GitHub) to take from."""
    template = _environment(autoescape=False).get_template("ticket.md.j2")
    return template.render(d=draft)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def evidence_csv(snapshot: Snapshot) -> str:
    """One row per failing finding per control, and one per control without failures."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EVIDENCE_COLUMNS)
    for r in snapshot.results:
        head = [snapshot.framework, r.control_id, r.title, r.status.value, r.reason]
        tail = [snapshot.taken_at.isoformat(), snapshot.scope.label]
        if r.status is not Status.FAIL or not r.evidence:
            writer.writerow([_cell(v) for v in [*head, *[""] * 14, *tail]])
            continue
        for e in r.evidence:
            row = [
                *head,
                e.check_id,
                e.finding_id,
                e.title,
                e.severity,
                _score(e.risk_score),
                e.first_seen.isoformat(),
                e.resource_id,
                e.resource_name,
                e.resource_kind,
                e.cloud,
                e.account,
                e.environment,
                e.team,
                e.source,
                *tail,
            ]
            writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def report_filename(summary: ComplianceSummary, fmt: ReportFormat) -> str:
    """``soc2-prod-20261120T1200.md``: framework, scope, time; safe as a file name."""
    scope = re.sub(r"[^a-z0-9]+", "-", summary.scope_label.lower()).strip("-")
    stamp = summary.taken_at.strftime("%Y%m%dT%H%M")
    return f"{summary.framework}-{scope}-{stamp}.{fmt}"


def write_report(summary: ComplianceSummary, out_dir: Path, fmt: ReportFormat) -> Path:
    """Write one report into ``out_dir`` (created if missing); returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "md":
        text = render_markdown(summary)
    elif fmt == "html":
        text = render_html(summary)
    else:
        text = evidence_csv(summary.snapshot)
    path = out_dir / report_filename(summary, fmt)
    path.write_text(text, encoding="utf-8")
    return path
