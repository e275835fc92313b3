"""The sync engine end to end against the simulator: equality, idempotence, increments."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from pydantic import SecretStr
from typer.testing import CliRunner

from connectors import run_sync
from connectors.checkpoint import advance, mark_stream_done, start_run
from connectors.demo import scanner_batch
from connectors.simulator import Credentials, Simulator
from connectors.simulator.http import write_token
from core.errors import AuthError
from estate import Estate
from posture_cli.connector_commands import register
from store import Batch, FindingsStore
from tests.connectors.helpers import content_hash, settings_env


def _direct(estate: Estate, path: Path) -> str:
    """The estate's CNAPP share loaded in one batch, the way `posture demo` loads it."""
    scanners = scanner_batch(estate)
    with FindingsStore(path) as store:
        store.load(
            Batch(
                resources=estate.resources,
                findings=estate.findings,
                permissions=estate.permissions,
                edges=estate.edges,
            ),
            origin="demo",
        )
        store.load(scanners, origin="demo")
    return content_hash(path)


def _with_scanners(estate: Estate, path: Path) -> str:
    with FindingsStore(path) as store:
        store.load(scanner_batch(estate), origin="demo")
    return content_hash(path)


def test_a_full_sync_plus_the_scanners_equals_the_direct_load(
    sim: Simulator, small_estate: Estate, tmp_path: Path
) -> None:
    report = run_sync(tmp_path / "s.duckdb", sim.connector_settings(page_size=60), full=True)
    assert not report.failed and report.derived_rebuilt
    assert {s.source for s in report.sources} == {"wiz", "prisma", "lacework", "orca"}
    assert all(s.pages > 1 and s.counts["findings"] > 0 for s in report.sources)
    synced = _with_scanners(small_estate, tmp_path / "s.duckdb")
    assert synced == _direct(small_estate, tmp_path / "d.duckdb")


def test_syncing_twice_changes_nothing_and_records_freshness(
    sim: Simulator, tmp_path: Path
) -> None:
    path = tmp_path / "s.duckdb"
    settings = sim.connector_settings()
    run_sync(path, settings, full=True)
    first = content_hash(path)
    again = run_sync(path, settings)  # incremental: nothing changed since
    assert [s.mode for s in again.sources] == ["incremental"] * 4
    assert sum(s.counts["findings"] for s in again.sources) == 0
    run_sync(path, settings, full=True)
    assert content_hash(path) == first
    with FindingsStore(path, read_only=True) as store:
        fresh = {f.source: f for f in store.status().sources}
    assert set(fresh) >= {"wiz", "prisma", "lacework", "orca"}


def _finding(store_path: Path, finding_id: str) -> tuple[str, datetime | None]:
    with FindingsStore(store_path, read_only=True) as store:
        rows = store._con.execute(  # noqa: SLF001 - a test peeking at raw rows
            "SELECT status, resolved_at FROM raw.findings WHERE finding_id = ?", [finding_id]
        ).fetchall()
    return rows[0]


def test_incremental_picks_up_a_change_and_full_resolves_what_vanished(
    sim: Simulator, small_estate: Estate, tmp_path: Path
) -> None:
    path = tmp_path / "s.duckdb"
    settings = sim.connector_settings()
    run_sync(path, settings, full=True)
    opened = [f for f in small_estate.findings if f.status.value == "open"]
    changed = next(f for f in opened if f.source.value == "wiz")
    gone = next(f for f in opened if f.source.value == "prisma")
    now = datetime.now(UTC).replace(microsecond=0)
    sim.state.resolve(changed.finding_id, now)
    report = run_sync(path, settings, sources=["wiz"])
    assert report.sources[0].counts["findings"] == 1
    assert _finding(path, changed.finding_id) == ("resolved", now.replace(tzinfo=None))
    sim.state.drop(gone.finding_id)
    run_sync(path, settings, sources=["prisma"])  # incremental cannot see a disappearance
    assert _finding(path, gone.finding_id)[0] == "open"
    report = run_sync(path, settings, sources=["prisma"], full=True)
    assert report.sources[0].resolved == 1
    status, resolved_at = _finding(path, gone.finding_id)
    assert status == "resolved" and resolved_at is not None  # resolved, never deleted


def test_bad_credentials_give_one_line_and_write_nothing(
    small_estate: Estate, tmp_path: Path
) -> None:
    path = tmp_path / "s.duckdb"
    with Simulator(small_estate, credentials=Credentials(lacework_secret="rotated")) as sim:
        settings = sim.connector_settings()
        stale = settings.lacework.model_copy(update={"secret": SecretStr("the-old-one")})
        with pytest.raises(AuthError) as err:
            run_sync(path, settings.model_copy(update={"lacework": stale}), full=True)
        assert len(sim.server.requests) <= 4  # wiz, prisma x2 authenticated; lacework refused
    assert err.value.one_line().startswith("lacework refused the credentials (401")
    assert "the-old-one" not in err.value.one_line()
    assert not path.exists()


def test_cli_sync_prints_the_report_and_one_line_on_bad_credentials(
    small_estate: Estate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    with Simulator(small_estate) as sim:
        for name, value in settings_env(sim.connector_settings()).items():
            monkeypatch.setenv(name, value)
        ok = runner.invoke(app, ["sync", "--full", "--source", "orca", "--no-progress"])
        assert ok.exit_code == 0, ok.output
        assert ok.output.startswith("orca: full sync,")
        monkeypatch.setenv("POSTURE_WIZ__CLIENT_SECRET", "wrong")
        bad = runner.invoke(app, ["sync", "--source", "wiz"])
    assert bad.exit_code == 1
    lines = bad.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: wiz refused the credentials")
    assert "wrong" not in bad.output


def test_a_refused_resume_token_restarts_that_stream(sim: Simulator, tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    settings = sim.connector_settings(page_size=40)
    run_sync(path, settings, sources=["wiz"], full=True)
    clean = content_hash(path)
    with FindingsStore(path) as store:
        con = store._con  # noqa: SLF001 - plant an unfinished run with an expired token
        run = start_run(con, "wiz", full=True, since=None, started_at=datetime.now(UTC))
        mark_stream_done(con, run, "resources")
        advance(con, run, "issues", write_token(40, "a query the server forgot"), 0, 0)
    report = run_sync(path, settings, sources=["wiz"])
    assert report.sources[0].mode == "full (resumed)"
    assert report.sources[0].restarted_streams == ["issues"]
    assert content_hash(path) == clean


def test_cli_simulate_serves_until_interrupted(tmp_path: Path) -> None:
    code = (
        "import typer; from posture_cli.connector_commands import register; app = typer.Typer(); "
        "register(app); app()"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen(
        [sys.executable, "-c", code, "simulate", "--port", "0", "--scale", "0.02"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    try:
        banner = child.stdout.readline()
        exports = [child.stdout.readline() for _ in range(14)]
        child.send_signal(signal.SIGINT)
        child.communicate(timeout=30)
    finally:  # never leave a server or its pipes behind for later tests
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert banner.startswith("Simulating 4 platforms at http://127.0.0.1:")
    assert any(line.startswith("export POSTURE_WIZ__API_URL=http://127.0.0.1:") for line in exports)
