"""Faults and crashes: the store a sync leaves is the same as a clean sync's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from connectors import run_sync
from connectors.simulator import FAULT_KINDS, FaultPlan, Simulator
from core.settings import HttpSettings
from estate import Estate
from tests.connectors.helpers import content_hash, settings_env

PAGE = 60
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def clean_hash(small_estate: Estate, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("clean") / "s.duckdb"
    with Simulator(small_estate, lacework_rows=PAGE) as sim:
        run_sync(path, sim.connector_settings(page_size=PAGE), full=True)
    return content_hash(path)


def test_twenty_percent_faults_over_five_seeds_end_in_the_same_store(
    small_estate: Estate, clean_hash: str, tmp_path: Path
) -> None:
    injected: Counter[str] = Counter()
    for seed in range(5):
        plan = FaultPlan(rate=0.2, seed=seed, retry_after_s=0, slow_s=0.01)
        path = tmp_path / f"faults-{seed}.duckdb"
        with Simulator(small_estate, faults=plan, lacework_rows=PAGE) as sim:
            report = run_sync(path, sim.connector_settings(page_size=PAGE), full=True)
            injected += sim.server.injector.injected
        assert not report.failed, report.lines()
        assert content_hash(path) == clean_hash, f"seed {seed}"
        assert sum(sum(s.retries.values()) for s in report.sources) > 0
    assert set(injected) == set(FAULT_KINDS)  # every kind of fault was met and survived


def test_responses_slower_than_the_timeout_are_retried(
    small_estate: Estate, tmp_path: Path
) -> None:
    plan = FaultPlan(rate=0.3, seed=1, kinds=("slow",), slow_s=0.4)
    with Simulator(small_estate, faults=plan) as sim:
        settings = sim.connector_settings(
            page_size=10,
            http=HttpSettings(
                read_timeout_s=0.15, attempts=8, backoff_base_s=0.01, backoff_max_s=0.05
            ),
        )
        report = run_sync(tmp_path / "s.duckdb", settings, sources=["orca"], full=True)
    assert not report.failed
    assert report.sources[0].retries["ReadTimeout"] >= 1


def test_a_sync_killed_mid_way_resumes_to_the_same_store(
    small_estate: Estate, clean_hash: str, tmp_path: Path
) -> None:
    path = tmp_path / "s.duckdb"
    code = (
        "import sys; from pathlib import Path; from connectors import run_sync; "
        "from core.settings import Settings; run_sync(Path(sys.argv[1]), Settings(), full=True)"
    )
    with Simulator(small_estate, lacework_rows=PAGE) as sim:
        settings = sim.connector_settings(page_size=PAGE, commit_records=1)
        env = {**os.environ, **settings_env(settings), "PYTHONPATH": str(REPO)}
        child = subprocess.Popen([sys.executable, "-c", code, str(path)], env=env)
        deadline = time.monotonic() + 60
        while sim.server.data_pages < 8 and child.poll() is None:
            assert time.monotonic() < deadline, "the child sync never got going"
            time.sleep(0.005)
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
        report = run_sync(path, settings, full=True)
    assert "resumed" in report.sources[0].mode  # wiz picked up its unfinished run
    assert not report.failed
    assert content_hash(path) == clean_hash
