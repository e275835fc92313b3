"""Delivery to the fake GitHub: one commit of every fix file, a pull request, or an issue."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.errors import TicketingError
from tests.fakes.github_server import FakeGitHub
from tests.tickets.conftest import make_settings, request
from tickets import TicketDesk, TicketTarget, correlation_id, refresh_statuses
from tickets.github import branch_for

GH = TicketTarget.GITHUB
REPO = "acme/payments-infra"
BRANCH = branch_for(correlation_id("wiz", "wiz:f-1"))


def test_opens_a_pull_request_with_all_fix_files_in_one_commit(
    github: FakeGitHub, desk_for: Callable[..., TicketDesk]
) -> None:
    receipt = desk_for(settings=make_settings(github=github)).deliver(request(target=GH))

    assert (receipt.key, receipt.created) == (f"{REPO}#1", True)
    assert receipt.url == f"https://github.test/{REPO}/pull/1"
    [tree] = github.calls_to("POST", f"/repos/{REPO}/git/trees")
    assert tree.body["base_tree"]  # on top of main's tree: nothing else is deleted
    [commit] = github.calls_to("POST", f"/repos/{REPO}/git/commits")
    assert commit.body["message"].startswith("fix(security): [CRITICAL]")
    [ref] = github.calls_to("POST", f"/repos/{REPO}/git/refs")
    assert ref.body == {"ref": f"refs/heads/{BRANCH}", "sha": ref.body["sha"]}
    [pull] = github.calls_to("POST", f"/repos/{REPO}/pulls")
    assert (pull.body["head"], pull.body["base"]) == (BRANCH, "main")
    assert "## Fix" in pull.body["body"] and "```hcl" in pull.body["body"]
    files = github.files_on(REPO, BRANCH)
    folder = f"security-fixes/{correlation_id('wiz', 'wiz:f-1').rsplit('-', 1)[-1]}"
    assert sorted(files) == sorted(
        [
            "README.md",
            f"{folder}/README.md",
            f"{folder}/fix.sh",
            f"{folder}/main.tf",
            f"{folder}/template.yaml",
        ]
    )
    assert 'authorization_type = "AWS_IAM"' in files[f"{folder}/main.tf"]
    assert github.files_on(REPO, "main") == {"README.md": "# infra\n"}
    headers = pull.headers
    assert headers["x-github-api-version"] == "2022-11-28"
    assert headers["accept"] == "application/vnd.github+json"


def test_without_a_validated_fix_it_opens_an_issue(
    github: FakeGitHub, desk_for: Callable[..., TicketDesk]
) -> None:
    receipt = desk_for(settings=make_settings(github=github)).deliver(request(target=GH, fix=None))
    assert receipt.url == f"https://github.test/{REPO}/issues/1"
    [issue] = github.calls_to("POST", f"/repos/{REPO}/issues")
    assert correlation_id("wiz", "wiz:f-1") in issue.body["labels"]
    assert "No validated fix" in issue.body["body"]
    assert github.calls_to("POST", f"/repos/{REPO}/git/refs") == []


def test_second_proposal_comments_on_the_open_pull_request(
    github: FakeGitHub, desk_for: Callable[..., TicketDesk]
) -> None:
    desk = desk_for(settings=make_settings(github=github))
    desk.deliver(request(target=GH))
    again = desk.deliver(request(target=GH, idempotency_key="prop-0002"))
    assert (again.key, again.created) == (f"{REPO}#1", False)
    assert len(github.repos[REPO].comments[1]) == 1
    assert len(github.calls_to("POST", f"/repos/{REPO}/pulls")) == 1


def test_a_branch_left_by_an_interrupted_attempt_is_reused(
    github: FakeGitHub, desk_for: Callable[..., TicketDesk]
) -> None:
    github.fail_next(502, method="POST", path="/pulls$")  # branch pushed, PR not opened
    desk = desk_for(settings=make_settings(github=github))
    with pytest.raises(TicketingError):
        desk.deliver(request(target=GH))
    receipt = desk.deliver(request(target=GH))
    assert receipt.created and receipt.key == f"{REPO}#1"
    [patch] = github.calls_to("PATCH", f"/repos/{REPO}/git/refs/heads/{BRANCH}")
    assert patch.body["force"] is True


def test_unknown_repo_points_at_the_team_route(
    github: FakeGitHub, desk_for: Callable[..., TicketDesk]
) -> None:
    settings = make_settings(github=github, teams={"payments": {"github_repo": "acme/nope"}})
    with pytest.raises(TicketingError) as caught:
        desk_for(settings=settings).deliver(request(target=GH))
    assert "github_repo" in caught.value.remediation


def test_missing_base_branch_is_refused_before_anything_is_pushed(
    github: FakeGitHub, desk_for: Callable[..., TicketDesk]
) -> None:
    settings = make_settings(
        github={
            "api_url": github.base_url,
            "token": "github_pat_fake_0000000000",
            "base_branch": "develop",
        }
    )
    with pytest.raises(TicketingError):
        desk_for(settings=settings).deliver(request(target=GH))
    assert github.calls_to("POST", f"/repos/{REPO}/git/refs") == []


def test_merged_pull_request_flows_back(
    github: FakeGitHub, desk_for: Callable[..., TicketDesk]
) -> None:
    desk = desk_for(settings=make_settings(github=github))
    desk.deliver(request(target=GH))
    desk.deliver(request(target=GH, idempotency_key="prop-0002", finding_id="wiz:f-2", fix=None))
    github.merge(REPO, 1)
    github.close(REPO, 2)
    changes = {c.key: c.remote_status for c in refresh_statuses(desk)}
    assert changes == {f"{REPO}#1": "merged", f"{REPO}#2": "closed"}


def test_secondary_rate_limit_403_with_retry_after_is_waited_out(
    github: FakeGitHub, desk_for: Callable[..., TicketDesk], waits: list[float]
) -> None:
    github.fail_next(
        403,
        body={"message": "You have exceeded a secondary rate limit."},
        headers={"Retry-After": "5"},
        method="POST",
        path="/pulls$",
    )
    receipt = desk_for(settings=make_settings(github=github)).deliver(request(target=GH))
    assert receipt.created and len(github.calls_to("POST", f"/repos/{REPO}/pulls")) == 2
    assert waits == [5.0]
