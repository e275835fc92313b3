"""The webhook inbox through the real HTTP server on loopback: auth, malformed bodies,
duplicates, a burst of 1,000 events, and the proactive alert to the owner team."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import yaml

from bot.app import Services, build_app, build_services
from bot.http_server import SlackHTTPServer, make_server
from bot.webhooks import WebhookService, start_webhooks
from core.settings import Settings, SlackSettings
from governance.audit import AuditLog
from querygen.spec import Filter, Op, QuerySpec
from tests.bot import payloads
from tests.bot.conftest import texts
from tests.fakes.slack_server import BOT_TOKEN, SIGNING_SECRET, FakeSlack, signed_headers

WIZ_TOKEN = "wiz-webhook-token-0123456789"
PRISMA_TOKEN = "prisma-custom-header-token"
TEAM_CHANNEL = "C0TEAMALERT"


def _prod_resource(copilot) -> tuple[str, str, str]:
    """A prod resource of the demo estate: (resource_id, name, team)."""
    spec = QuerySpec(
        view="resources",
        conditions=[
            Filter(field="environment", op=Op.EQ, value="prod"),
            Filter(field="team", op=Op.NOT_NULL),
            Filter(field="kind", op=Op.EQ, value="function"),
        ],
        columns=["resource_id", "name", "team"],
        limit=1,
    )
    row = copilot.answer_spec(spec, question="a prod function").rows[0]
    return str(row[0]), str(row[1]), str(row[2])


@pytest.fixture
def prod_resource(copilot) -> tuple[str, str, str]:
    return _prod_resource(copilot)


@pytest.fixture
def hook_settings(slack: FakeSlack, prod_resource, tmp_path: Path) -> Settings:
    """Settings from a posture.yaml in the test's home, the way an operator writes them."""
    home = Path(tmp_path / "home")
    home.mkdir(parents=True, exist_ok=True)
    config = {
        "teams": {prod_resource[2]: {"slack_channel": TEAM_CHANNEL}},
        "webhooks": {
            "wiz": {"token": WIZ_TOKEN},
            "prisma": {"token": PRISMA_TOKEN, "token_header": "X-Prisma-Token"},
            "lacework": {"token": "lw-url-token"},
        },
    }
    (home / "posture.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    slack_values = {
        "bot_token": BOT_TOKEN,
        "signing_secret": SIGNING_SECRET,
        "api_url": slack.base_url,
        "send_interval_s": 0.0,
    }
    return Settings(slack=SlackSettings(**slack_values))


@pytest.fixture
def stack(
    hook_settings: Settings, copilot, tmp_path: Path
) -> Iterator[tuple[SlackHTTPServer, WebhookService, AuditLog]]:
    audit = AuditLog(tmp_path / "audit.jsonl")
    services: Services = build_services(hook_settings, copilot, audit=audit)
    hooks = start_webhooks(hook_settings, services)
    server = make_server(
        build_app(hook_settings, services), "127.0.0.1", 0, webhooks=hooks.receiver
    )
    thread = server.start_in_thread()
    yield server, hooks, audit
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    hooks.close()
    services.close()


def wiz_event(issue_id: str, resource_id: str, *, severity: str = "HIGH", status: str = "OPEN"):
    """Wiz's default webhook body (the automation action's Mustache template)."""
    return {
        "trigger": {"source": "ISSUES", "type": "Created", "ruleId": "r-1", "ruleName": "to bot"},
        "issue": {
            "id": issue_id,
            "status": status,
            "severity": severity,
            "created": "2026-11-20T10:00:00Z",
            "projects": "Payments, ",
        },
        "resource": {
            "id": resource_id,
            "name": "",
            "type": "Lambda",
            "cloudPlatform": "AWS",
            "subscriptionId": "123456789012",
            "region": "us-east-1",
        },
        "control": {
            "id": "wc-id-1",
            "name": "Function URL <!channel> open to the internet AKIAIOSFODNN7EXAMPLE",
            "description": "A public function URL with auth NONE.",
            "severity": severity,
        },
    }


def post(server: SlackHTTPServer, source: str, body: object, **headers: str) -> httpx.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    sent = {"content-type": "application/json", **headers}
    return httpx.post(f"{server.url}/webhooks/{source}", content=data, headers=sent, timeout=10)


def bearer(token: str = WIZ_TOKEN) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def rows(hooks: WebhookService, table: str = "webhook_inbox") -> list[dict]:
    return [dict(r) for r in hooks.db.query(f"SELECT * FROM {table} ORDER BY id")]


def test_bad_or_missing_auth_is_refused_and_nothing_is_stored(stack):
    server, hooks, audit = stack
    event = wiz_event("issue-1", "arn:aws:lambda:us-east-1:1:function:f")
    wrong = post(server, "wiz", event, **bearer("not-the-token"))
    missing = post(server, "wiz", event)
    unset = post(server, "orca", event, **bearer())  # no secret configured for Orca
    assert wrong.status_code == missing.status_code == unset.status_code == 401
    assert wrong.json() == {"ok": False, "reason": "the token does not match"}
    assert missing.json()["reason"] == "no credentials were presented"
    assert unset.json()["reason"] == "no webhook secret is configured for orca"
    assert rows(hooks) == [] and rows(hooks, "webhook_dead_letter") == []
    refused = [r for r in audit.records() if r.action == "webhook.refused"]
    assert [r.details["status"] for r in refused] == [401, 401, 401]
    assert "issue-1" not in audit.path.read_text()  # the body never reaches the audit


def test_unknown_source_is_404(stack):
    server, hooks, _ = stack
    assert post(server, "snyk", {}, **bearer()).status_code == 404
    assert rows(hooks) == []


def test_malformed_bodies_get_400_with_a_reason_and_a_dead_letter(stack):
    server, hooks, audit = stack
    broken = post(server, "wiz", b'{"issue": {"id": ', **bearer())
    no_entity = post(
        server, "wiz", {"issue": {"id": "i-9", "created": "2026-11-20T10:00:00Z"}}, **bearer()
    )
    wrong_type = httpx.post(
        f"{server.url}/webhooks/wiz",
        content=b"id=1",
        headers={"content-type": "application/x-www-form-urlencoded", **bearer()},
        timeout=10,
    )
    assert broken.status_code == 400 and broken.json()["reason"].startswith("the body is not JSON")
    assert no_entity.status_code == 400
    assert "needs id, createdAt and entitySnapshot" in no_entity.json()["reason"]
    assert wrong_type.status_code == 415
    dead = rows(hooks, "webhook_dead_letter")
    assert [d["reason"] for d in dead] == [
        broken.json()["reason"],
        no_entity.json()["reason"],
        wrong_type.json()["reason"],
    ]
    assert dead[0]["body"] == b'{"issue": {"id": ' and rows(hooks) == []
    assert "authorization" not in dead[0]["headers"]


def test_a_duplicate_is_acknowledged_once_and_stored_once(stack):
    server, hooks, _ = stack
    event = wiz_event("issue-dup", "arn:aws:lambda:us-east-1:1:function:dup")
    first, again = post(server, "wiz", event, **bearer()), post(server, "wiz", event, **bearer())
    assert first.json() == {"ok": True, "duplicate": False, "events": 1}
    assert again.json() == {"ok": True, "duplicate": True, "events": 1}
    resolved = post(server, "wiz", wiz_event("issue-dup", "x", status="RESOLVED"), **bearer())
    assert resolved.json()["duplicate"] is False  # a status change is a new event
    assert hooks.processor.wait_idle()
    stored = rows(hooks)
    assert [r["event_id"] for r in stored] == ["issue-dup:OPEN", "issue-dup:RESOLVED"]
    assert all(r["status"] == "processed" and r["attempts"] == 1 for r in stored)


def test_a_prisma_batch_is_split_into_one_event_per_alert(stack, shared_dir: Path):
    server, hooks, _ = stack
    sample = shared_dir / "realdata/cnapp-api/prisma-cloud/alerts-v2-response.json"
    alert = json.loads(sample.read_text())["items"][0]
    second = {**alert, "id": "N-3911"}
    response = post(server, "prisma", [alert, second], **{"X-Prisma-Token": PRISMA_TOKEN})
    assert response.json() == {"ok": True, "duplicate": False, "events": 2}
    assert hooks.processor.wait_idle()
    assert [r["event_id"].split(":")[0] for r in rows(hooks)] == ["N-3910", "N-3911"]


def test_lacework_sends_its_token_in_the_url(stack, shared_dir: Path):
    server, hooks, _ = stack
    sample = shared_dir / "realdata/cnapp-api/lacework/alert-details-response.json"
    url = f"{server.url}/webhooks/lacework"
    headers = {"content-type": "application/json"}
    body = sample.read_bytes()
    wrong = httpx.post(url, params={"api-token": "nope"}, content=body, headers=headers)
    right = httpx.post(url, params={"api-token": "lw-url-token"}, content=body, headers=headers)
    assert wrong.status_code == 401 and right.status_code == 200
    assert hooks.processor.wait_idle()
    (row,) = rows(hooks)
    assert row["event_id"] == "967272:Open" and row["body"] == body  # stored byte for byte
    assert row["status"] == "processed"


def test_a_burst_of_1000_concurrent_events_loses_and_doubles_nothing(stack, slack: FakeSlack):
    server, hooks, audit = stack
    events = [
        wiz_event(f"burst-{i}", f"arn:aws:lambda:us-east-1:1:function:b{i}") for i in range(1000)
    ]
    # every tenth is sent twice, as a platform retrying after a slow answer would
    sends = events + events[::10]

    def send(batch: list[dict]) -> list[int]:
        with httpx.Client(timeout=30) as client:
            return [
                client.post(
                    f"{server.url}/webhooks/wiz",
                    content=json.dumps(e).encode(),
                    headers={"content-type": "application/json", **bearer()},
                ).status_code
                for e in batch
            ]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=17) as pool:
        parts = pool.map(send, [sends[i::16] for i in range(16)])
        time.sleep(0.5)  # mid-burst: Slack's acknowledgement must stay fast
        command = payloads.command_body("ask admin roles", response_url=slack.response_url())
        acked = time.perf_counter()
        ack = httpx.post(
            f"{server.url}/slack/events",
            content=command.encode(),
            headers=signed_headers(command, content_type=payloads.FORM),
            timeout=5,
        )
        ack_s = time.perf_counter() - acked
        statuses = [s for part in parts for s in part]
    elapsed = time.perf_counter() - started
    assert ack.status_code == 200 and ack_s < 1.0, f"Slack ack took {ack_s:.2f} s mid-burst"
    assert statuses == [200] * len(sends)
    assert hooks.processor.wait_idle(60)
    stored = rows(hooks)
    assert len(stored) == 1000
    assert {r["event_id"] for r in stored} == {f"burst-{i}:OPEN" for i in range(1000)}
    assert all(r["status"] == "processed" and r["attempts"] == 1 for r in stored)
    accepted = [r for r in audit.records() if r.action == "webhook.accepted"]
    assert len(accepted) == len(sends)
    assert sum(r.details["duplicates"] for r in accepted) == 100
    assert elapsed < 60, f"{len(sends)} events took {elapsed:.1f} s"
    assert slack.calls_to("chat.postMessage") == []  # HIGH, and not prod: no alert


def test_a_new_critical_prod_finding_alerts_the_owner_team_once(
    stack, slack: FakeSlack, prod_resource
):
    server, hooks, _ = stack
    resource_id, name, team = prod_resource
    event = wiz_event("crit-1", resource_id, severity="CRITICAL")
    assert post(server, "wiz", event, **bearer()).status_code == 200
    assert post(server, "wiz", event, **bearer()).json()["duplicate"] is True
    update = {**event, "issue": {**event["issue"], "updatedAt": "2026-11-20T11:00:00Z"}}
    assert post(server, "wiz", update, **bearer()).json()["duplicate"] is False
    assert hooks.processor.wait_idle(30)
    posted = slack.wait_for("chat.postMessage", 1)
    time.sleep(0.2)  # nothing else may follow
    messages = slack.calls_to("chat.postMessage")
    assert len(messages) == 1 and messages[0].args["channel"] == TEAM_CHANNEL
    shown = texts(posted[0].args["blocks"])
    assert "New critical finding on prod" in shown and f"team *{team}*" in shown
    assert "&lt;!channel&gt;" in shown and "<!channel>" not in shown  # escaped
    assert "AKIAIOSFODNN7EXAMPLE" not in shown and "[REDACTED:aws_access_key]" in shown
    assert f"open findings on {name}" in shown
    # the answer's own buttons came with it, and they work: Show SQL on the stored answer
    sql = _button(posted[0].args["blocks"], "answer_sql")
    reply = hooks.processor.alerts.desk.act("answer_sql", sql["value"], user="U0ALICE")
    assert "SELECT" in texts(reply.blocks) and resource_id in texts(reply.blocks)
    assert hooks.db.query("SELECT channel FROM webhook_alerts")[0]["channel"] == TEAM_CHANNEL


def _button(blocks: list[dict], action_id: str) -> dict:
    def walk(node: object) -> dict | None:
        if isinstance(node, dict):
            if node.get("action_id") == action_id:
                return node
            return next((f for v in node.values() if (f := walk(v)) is not None), None)
        if isinstance(node, list):
            return next((f for v in node if (f := walk(v)) is not None), None)
        return None

    found = walk(blocks)
    assert found is not None, f"no {action_id} button"
    return found


def test_a_finding_the_store_already_holds_is_not_new(stack, slack: FakeSlack, copilot):
    server, hooks, _ = stack
    spec = QuerySpec(
        view="findings",
        conditions=[
            Filter(field="source", op=Op.EQ, value="wiz"),
            Filter(field="environment", op=Op.EQ, value="prod"),
            Filter(field="status", op=Op.EQ, value="open"),
        ],
        columns=["source_id", "resource_id"],
        limit=1,
    )
    source_id, resource_id = copilot.answer_spec(spec, question="a synced finding").rows[0]
    event = wiz_event(str(source_id), str(resource_id), severity="CRITICAL")
    assert post(server, "wiz", event, **bearer()).status_code == 200
    assert hooks.processor.wait_idle(30)
    assert slack.calls_to("chat.postMessage") == []
    assert rows(hooks)[0]["status"] == "processed"


def test_a_critical_finding_outside_prod_sends_nothing(stack, slack: FakeSlack):
    server, hooks, _ = stack
    event = wiz_event(
        "crit-dev", "arn:aws:lambda:us-east-1:1:function:unknown", severity="CRITICAL"
    )
    assert post(server, "wiz", event, **bearer()).status_code == 200
    assert hooks.processor.wait_idle(30)
    assert slack.calls_to("chat.postMessage") == []
    assert rows(hooks)[0]["status"] == "processed"
