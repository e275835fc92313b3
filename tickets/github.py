"""GitHub: a pull request carrying the fix files, or an issue when there is no file form.

Why the git data API and not ``PUT /repos/{o}/{r}/contents/{path}``: a fix has several
files (Terraform, a native template, a patch, a README). The contents API makes one
commit per file, and a failure half-way leaves a branch with part of the fix. With the
git data API (https://docs.github.com/en/rest/git) the files go into one tree on top of
the base commit's tree (``POST git/trees`` with ``base_tree``), one commit
(``POST git/commits``), and only then a branch pointing at it (``POST git/refs``): the
branch appears complete or not at all. Then ``POST pulls`` opens the pull request.

Without a validated fix there is nothing to commit, so the delivery becomes an issue
(``POST issues``) labelled with our correlation id, with the same markdown body: the
team still gets the finding, in the place it works.

The branch name is derived from the correlation id, so an open pull request for a
finding is found by ``GET pulls?head=owner:branch&state=open``. Headers follow the
REST API's versioning rules: ``Authorization: Bearer``, ``Accept:
application/vnd.github+json`` and ``X-GitHub-Api-Version: 2022-11-28``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from core.ticketing_settings import GitHubSettings
from tickets.client import RemoteTicket
from tickets.http import RetryPolicy, TicketHttp, TicketingFailed, make_client
from tickets.models import DeliveryRequest, TicketTarget
from tickets.render import fix_files, render_comment, render_ticket

__all__ = ["API_VERSION", "GitHubClient", "branch_for", "explain_github_error"]

API_VERSION = "2022-11-28"
_TITLE_MAX = 250


def branch_for(correlation: str) -> str:
    """The branch of the pull request for one finding.

    >>> branch_for("posture-finding-0123456789abcdef")
    'posture-copilot/fix-0123456789abcdef'
    """
    return f"posture-copilot/fix-{correlation.rsplit('-', 1)[-1]}"


class GitHubClient:
    """Pull requests and issues in the team's repository; ``route`` is ``owner/name``."""

    target = TicketTarget.GITHUB

    def __init__(
        self,
        settings: GitHubSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        if settings.token is None:
            raise TicketingFailed(
                "GitHub is not configured.",
                target="github",
                remediation="Set POSTURE_GITHUB__TOKEN (contents and pull requests: write).",
            )
        self.base_branch = settings.base_branch
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "Authorization": f"Bearer {settings.token.get_secret_value()}",
        }
        client = make_client(settings.api_url.rstrip("/"), headers=headers, transport=transport)
        self.http = TicketHttp(
            "github", client, explain=explain_github_error, policy=policy, sleep=sleep
        )

    def close(self) -> None:
        self.http.close()

    def find_open(self, route: str, correlation: str) -> RemoteTicket | None:
        owner = route.split("/", 1)[0]
        params = {"head": f"{owner}:{branch_for(correlation)}", "state": "open"}
        pulls = self.http.request("GET", f"/repos/{route}/pulls", params=params) or []
        if pulls:
            return _pull(route, pulls[0])
        params = {"labels": correlation, "state": "open"}
        issues = self.http.request("GET", f"/repos/{route}/issues", params=params) or []
        # the issues list includes pull requests; those carry a "pull_request" key
        plain = [i for i in issues if "pull_request" not in i]
        return _issue(route, plain[0]) if plain else None

    def create(self, route: str, correlation: str, request: DeliveryRequest) -> RemoteTicket:
        folder = f"security-fixes/{correlation.rsplit('-', 1)[-1]}"
        files = fix_files(request, folder)
        if not files:
            return self._open_issue(route, correlation, request)
        branch = branch_for(correlation)
        self._push_branch(route, branch, files, f"fix(security): {_title(request)}")
        body = {
            "title": _title(request),
            "head": branch,
            "base": self.base_branch,
            "body": render_ticket(request, "md"),
            "maintainer_can_modify": True,
        }
        made = self.http.request("POST", f"/repos/{route}/pulls", json=body, unsafe=True)
        return _pull(route, made or {})

    def comment(self, route: str, ticket: RemoteTicket, request: DeliveryRequest) -> None:
        number = ticket.remote_id.rsplit("/", 1)[-1]
        body = {"body": render_comment(request, "md")}
        self.http.request("POST", f"/repos/{route}/issues/{number}/comments", json=body)

    def status(self, route: str, ticket: RemoteTicket) -> RemoteTicket:
        kind, number = ticket.remote_id.split("/", 1)
        if kind == "pull":
            return _pull(route, self.http.request("GET", f"/repos/{route}/pulls/{number}") or {})
        return _issue(route, self.http.request("GET", f"/repos/{route}/issues/{number}") or {})

    def _open_issue(self, route: str, correlation: str, request: DeliveryRequest) -> RemoteTicket:
        body = {
            "title": _title(request),
            "body": render_ticket(request, "md"),
            "labels": sorted({*request.labels, correlation}),
        }
        made = self.http.request("POST", f"/repos/{route}/issues", json=body, unsafe=True)
        return _issue(route, made or {})

    def _push_branch(self, route: str, branch: str, files: dict[str, str], message: str) -> None:
        """One commit with every file on top of the base branch, then the branch itself."""
        ref = self.http.request("GET", f"/repos/{route}/git/ref/heads/{self.base_branch}")
        base_sha = str(((ref or {}).get("object") or {}).get("sha", ""))
        commit = self.http.request("GET", f"/repos/{route}/git/commits/{base_sha}") or {}
        entries = [
            {"path": path, "mode": "100644", "type": "blob", "content": text}
            for path, text in sorted(files.items())
        ]
        tree_body = {"base_tree": (commit.get("tree") or {}).get("sha"), "tree": entries}
        tree = self.http.request("POST", f"/repos/{route}/git/trees", json=tree_body) or {}
        new = self.http.request(
            "POST",
            f"/repos/{route}/git/commits",
            json={"message": message, "tree": tree.get("sha"), "parents": [base_sha]},
        )
        sha = str((new or {}).get("sha", ""))
        try:
            self.http.request(
                "POST",
                f"/repos/{route}/git/refs",
                json={"ref": f"refs/heads/{branch}", "sha": sha},
                unsafe=True,
            )
        except TicketingFailed as exc:
            if exc.status != 422:  # 422: the branch exists (an earlier, interrupted try)
                raise
            self.http.request(
                "PATCH",
                f"/repos/{route}/git/refs/heads/{branch}",
                json={"sha": sha, "force": True},
            )


def _title(request: DeliveryRequest) -> str:
    text = f"[{request.severity.upper()}] {' '.join(request.title.split())}"
    return text if len(text) <= _TITLE_MAX else text[: _TITLE_MAX - 1] + "…"


def _pull(route: str, pull: dict[str, Any]) -> RemoteTicket:
    number = pull.get("number")
    if number is None:
        raise TicketingFailed("GitHub answered without a pull request number.", target="github")
    merged = bool(pull.get("merged") or pull.get("merged_at"))
    state = "merged" if merged else str(pull.get("state", "open"))
    return RemoteTicket(
        key=f"{route}#{number}",
        url=str(pull.get("html_url", "")),
        remote_id=f"pull/{number}",
        status=state,
        closed=state != "open",
    )


def _issue(route: str, issue: dict[str, Any]) -> RemoteTicket:
    number = issue.get("number")
    if number is None:
        raise TicketingFailed("GitHub answered without an issue number.", target="github")
    state = str(issue.get("state", "open"))
    return RemoteTicket(
        key=f"{route}#{number}",
        url=str(issue.get("html_url", "")),
        remote_id=f"issues/{number}",
        status=state,
        closed=state != "open",
    )


def explain_github_error(status: int, body: Any) -> tuple[str, str]:
    """GitHub's error body as one line and what to do about it.

    >>> explain_github_error(404, {"message": "Not Found"})[1]
    "Check the team's github_repo in posture.yaml and that the token can see that repo."
    """
    body = body if isinstance(body, dict) else {}
    errors = [
        str(e.get("message") or f"{e.get('field')} {e.get('code')}")
        for e in body.get("errors") or []
        if isinstance(e, dict)
    ]
    detail = "; ".join([str(body.get("message") or ""), *errors]).strip("; ")[:300]
    if status == 401:
        return "GitHub refused the token", (
            "Check POSTURE_GITHUB__TOKEN (expired or revoked?); nothing was delivered."
        )
    if status == 403:
        return f"GitHub refused the request{': ' + detail if detail else ''}", (
            "Give the token contents:write, pull_requests:write and issues:write on the repo."
        )
    if status == 404:
        return "GitHub cannot find the repository or branch", (
            "Check the team's github_repo in posture.yaml and that the token can see that repo."
        )
    if status == 422:
        return f"GitHub rejected the request: {detail or 'no detail given'}", (
            "Check the base branch (POSTURE_GITHUB__BASE_BRANCH) exists in the team's repo."
        )
    return f"GitHub failed{': ' + detail if detail else ''}", "Retry later."
