"""`posture serve` and `posture chat` as commands (typer), in-process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from posture_cli.slack_commands import register
from tests.fakes.slack_server import BOT_TOKEN


def posture() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_serve_names_the_missing_bot_token(monkeypatch):
    result = CliRunner().invoke(posture(), ["serve"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: SLACK_BOT_TOKEN is not set. Set it to the Bot User OAuth Token (xoxb-…) "
        "from OAuth & Permissions."
    )


def test_serve_names_the_missing_signing_secret_in_http_mode(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    result = CliRunner().invoke(posture(), ["serve"])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: SLACK_SIGNING_SECRET is not set.")


@pytest.fixture
def home(monkeypatch, demo_store_path: Path, tmp_path: Path) -> Path:
    """A copy of the demo store: DuckDB allows one configuration per file per process,
    and the session's read-only handle is already open."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(demo_store_path, home / "posture.duckdb")
    monkeypatch.setenv("POSTURE_HOME", str(home))
    return home


def test_chat_reads_one_question_per_line_when_piped(home):
    result = CliRunner().invoke(posture(), ["chat"], input="admin roles\n\n2\nquit\nignored\n")
    assert result.exit_code == 0, result.output
    assert "you> admin roles" in result.output
    assert "Choices: [1]" in result.output
    assert "you> 2" in result.output and "ignored" not in result.output


def test_chat_takes_scripted_questions_as_arguments(home):
    result = CliRunner().invoke(posture(), ["chat", "how many critical findings are open?"])
    assert result.exit_code == 0, result.output
    assert "1,551 findings." in result.output
