"""Proposals in SQLite: the state table, compare-and-set moves, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest

from proposals import TRANSITIONS, ProposalKind, ProposalService, ProposalState, can_move
from proposals.store import ProposalStore
from tests.proposals.conftest import APPROVER, K8S_FIX, REQUESTER
from workflow import WorkflowDB


def test_the_migration_creates_the_proposals_table(tmp_path: Path):
    with WorkflowDB(tmp_path / "w.sqlite3") as db:
        assert 4 in db.applied_versions()
        names = {r["name"] for r in db.query("SELECT name FROM sqlite_master")}
        assert {"proposals", "proposals_one_open"} <= names


def test_every_state_has_a_row_and_terminal_states_go_nowhere():
    assert set(TRANSITIONS) == set(ProposalState)
    for state in (ProposalState.REJECTED, ProposalState.CLOSED, ProposalState.EXPIRED):
        assert not TRANSITIONS[state]
    assert not can_move(ProposalKind.SUPPRESSION, ProposalState.APPROVED, ProposalState.DELIVERED)
    assert not can_move(ProposalKind.FIX, ProposalState.APPROVED, ProposalState.EXPIRED)


def test_a_move_is_compare_and_set(service: ProposalService):
    p = service.draft(K8S_FIX, ProposalKind.FIX, user=REQUESTER).proposal
    store: ProposalStore = service.store
    moved = store.move(p.id, {ProposalState.PENDING}, ProposalState.REJECTED, reason="no thanks")
    assert moved is not None and moved.version == p.version + 1
    assert store.move(p.id, {ProposalState.PENDING}, ProposalState.APPROVED) is None
    with pytest.raises(ValueError, match="cannot go"):
        store.move(p.id, {ProposalState.REJECTED}, ProposalState.APPROVED)


def test_find_filters_by_state_and_kind(service: ProposalService):
    p = service.draft(K8S_FIX, ProposalKind.FIX, user=REQUESTER).proposal
    service.reject(p.id, user=APPROVER, reason="not now, later")
    again = service.draft(K8S_FIX, ProposalKind.FIX, user=REQUESTER).proposal  # a new one
    assert again.id != p.id
    assert [x.id for x in service.store.find(states=[ProposalState.PENDING])] == [again.id]
    assert {x.id for x in service.store.find(kind=ProposalKind.FIX)} == {p.id, again.id}
    assert service.store.find(kind=ProposalKind.SUPPRESSION) == []
