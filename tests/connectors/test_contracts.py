"""Each client against the simulator: the requests it makes, as its platform documents them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs

import pytest

from connectors.base import RawPage
from connectors.common import iso
from connectors.lacework.client import LaceworkClient
from connectors.orca.client import OrcaClient
from connectors.prisma.client import PrismaAuth, PrismaClient
from connectors.simulator import Simulator
from connectors.simulator.server import Recorded
from connectors.wiz.client import WizClient
from core.models import FindingCategory, ResourceKind, Source
from estate import Estate


@pytest.fixture(autouse=True)
def _closing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Close every client a test builds (their sockets would warn otherwise)."""
    from connectors.client import HttpConnector

    built: list[HttpConnector] = []
    original = HttpConnector.__init__

    def init(self: HttpConnector, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        built.append(self)

    monkeypatch.setattr(HttpConnector, "__init__", init)
    yield
    for client in built:
        client.close()


def _calls(sim: Simulator, platform: str) -> list[Recorded]:
    return [r for r in sim.server.requests if r.platform == platform]


def _stream(client: object, name: str) -> object:
    return next(s for s in client.streams() if s.name == name)  # type: ignore[attr-defined]


def _pages(client: object, name: str, since=None) -> list[RawPage]:  # noqa: ANN001
    fetch = _stream(client, name).fetch  # type: ignore[attr-defined]
    pages: Iterator[RawPage] = fetch(since, None)
    return list(pages)


def test_wiz_client_credentials_then_graphql_cursor_paging(
    sim: Simulator, small_estate: Estate
) -> None:
    s = sim.connector_settings(page_size=10)
    client = WizClient(s.wiz, http=s.http)
    pages = _pages(client, "issues")
    token, *queries = _calls(sim, "wiz")
    assert (token.method, token.path) == ("POST", "/oauth/token")
    assert token.headers["content-type"] == "application/x-www-form-urlencoded"
    assert {k: v[0] for k, v in parse_qs(token.body).items()} == {
        "grant_type": "client_credentials",
        "client_id": s.wiz.client_id,
        "client_secret": "posture-sim-wiz-secret",
        "audience": "wiz-api",
    }
    assert len(queries) == len(pages) > 2
    for i, call in enumerate(queries):
        assert call.headers["authorization"].startswith("Bearer wiz-")
        assert "issuesV2(" in call.body["query"]
        assert "pageInfo { hasNextPage endCursor }" in call.body["query"]
        assert call.body["variables"]["first"] == 10
        assert call.body["variables"]["after"] == (pages[i - 1].resume if i else None)
    served = [
        f
        for f in small_estate.findings
        if f.source is Source.WIZ and f.category is not FindingCategory.VULNERABILITY
    ]
    assert sum(len(p.records) for p in pages) == len(served)


def test_wiz_incremental_filters_on_updated_at(sim: Simulator, small_estate: Estate) -> None:
    s = sim.connector_settings()
    since = small_estate.now - timedelta(days=2)
    _pages(WizClient(s.wiz, http=s.http), "vulnerabilities", since=since)
    query = _calls(sim, "wiz")[-1]
    assert query.body["variables"]["filterBy"] == {"updatedAt": {"after": iso(since)}}
    assert "vulnerabilityFindings(" in query.body["query"]


def test_prisma_login_alert_page_tokens_and_compute_offsets(sim: Simulator) -> None:
    s = sim.connector_settings(page_size=30)
    client = PrismaClient(s.prisma, http=s.http)
    pages = _pages(client, "alerts")
    images = _pages(client, "images")
    calls = _calls(sim, "prisma")
    login = calls[0]
    assert (login.path, login.body) == (
        "/login",
        {"username": s.prisma.access_key_id, "password": "posture-sim-prisma-secret"},
    )
    alerts = [c for c in calls if c.path == "/v2/alert"]
    assert len(alerts) == len(pages) > 2
    for i, call in enumerate(alerts):
        assert call.headers["x-redlock-auth"].startswith("prisma-")
        assert call.body["limit"] == 30 and call.body["detailed"] is True
        assert call.body["timeRange"] == {"type": "to_now", "value": "epoch"}
        assert call.body.get("pageToken") == (pages[i - 1].resume if i else None)
    compute = [c for c in calls if c.path.startswith("/compute/api/v1/images")]
    assert [c.query["offset"] for c in compute] == [str(30 * i) for i in range(len(compute))]
    assert all(
        c.query["limit"] == "30" and c.headers["authorization"].startswith("Bearer ")
        for c in compute
    )
    served = sim.state.resources_of(Source.PRISMA, {ResourceKind.IMAGE})
    assert sum(len(p.records) for p in images) == len(served) > 0


def test_prisma_extends_its_token_before_the_ten_minutes_run_out(sim: Simulator) -> None:
    s = sim.connector_settings()
    client = PrismaClient(s.prisma, http=s.http)
    clock = [0.0]
    client.auth = PrismaAuth(client.http, s.prisma, clock=lambda: clock[0])
    list(_pages(client, "resources"))
    clock[0] += 9 * 60  # past ttl - margin (10 min - 2 min)
    list(_pages(client, "resources"))
    paths = [c.path for c in _calls(sim, "prisma")]
    assert paths.count("/login") == 1 and paths.count("/auth_token/extend") == 1
    assert paths.index("/auth_token/extend") > paths.index("/search/config")


@pytest.fixture
def small_pages_sim(small_estate: Estate) -> Iterator[Simulator]:
    with Simulator(small_estate, lacework_rows=25) as simulator:
        yield simulator


def test_lacework_token_time_filter_and_next_page_urls(small_pages_sim: Simulator) -> None:
    sim = small_pages_sim
    s = sim.connector_settings()
    client = LaceworkClient(s.lacework, http=s.http)
    pages = _pages(client, "resources") + _pages(client, "vulnerabilities")
    calls = _calls(sim, "lacework")
    token = calls[0]
    assert token.path == "/api/v2/access/tokens"
    assert token.headers["x-lw-uaks"] == "_posture-sim-lacework-secret"
    assert token.body == {"keyId": s.lacework.key_id, "expiryTime": 3600}
    searches = [c for c in calls if c.path.endswith("/search")]
    assert {c.body["csp"] for c in searches if "Inventory" in c.path} == {"AWS", "Azure", "GCP"}
    assert all(set(c.body["timeFilter"]) == {"startTime", "endTime"} for c in searches)
    follows = [c for c in calls if c.method == "GET"]
    assert follows and all(c.path.startswith("/api/v2/pages/") for c in follows)
    assert all(c.headers["authorization"].startswith("Bearer lacework-") for c in calls[1:])
    assert len(calls) - 1 == len(pages)


def test_orca_token_header_and_next_page_token(sim: Simulator, small_estate: Estate) -> None:
    s = sim.connector_settings(page_size=5)
    client = OrcaClient(s.orca, http=s.http)
    pages = _pages(client, "alerts")
    since = small_estate.now - timedelta(days=1)
    _pages(client, "alerts", since=since)
    calls = _calls(sim, "orca")
    assert all(c.headers["authorization"] == "Token posture-sim-orca-token" for c in calls)
    walk = calls[: len(pages)]
    for i, call in enumerate(walk):
        assert call.query["limit"] == "5"
        assert call.query.get("next_page_token") == (pages[i - 1].resume if i else None)
    dsl = json.loads(calls[-1].query["dsl_filter"])
    assert dsl["filter"] == [{"field": "state.last_updated", "range": {"gt": iso(since)}}]


def test_no_credential_ever_travels_in_a_url(sim: Simulator) -> None:
    s = sim.connector_settings(page_size=50)
    for client in (
        WizClient(s.wiz, http=s.http),
        PrismaClient(s.prisma, http=s.http),
        LaceworkClient(s.lacework, http=s.http),
        OrcaClient(s.orca, http=s.http),
    ):
        client.authenticate()
        list(client.iter_findings())
    creds = sim.server.credentials
    secrets = (
        creds.wiz_client_secret,
        creds.prisma_secret_key,
        creds.lacework_secret,
        creds.orca_api_token,
    )
    for call in sim.server.requests:
        url = call.path + json.dumps(call.query)
        assert not any(secret in url for secret in secrets)
