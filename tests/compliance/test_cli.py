"""`posture compliance` exit codes and outputs (the command is registered on a bare app)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from core.settings import Settings
from posture_cli.compliance_commands import register
from store import FindingsStore
from tests.compliance.estate import batch


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command()
    def noop() -> None:  # a second command keeps `compliance` a subcommand
        """Nothing."""

    with FindingsStore(Settings().store_path) as store:
        store.load(batch(), origin="test")
    return app


def test_summary_in_the_terminal(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["compliance", "soc2"])
    assert result.exit_code == 0, result.output
    assert "Pass rate 33%: 4 passed, 8 failed, 1 not assessed" in result.output
    again = CliRunner().invoke(app, ["compliance", "soc2"])
    assert "0 newly failing" in again.output  # the first run was stored


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_reports(app: typer.Typer, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        app, ["compliance", "cis", "--env", "prod", "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    written = Path(result.output.strip())
    assert written.parent == out and written.suffix == f".{fmt}" and written.stat().st_size


def test_trend_chart(app: typer.Typer, tmp_path: Path) -> None:
    CliRunner().invoke(app, ["compliance", "cis"])
    chart = tmp_path / "chart.png"
    result = CliRunner().invoke(app, ["compliance", "cis", "--trend", "--out", str(chart)])
    assert result.exit_code == 0 and chart.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["compliance", "pci"], 1),
        (["compliance", "cis", "--env", "moon"], 1),
        (["compliance", "cis", "--trend"], 1),
        (["compliance", "cis", "--format", "pdf"], 2),
    ],
)
def test_errors_exit_non_zero(app: typer.Typer, args: list[str], code: int) -> None:
    assert CliRunner().invoke(app, args).exit_code == code
