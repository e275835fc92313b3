"""Fixtures for delivery tests: the three fakes, settings pointing at them, a desk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from core.routing import TeamRoute
from core.settings import Settings
from remediation.models import Remediation, RemediationCode
from tests.fakes import github_server, jira_server, servicenow_server
from tests.fakes.github_server import FakeGitHub
from tests.fakes.jira_server import FakeJira
from tests.fakes.servicenow_server import FakeServiceNow
from tickets import DeliveryRequest, RetryPolicy, TicketDesk, TicketTarget
from workflow import WorkflowDB

TEAM = TeamRoute(
    jira_project="PAY",
    servicenow_group="Payments Operations",
    github_repo="acme/payments-infra",
)
FAST = RetryPolicy(attempts=4, backoff_base_s=0.0, backoff_max_s=0.0, retry_after_cap_s=60.0)


@pytest.fixture
def jira() -> Iterator[FakeJira]:
    with FakeJira() as fake:
        yield fake


@pytest.fixture
def servicenow() -> Iterator[FakeServiceNow]:
    with FakeServiceNow() as fake:
        yield fake


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        yield fake


def make_settings(
    jira: FakeJira | dict[str, Any] | None = None,
    servicenow: FakeServiceNow | None = None,
    github: FakeGitHub | dict[str, Any] | None = None,
    **over: Any,
) -> Settings:
    values: dict[str, Any] = {"teams": {"payments": TEAM}}
    if isinstance(jira, dict):
        values["jira"] = jira
    elif jira:
        values["jira"] = {
            "base_url": jira.base_url,
            "email": jira_server.EMAIL,
            "api_token": jira_server.TOKEN,
        }
    if servicenow:
        values["servicenow"] = {
            "instance_url": servicenow.base_url,
            "username": servicenow_server.USERNAME,
            "password": servicenow_server.PASSWORD,
        }
    if isinstance(github, dict):
        values["github"] = github
    elif github:
        values["github"] = {"api_url": github.base_url, "token": github_server.TOKEN}
    values.update(over)
    return Settings(**values)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[WorkflowDB]:
    with WorkflowDB(tmp_path / "workflow.sqlite3") as handle:
        yield handle


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def desk_for(db: WorkflowDB, waits: list[float]) -> Iterator[Callable[..., TicketDesk]]:
    """Build a desk over the fakes; every desk built is closed after the test."""
    made: list[TicketDesk] = []

    def build(*, settings: Settings, database: WorkflowDB | None = None, **kw: Any) -> TicketDesk:
        desk = TicketDesk.from_settings(
            settings, database or db, policy=FAST, sleep=waits.append, **kw
        )
        made.append(desk)
        return desk

    yield build
    for desk in made:
        desk.close()


def fix(**over: Any) -> Remediation:
    values: dict[str, Any] = {
        "finding_id": "wiz:f-1",
        "finding_type": "public_function_url",
        "drafter": "exposure",
        "summary": "Require IAM auth on the function URL.",
        "recommendation": "Switch AuthType to AWS_IAM and front it with API Gateway.",
        "code": RemediationCode(
            cli="aws lambda update-function-url-config --function-name pay --auth-type AWS_IAM",
            terraform=(
                'resource "aws_lambda_function_url" "pay" {\n  authorization_type = "AWS_IAM"\n}'
            ),
            native_iac={"template.yaml": "Resources:\n  PayUrl:\n    AuthType: AWS_IAM\n"},
        ),
        "checks": ("Callers use SigV4",),
        "validated": True,
        "validation": ("terraform parses",),
    }
    values.update(over)
    return Remediation(**values)


def request(**over: Any) -> DeliveryRequest:
    values: dict[str, Any] = {
        "idempotency_key": "prop-0001",
        "target": TicketTarget.JIRA,
        "team": "payments",
        "source": "wiz",
        "finding_id": "wiz:f-1",
        "title": "Public function URL on processPayment",
        "severity": "critical",
        "risk_score": 9.4,
        "risk_in_words": "Public prod function with admin rights that reads PII.",
        "evidence": ("Function URL AuthType is NONE", "Role has iam:* on *"),
        "fix": fix(),
        "rollout": ("Deploy to staging", "Watch 4xx for an hour", "Deploy to prod"),
        "verification": ("curl the URL without auth: expect 403",),
        "console_url": "https://app.wiz.io/issues#~(issue~'f-1)",
        "requested_by": "U0BOB",
        "approved_by": "U0ALICE",
    }
    values.update(over)
    return DeliveryRequest(**values)
