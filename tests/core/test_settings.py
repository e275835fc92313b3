"""Settings from variables and the YAML config file: teams, RBAC, ticketing."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from core.routing import Role
from core.settings import Settings, config_file_path


def _write(tmp_path, text: str):
    path = tmp_path / "posture.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_teams_and_access_come_from_the_file_in_home(tmp_path, monkeypatch):
    monkeypatch.setenv("POSTURE_HOME", str(tmp_path))
    _write(
        tmp_path,
        "access:\n  admins: [U0ADMIN]\n  default_role: requester\n"
        "teams:\n  payments:\n    jira_project: PAY\n    approvers: [U0ALICE, S0LEADS]\n",
    )
    settings = Settings()
    assert config_file_path() == tmp_path / "posture.yaml"
    assert settings.access.default_role is Role.REQUESTER
    assert settings.teams["payments"].approvers == ("U0ALICE", "S0LEADS")


def test_variables_win_over_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("POSTURE_CONFIG", str(_write(tmp_path, "jira:\n  issue_type: Task\n")))
    monkeypatch.setenv("POSTURE_JIRA__ISSUE_TYPE", "Bug")
    assert Settings().jira.issue_type == "Bug"


def test_no_file_means_no_teams_and_everyone_a_viewer(tmp_path, monkeypatch):
    monkeypatch.setenv("POSTURE_HOME", str(tmp_path))
    settings = Settings()
    assert settings.teams == {}
    assert settings.access.default_role is Role.VIEWER
    assert not settings.jira.configured


def test_broken_yaml_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv("POSTURE_CONFIG", str(_write(tmp_path, "teams: [unclosed\n")))
    with pytest.raises(ConfigError, match="not valid YAML"):
        Settings()


def test_a_list_at_the_top_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("POSTURE_CONFIG", str(_write(tmp_path, "- a\n- b\n")))
    with pytest.raises(ConfigError, match="mapping"):
        Settings()
