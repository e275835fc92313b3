"""Every stream resumes exactly after any page: the property crash recovery rests on."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from connectors.client import HttpConnector
from connectors.lacework.client import LaceworkClient
from connectors.orca.client import OrcaClient
from connectors.prisma.client import PrismaClient
from connectors.simulator import Simulator
from connectors.wiz.client import WizClient
from core.settings import LaceworkSettings
from estate import Estate

STREAMS = [
    ("wiz", "resources"),
    ("wiz", "issues"),
    ("wiz", "vulnerabilities"),
    ("prisma", "images"),
    ("prisma", "functions"),
    ("prisma", "resources"),
    ("prisma", "alerts"),
    ("lacework", "resources"),
    ("lacework", "vulnerabilities"),
    ("lacework", "alerts"),
    ("orca", "assets"),
    ("orca", "alerts"),
]


@pytest.fixture(scope="module")
def paged_sim(small_estate: Estate) -> Iterator[Simulator]:
    with Simulator(small_estate, lacework_rows=40) as simulator:
        yield simulator


def _client(sim: Simulator, platform: str) -> HttpConnector:
    s = sim.connector_settings(page_size=40)
    if platform == "wiz":
        return WizClient(s.wiz, http=s.http)
    if platform == "prisma":
        return PrismaClient(s.prisma.model_copy(update={"compute_page_size": 2}), http=s.http)
    if platform == "orca":
        return OrcaClient(s.orca.model_copy(update={"page_size": 10}), http=s.http)
    # several time windows, so a resume token must also name its window and cloud
    windows = LaceworkSettings(
        **{
            **s.lacework.model_dump(),
            "secret": s.lacework.secret,
            "window_days": s.lacework.lookback_days / 5,
        }
    )
    return LaceworkClient(windows, http=s.http)


@pytest.mark.parametrize(("platform", "name"), STREAMS)
def test_resuming_after_any_page_yields_exactly_the_rest(
    paged_sim: Simulator, platform: str, name: str
) -> None:
    with _client(paged_sim, platform) as client:
        stream = next(s for s in client.streams() if s.name == name)
        pages = list(stream.fetch(None, None))
        assert len(pages) >= 2, "the stream should span several pages"
        for k in sorted({0, len(pages) - 2}):  # the first and the last but one
            rest = list(stream.fetch(None, pages[k].resume))
            expected = [r for p in pages[k + 1 :] for r in p.records]
            got = [r for p in rest for r in p.records]
            assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)
