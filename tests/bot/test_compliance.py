"""`/posture compliance` end to end through the fake Slack: the summary, then each button.

The store is a copy of the demo store holding three earlier SOC 2 snapshots of prod, so
the summary has a baseline to compare with and the trend has points to draw.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import struct
import zlib
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot import messages
from bot.compliance_desk import SummaryCache
from compliance import Scope, Status, record, take_snapshot, trend
from compliance.chart import LINE
from compliance.export import EVIDENCE_COLUMNS
from compliance.history import read_cursor
from core.models import Environment
from governance.audit import AuditLog
from pipeline import Copilot
from querygen.catalog import load_catalog
from store import FindingsStore
from tests.bot import payloads
from tests.bot.conftest import action_ids, dispatch, texts
from tests.bot.test_actions import press
from tests.conftest import DEMO_NOW
from tests.fakes.slack_server import FakeSlack, SharedFile

PROD = Scope(environment=Environment.PROD)
# pass rates of the stored snapshots, oldest first: 3, 2 and 1 of the live failures passing
EARLIER = ((21, 3), (14, 2), (7, 1))
MESSAGE_TS = "1700000300.000100"  # the summary message whose buttons are pressed (press())


@pytest.fixture(scope="module")
def store(demo_store_path: Path, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("compliance-bot") / "posture.duckdb"
    shutil.copy(demo_store_path, path)
    with FindingsStore(path) as s:
        for days, passing in EARLIER:
            _record_earlier(s, days, passing)
        yield s


def _record_earlier(store: FindingsStore, days: int, passing: int) -> None:
    """A SOC 2 prod snapshot ``days`` ago in which ``passing`` of today's failures passed."""
    snap = take_snapshot(read_cursor(store), "soc2", PROD, now=DEMO_NOW - timedelta(days=days))
    failing = [r.control_id for r in snap.results if r.status is Status.FAIL][:passing]
    results = tuple(
        r.model_copy(update={"status": Status.PASS}) if r.control_id in failing else r
        for r in snap.results
    )
    record(store, snap.model_copy(update={"results": results}))


@pytest.fixture(scope="module")
def copilot(store: FindingsStore, tmp_path_factory: pytest.TempPathFactory) -> Copilot:
    audit = AuditLog(tmp_path_factory.mktemp("compliance-audit") / "audit.jsonl")
    return Copilot(store, load_catalog(), audit=audit, clock=lambda: DEMO_NOW)


def command(app, slack: FakeSlack, text: str) -> dict:
    body = payloads.command_body(text, response_url=slack.response_url("cmd"))
    response = dispatch(app, body, content_type=payloads.FORM)
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


def summary(app, slack: FakeSlack, text: str = "compliance soc2 prod") -> list[dict]:
    command(app, slack, text)
    [posted] = slack.wait_for("response_url", where=lambda c: "blocks" in c.args)
    assert posted.args["response_type"] == "in_channel"
    return posted.args["blocks"]


@pytest.fixture
def blocks(app, slack: FakeSlack) -> list[dict]:
    return summary(app, slack)


def test_the_summary_shows_pass_rate_changes_and_risk_ranked_failures(
    app, slack: FakeSlack, store: FindingsStore, audit: AuditLog
):
    ack = command(app, slack, "compliance SOC 2 prod")
    assert ack == {
        "text": messages.ACK_COMPLIANCE.format(framework="SOC 2"),
        "response_type": "ephemeral",
    }
    [posted] = slack.wait_for("response_url", where=lambda c: "blocks" in c.args)
    body = texts(posted.args["blocks"])
    assert posted.args["blocks"][0]["text"]["text"] == "SOC 2 Trust Services Criteria · prod"
    assert "*Pass rate 0%*: 0 passed, 13 failed, 0 not assessed" in body
    # the baseline is the snapshot of 7 days ago, in which one of today's failures passed
    assert "*Since the last snapshot* (2026-11-13 12:00 UTC): pass rate 8% → 0% (-8 pts)." in body
    assert "Newly failing: `" in body
    ranked = re.findall(r"• \*([A-Z0-9.]+)\* .*?: risk \*([0-9.]+)\*", body)
    assert len(ranked) == 8 and [float(r) for _, r in ranked] == sorted(
        (float(r) for _, r in ranked), reverse=True
    )
    assert "… and 5 more failing controls" in body
    ids = action_ids(posted.args["blocks"])
    assert ids == [
        "compliance_export_html",
        "compliance_export_md",
        "compliance_trend",
        "compliance_tickets",
    ]
    values = {
        e["value"] for b in posted.args["blocks"] for e in b.get("elements", []) if "value" in e
    }
    assert len(values) == 1 and all(len(v) <= 2000 for v in values)
    assert next(iter(values)).startswith("c1|soc2|prod||")
    [event] = [r for r in audit.records() if r.action == "compliance.requested"]
    assert event.actor == payloads.USER and event.details["framework"] == "soc2"
    assert event.details["scope"] == PROD.key and event.details["failed"] == 13
    assert event.details["baseline"] == "2026-11-13T12:00:00"
    assert len(trend(store, "soc2", PROD.key)) == len(EARLIER)  # Slack never stores one


def _upload_calls(slack: FakeSlack, files: int) -> list[SharedFile]:
    [done] = slack.wait_for("files.completeUploadExternal")
    assert len(slack.calls_to("files.getUploadURLExternal")) == files
    assert len(slack.calls_to("upload")) == files
    assert done.args["channel_id"] == payloads.CHANNEL and done.args["thread_ts"] == MESSAGE_TS
    shared = slack.shared_files(payloads.CHANNEL)
    assert [f.id for f in shared] == [f["id"] for f in done.args["files"]]
    for f in shared:
        assert f.content is not None and len(f.content) == f.length  # declared = posted
        assert f.thread_ts == MESSAGE_TS
    return shared


class _Strict(HTMLParser):
    """Fails on a closing tag that does not close the innermost open element."""

    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_export_evidence_uploads_the_html_report_and_the_csv(
    app, slack: FakeSlack, blocks, audit: AuditLog
):
    press(app, slack, blocks, "compliance_export_html")
    report, table = _upload_calls(slack, 2)
    assert report.filename == "soc2-prod-20261120T1200.html" and report.mimetype == "text/html"
    assert table.filename == "soc2-prod-20261120T1200.csv" and table.mimetype == "text/csv"
    assert report.title == "SOC 2 Trust Services Criteria evidence · prod (HTML)"
    page = _Strict()
    page.feed(report.text())
    page.close()
    assert page.stack == [] and "table" in page.tags and "script" not in page.tags
    assert "SOC 2 Trust Services Criteria: compliance snapshot" in "".join(page.text)
    rows = list(csv.DictReader(io.StringIO(table.text())))
    assert tuple(rows[0]) == EVIDENCE_COLUMNS
    assert all(None not in r and len(r) == len(EVIDENCE_COLUMNS) for r in rows)
    assert {r["control_id"] for r in rows if r["status"] == "fail"} == set(
        re.findall(r"<td>((?:CC|C|A|PI|P)[0-9.]+)</td>", report.text())
    )
    assert {r["environment"] for r in rows if r["status"] == "fail"} == {"prod"}
    comment = report.initial_comment or ""
    assert f"a CSV of {len(rows):,} evidence rows" in comment
    [event] = [r for r in audit.records() if r.action == "compliance.exported"]
    assert event.details["kind"] == "evidence" and event.details["format"] == "html"
    digests = {f["filename"]: f["sha256"] for f in event.details["files"]}
    assert digests == {
        f.filename: hashlib.sha256(f.content or b"").hexdigest() for f in (report, table)
    }
    assert audit.verify().ok


def test_evidence_as_markdown(app, slack: FakeSlack, blocks):
    press(app, slack, blocks, "compliance_export_md")
    report, table = _upload_calls(slack, 2)
    assert report.filename.endswith(".md") and table.filename.endswith(".csv")
    assert report.text().startswith("# SOC 2 Trust Services Criteria")


def _png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB rows of an 8-bit RGB PNG, checking every chunk's CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, width, height = 8, b"", 0, 0
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (8, 2)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw, stride = zlib.decompress(idat), width * 3 + 1
    rows = [raw[y * stride : (y + 1) * stride] for y in range(height)]
    assert all(row[0] == 0 for row in rows)  # filter type None, as the encoder writes
    return width, height, [row[1:] for row in rows]


def test_show_trend_uploads_a_png_of_the_pass_rate(app, slack: FakeSlack, blocks, audit):
    press(app, slack, blocks, "compliance_trend")
    [chart] = _upload_calls(slack, 1)
    assert chart.filename == "soc2-prod-trend.png" and chart.mimetype == "image/png"
    width, height, rows = _png(chart.content or b"")
    assert (width, height) == (640, 320)
    pixels = [bytes(row[x : x + 3]) for row in rows for x in range(0, len(row), 3)]
    assert len(set(pixels)) > 3  # not blank: background, grid, axis, line, text
    assert pixels.count(bytes(LINE)) > 500  # the line and its four points were drawn
    assert "over 4 snapshots (2026-10-30 to 2026-11-20)" in (chart.initial_comment or "")
    [event] = [r for r in audit.records() if r.action == "compliance.exported"]
    assert event.details["kind"] == "trend" and event.details["points"] == 4


def test_draft_tickets_posts_the_drafts_and_proposes_each(app, slack: FakeSlack, blocks, audit):
    press(app, slack, blocks, "compliance_tickets")
    [reply] = slack.wait_for("chat.postMessage")  # under the summary, like the files
    assert reply.args["channel"] == payloads.CHANNEL and reply.args["thread_ts"] == MESSAGE_TS
    body = texts(reply.args["blocks"])
    assert reply.args["blocks"][0]["text"]["text"] == (
        "Ticket drafts · SOC 2 Trust Services Criteria · prod"
    )
    titles = re.findall(r"\*(\d)\. \[SOC2 ([A-Z0-9.]+)\]", body)
    ranked = re.findall(r"• \*([A-Z0-9.]+)\*", texts(blocks))
    assert [c for _, c in titles] == ranked[:5]
    assert body.count("Priority *") == 5 and body.count("Failing resources: `") == 5
    assert "Fix: _" in body
    assert "Each draft becomes a proposal for approval" in body
    proposed = [r for r in audit.records() if r.action == "compliance.ticket_proposed"]
    assert [r.details["control_id"] for r in proposed] == ranked[:5]
    assert all(r.details["finding_ids"] for r in proposed)
    [drafted] = [r for r in audit.records() if r.action == "compliance.tickets_drafted"]
    assert drafted.details["drafts"] == [r.details["key"] for r in proposed]


def test_a_button_after_a_restart_takes_the_snapshot_again(app, slack: FakeSlack, blocks, services):
    services.desk.compliance.cache = SummaryCache()  # what a restart leaves
    press(app, slack, blocks, "compliance_export_html")
    report, _ = _upload_calls(slack, 2)
    assert messages.EVIDENCE_RETAKEN.strip() in (report.initial_comment or "")


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("compliance", messages.COMPLIANCE_NO_FRAMEWORK),
        ("compliance pci prod", messages.COMPLIANCE_BAD_FRAMEWORK.format(word="pci")),
    ],
)
def test_a_missing_or_unknown_framework_gets_the_list_in_the_ack(
    app, slack: FakeSlack, text: str, lead: str
):
    ack = command(app, slack, text)
    assert ack["response_type"] == "ephemeral" and ack["text"] == lead
    body = texts(ack["blocks"])
    for framework in ("`cis`", "`iso27001`", "`soc2`"):
        assert framework in body
    assert "/posture compliance soc2 prod payments" in body


def test_an_unknown_scope_word_lists_the_choices(app, slack: FakeSlack, audit: AuditLog):
    command(app, slack, "compliance soc2 prodution")
    [reply] = slack.wait_for("response_url", where=lambda c: "blocks" in c.args)
    assert reply.args["replace_original"] is True  # in place of the ephemeral status note
    assert reply.args["text"] == messages.COMPLIANCE_BAD_SCOPE.format(
        word="prodution",
        envs="`dev`, `prod`, `staging`",
        teams="`data`, `growth`, `identity`, `payments`, `platform`, `search`",
    )
    [event] = [r for r in audit.records() if r.action == "compliance.rejected"]
    assert event.details == {"framework": "soc2", "word": "prodution"}


def test_a_failure_shows_an_incident_id_not_a_trace(app, slack: FakeSlack, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("duckdb exploded at /srv/secret/path")

    monkeypatch.setattr("bot.compliance_desk.compliance_summary", broken)
    command(app, slack, "compliance soc2")
    [reply] = slack.wait_for("response_url", where=lambda c: "text" in c.args)
    text = reply.args["text"]
    incident = re.search(r"inc-[0-9a-f]{10}", text)
    assert incident and "secret" not in json.dumps(reply.args) and "Traceback" not in text
    assert incident.group(0) in caplog.text and "duckdb exploded" in caplog.text


def test_the_terminal_chat_runs_the_same_flow(copilot, tmp_path: Path):
    from rich.console import Console

    from bot.desk import AnswerDesk
    from bot.terminal import TerminalChat

    out = io.StringIO()
    chat = TerminalChat(
        AnswerDesk(copilot), Console(file=out, width=140, color_system=None), export_dir=tmp_path
    )
    chat.handle("/posture compliance soc2 prod")
    text = out.getvalue()
    assert "SOC 2 Trust Services Criteria · prod" in text and "Pass rate 0%" in text
    labels = [c.label for c in chat.choices]
    assert labels == [
        messages.BUTTON_EXPORT_EVIDENCE,
        messages.BUTTON_EXPORT_MARKDOWN,
        messages.BUTTON_SHOW_TREND,
        messages.BUTTON_DRAFT_TICKETS,
    ]
    chat.handle("1")
    chat.handle("3")
    chat.handle("4")
    assert (tmp_path / "soc2-prod-20261120T1200.html").read_text().startswith("<!DOCTYPE html>")
    assert (tmp_path / "soc2-prod-20261120T1200.csv").read_text().startswith("framework,")
    assert _png((tmp_path / "soc2-prod-trend.png").read_bytes())[:2] == (640, 320)
    assert "Each draft becomes a proposal for approval" in out.getvalue()
