"""Approvals from several processes at once (the bot, a CLI, a second bot) deliver once:
the compare-and-set lives in SQLite, not in any one process's memory."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from core.routing import AccessSettings, TeamRoute
from governance.audit import AuditLog
from proposals import ProposalKind, ProposalService, ProposalStore, Rbac
from store import FindingsStore
from tests.fakes.recording_deliverer import RecordingDeliverer
from tests.proposals.conftest import APPROVER, K8S_FIX, REQUESTER, TEAMS, build_service
from tickets import DeliveryReceipt, DeliveryRequest
from workflow import WorkflowDB


class _FileDeliverer:
    """Appends each delivery to a file shared by the processes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def deliver(self, request: DeliveryRequest) -> DeliveryReceipt:
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"key": request.idempotency_key}) + "\n")
        return DeliveryReceipt(
            target=request.target, key="INC1", url="https://x/INC1", created=True
        )


def _approve(workflow: str, deliveries: str, audit: str, proposal_id: str, go, out) -> None:
    teams: dict[str, TeamRoute] = TEAMS
    with WorkflowDB(Path(workflow)) as db:
        service = ProposalService(
            ProposalStore(db),
            None,  # type: ignore[arg-type]  # approving reads no findings
            rbac=Rbac(teams, AccessSettings()),
            deliverer=_FileDeliverer(Path(deliveries)),
            audit=AuditLog(Path(audit)),
            teams=teams,
            access=AccessSettings(),
        )
        go.wait(60)  # all three approve at the same moment
        out.put(service.approve(proposal_id, user=APPROVER).status)


def test_three_processes_approving_at_once_deliver_once(tmp_path: Path, demo_store: FindingsStore):
    workflow, audit = tmp_path / "w.sqlite3", tmp_path / "audit.jsonl"
    first = build_service(workflow, demo_store, RecordingDeliverer(), AuditLog(audit))
    proposal_id = first.draft(K8S_FIX, ProposalKind.FIX, user=REQUESTER).proposal.id
    first.store.db.close()
    ctx = multiprocessing.get_context("spawn")
    go, out = ctx.Barrier(3), ctx.Queue()
    deliveries = tmp_path / "deliveries.jsonl"
    args = (str(workflow), str(deliveries), str(audit), proposal_id, go, out)
    procs = [ctx.Process(target=_approve, args=args) for _ in range(3)]
    for p in procs:
        p.start()
    statuses = sorted(out.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(30)
    out.close()
    out.join_thread()
    assert statuses == ["already", "already", "delivered"]
    assert len(deliveries.read_text().splitlines()) == 1
    assert AuditLog(audit).verify().ok
