"""The bot under test: the demo store, the fake Slack, and the Bolt app wired to both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_bolt import App, BoltRequest, BoltResponse

from bot.app import Services, build_app, build_services
from core.settings import Settings, SlackSettings
from governance.audit import AuditLog
from pipeline import Copilot
from querygen.catalog import load_catalog
from store import FindingsStore
from tests.bot import payloads
from tests.conftest import DEMO_NOW
from tests.fakes.slack_server import BOT_TOKEN, SIGNING_SECRET, FakeSlack


@pytest.fixture(scope="session")
def copilot(demo_store: FindingsStore, tmp_path_factory: pytest.TempPathFactory) -> Copilot:
    """One copilot over the demo store for the whole run (its parser warms up once)."""
    audit = AuditLog(tmp_path_factory.mktemp("bot-audit") / "audit.jsonl")
    return Copilot(demo_store, load_catalog(), audit=audit, clock=lambda: DEMO_NOW)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def slack_settings(fake: FakeSlack, **overrides: object) -> Settings:
    values = {
        "bot_token": BOT_TOKEN,
        "signing_secret": SIGNING_SECRET,
        "api_url": fake.base_url,
        "send_interval_s": 0.0,
        "workers": 4,
        **overrides,
    }
    return Settings(slack=SlackSettings(**values))


@pytest.fixture
def settings(slack: FakeSlack) -> Settings:
    return slack_settings(slack)


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "bot-audit.jsonl")


@pytest.fixture
def services(settings: Settings, copilot: Copilot, audit: AuditLog) -> Iterator[Services]:
    built = build_services(settings, copilot, audit=audit)
    yield built
    built.close()


@pytest.fixture
def app(settings: Settings, services: Services) -> App:
    return build_app(settings, services)


def dispatch(
    app: App,
    body: str,
    *,
    content_type: str = "application/json",
    timestamp: int | None = None,
    **headers: str,
) -> BoltResponse:
    """Send ``body`` to the app the way Slack does: signed, through ``App.dispatch``."""
    signed = payloads.signed(body, content_type=content_type, timestamp=timestamp, **headers)
    return app.dispatch(BoltRequest(body=body, headers=signed))


def texts(blocks: list[dict]) -> str:
    """Every piece of text in a message's blocks, one per line, for content asserts."""
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                out.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return "\n".join(out)


def action_ids(blocks: list[dict]) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "action_id" in node:
                found.append(str(node["action_id"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return found
