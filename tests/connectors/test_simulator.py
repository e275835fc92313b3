"""The simulator itself: what it serves, how it pages, and the limits it enforces."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest

from connectors.simulator import FaultPlan, Simulator
from connectors.simulator.http import BadRequest, read_token, write_token
from core.models import Source
from estate import Estate


def test_each_cnapp_finding_is_served_by_exactly_its_platform(
    sim: Simulator, small_estate: Estate
) -> None:
    served = Counter(key for coll in sim.state.findings.values() for _, key, _ in coll.items)
    expected = {
        f.finding_id
        for f in small_estate.findings
        if f.source in (Source.WIZ, Source.PRISMA, Source.LACEWORK, Source.ORCA)
    }
    assert set(served) == expected and set(served.values()) == {1}
    for source in (Source.WIZ, Source.PRISMA, Source.LACEWORK, Source.ORCA):
        watched = {r.resource_id for r in small_estate.resources if source in r.sources}
        assert {key for _, key, _ in sim.state.resources[source].items} == watched


def test_page_tokens_belong_to_their_query() -> None:
    token = write_token(40, "query-a")
    assert read_token(token, "query-a") == 40
    with pytest.raises(BadRequest):
        read_token(token, "query-b")
    with pytest.raises(BadRequest):
        read_token("not-a-token", "query-a")


def _wiz_token(client: httpx.Client, sim: Simulator) -> str:
    creds = sim.server.credentials
    response = client.post(
        "/wiz/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": creds.wiz_client_id,
            "client_secret": creds.wiz_client_secret,
            "audience": "wiz-api",
        },
    )
    return str(response.json()["access_token"])


def test_wiz_refuses_big_pages_foreign_cursors_and_missing_tokens(sim: Simulator) -> None:
    with httpx.Client(base_url=sim.base_url) as client:
        assert client.post("/wiz/graphql", json={}).status_code == 401
        headers = {"Authorization": f"Bearer {_wiz_token(client, sim)}"}
        query = "query { issues: issuesV2(first: $first) { nodes { id } } }"
        big = client.post(
            "/wiz/graphql", headers=headers, json={"query": query, "variables": {"first": 501}}
        )
        assert big.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        stale = client.post(
            "/wiz/graphql",
            headers=headers,
            json={"query": query, "variables": {"first": 5, "after": write_token(5, "other")}},
        )
        assert stale.status_code == 400


def test_lacework_requires_a_time_filter(sim: Simulator) -> None:
    creds = sim.server.credentials
    with httpx.Client(base_url=sim.base_url) as client:
        token = client.post(
            "/lacework/api/v2/access/tokens",
            headers={"X-LW-UAKS": creds.lacework_secret},
            json={"keyId": creds.lacework_key_id, "expiryTime": 3600},
        )
        assert token.status_code == 201
        bearer = {"Authorization": f"Bearer {token.json()['token']}"}
        search = client.post("/lacework/api/v2/Alerts/search", headers=bearer, json={})
        assert search.status_code == 400


def test_published_limits_are_enforced_with_retry_after(small_estate: Estate) -> None:
    with (
        Simulator(
            small_estate, limits={"orca": (1.0, 2)}, faults=FaultPlan(retry_after_s=3)
        ) as sim,
        httpx.Client(base_url=sim.base_url) as client,
    ):
        token = {"Authorization": f"Token {sim.server.credentials.orca_api_token}"}
        codes = [client.get("/orca/api/query/alerts", headers=token).status_code for _ in range(4)]
        refused = client.get("/orca/api/query/alerts", headers=token)
    assert codes[:2] == [200, 200] and 429 in codes[2:]
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "3"
