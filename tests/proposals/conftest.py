"""Proposals over the demo store: teams and roles, a workflow database, a recording
deliverer, and the service wired to them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.routing import AccessSettings, TeamRoute
from governance.audit import AuditLog
from proposals import ProposalService, ProposalStore, Rbac
from store import FindingsStore
from tests.conftest import DEMO_NOW
from tests.fakes.recording_deliverer import RecordingDeliverer
from workflow import WorkflowDB

# demo-estate findings with the shapes the tests need
# payments, critical, public_function_url: a Terraform / SAM fix
CRITICAL_FIX = (
    "prowler:prowler-aws-awslambda_function_url_public-603918274510-us-east-1-processPayment"
)
K8S_FIX = "prowler:prowler-aws-KSV017-381492058173-eu-west-1-fluent-bit"  # platform, high
NO_FIX = "wiz:acebd6c8-5ff6-492b-850d-73832c07b95d"  # identity crypto miner: respond, no fix
RESOLVED = "wiz:f79fed1a-9e77-4cf9-9e99-e51b62467f06"  # platform admin_access, resolved

ADMIN, APPROVER, REQUESTER, VIEWER, LEAD = (
    "U0ADMIN01",
    "U0APPROVE1",
    "U0REQUEST1",
    "U0VIEWER1",
    "U0LEAD001",
)
LEADS_GROUP = "S0PAYLEADS"

TEAMS = {
    "payments": TeamRoute(
        slack_channel="C0PAYMENTS",
        jira_project="PAY",
        github_repo="acme/payments-infra",
        approvers=(APPROVER, LEADS_GROUP),
        requesters=(REQUESTER,),
        viewers=(VIEWER,),
    ),
    "platform": TeamRoute(
        slack_channel="C0PLATFORM",
        servicenow_group="Platform Operations",
        approvers=(APPROVER,),
        requesters=(REQUESTER,),
    ),
}
ACCESS = AccessSettings(admins=(ADMIN,), default_role="viewer")


def groups(group_id: str) -> frozenset[str]:
    return frozenset({LEAD}) if group_id == LEADS_GROUP else frozenset()


def build_service(
    path: Path, store: FindingsStore, deliverer: RecordingDeliverer, audit: AuditLog
) -> ProposalService:
    return ProposalService(
        ProposalStore(WorkflowDB(path)),
        store,
        rbac=Rbac(TEAMS, ACCESS, groups),
        deliverer=deliverer,
        audit=audit,
        teams=TEAMS,
        access=ACCESS,
        clock=lambda: DEMO_NOW,
    )


@pytest.fixture
def deliverer() -> RecordingDeliverer:
    return RecordingDeliverer()


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl")


@pytest.fixture
def service(
    tmp_path: Path, demo_store: FindingsStore, deliverer: RecordingDeliverer, audit: AuditLog
) -> Iterator[ProposalService]:
    built = build_service(tmp_path / "workflow.sqlite3", demo_store, deliverer, audit)
    yield built
    built.store.db.close()
