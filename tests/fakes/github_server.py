"""A fake GitHub REST API on loopback: git data (refs, commits, trees), pulls, issues.

Keeps a real little object store per repository: a tree is a path -> content map, a
commit points at a tree and its parents, a branch at a commit. So it refuses what
GitHub refuses: a tree on an unknown ``base_tree``, a commit on an unknown tree or
parent, a ref to an unknown commit or one that exists (422 "Reference already exists"),
a pull request whose head or base branch does not exist, or a second open one for the
same head. Checks ``Authorization: Bearer`` and ``X-GitHub-Api-Version``. Issues and
pull requests share numbers, and the issues list includes pull requests, as on GitHub.
``merge(repo, number)`` and ``close(repo, number)`` play the reviewer.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.loopback import LoopbackFake, Reply

__all__ = ["API_VERSION", "TOKEN", "FakeGitHub"]

TOKEN = "github_pat_fake_0000000000"
API_VERSION = "2022-11-28"


@dataclass
class _Repo:
    trees: dict[str, dict[str, str]] = field(default_factory=dict)
    commits: dict[str, dict[str, Any]] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    items: dict[int, dict[str, Any]] = field(default_factory=dict)  # issues and pulls
    comments: dict[int, list[str]] = field(default_factory=dict)


def _sha(data: Any) -> str:
    return hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()  # noqa: S324


class FakeGitHub(LoopbackFake):
    """The fake API; each repository starts with ``main`` holding a README."""

    def __init__(self, *, repos: tuple[str, ...] = ("acme/payments-infra",)) -> None:
        super().__init__()
        self.repos: dict[str, _Repo] = {}
        for name in repos:
            repo = _Repo()
            tree = {"README.md": "# infra\n"}
            repo.trees[_sha(tree)] = tree
            root = {"tree": _sha(tree), "parents": [], "message": "init"}
            repo.commits[_sha(root)] = root
            repo.branches["main"] = _sha(root)
            self.repos[name] = repo

    # --- test helpers ---------------------------------------------------------------

    def files_on(self, repo: str, branch: str) -> dict[str, str]:
        r = self.repos[repo]
        return dict(r.trees[r.commits[r.branches[branch]]["tree"]])

    def merge(self, repo: str, number: int) -> None:
        with self.lock:
            self.repos[repo].items[number].update(state="closed", merged=True)

    def close(self, repo: str, number: int) -> None:
        with self.lock:
            self.repos[repo].items[number]["state"] = "closed"

    # --- the API --------------------------------------------------------------------

    def authorized(self, headers: dict[str, str]) -> bool:
        return headers.get("authorization") == f"Bearer {TOKEN}"

    def unauthorized(self) -> Reply:
        return Reply(401, {"message": "Bad credentials", "status": "401"})

    def route(self, method: str, path: str, args: dict[str, str], body: Any) -> Reply:
        match = re.fullmatch(r"/repos/([\w.-]+/[\w.-]+)/(.+)", path)
        if not match or match[1] not in self.repos:
            return _not_found()
        if self.calls[-1].headers.get("x-github-api-version") != API_VERSION:
            return Reply(400, {"message": "Unsupported 'X-GitHub-Api-Version'"})
        name, rest, repo = match[1], match[2], self.repos[match[1]]
        for pattern, verb, handler in self._routes():
            found = re.fullmatch(pattern, rest)
            if found and verb == method:
                reply: Reply = handler(name, repo, found, args, body or {})
                return reply
        return _not_found()

    def _routes(self) -> list[tuple[str, str, Any]]:
        return [
            (r"git/ref/heads/(.+)", "GET", self._get_ref),
            (r"git/commits/([0-9a-f]+)", "GET", self._get_commit),
            (r"git/trees", "POST", self._post_tree),
            (r"git/commits", "POST", self._post_commit),
            (r"git/refs", "POST", self._post_ref),
            (r"git/refs/heads/(.+)", "PATCH", self._patch_ref),
            (r"pulls", "GET", self._list_pulls),
            (r"pulls", "POST", self._post_pull),
            (r"pulls/(\d+)", "GET", self._get_item),
            (r"issues", "GET", self._list_issues),
            (r"issues", "POST", self._post_issue),
            (r"issues/(\d+)", "GET", self._get_item),
            (r"issues/(\d+)/comments", "POST", self._post_comment),
        ]

    def _get_ref(self, name: str, repo: _Repo, m: Any, args: Any, body: Any) -> Reply:
        sha = repo.branches.get(m[1])
        if sha is None:
            return _not_found()
        return Reply(200, {"ref": f"refs/heads/{m[1]}", "object": {"sha": sha, "type": "commit"}})

    def _get_commit(self, name: str, repo: _Repo, m: Any, args: Any, body: Any) -> Reply:
        commit = repo.commits.get(m[1])
        if commit is None:
            return _not_found()
        parents = [{"sha": p} for p in commit["parents"]]
        return Reply(200, {"sha": m[1], "tree": {"sha": commit["tree"]}, "parents": parents})

    def _post_tree(self, name: str, repo: _Repo, m: Any, args: Any, body: dict[str, Any]) -> Reply:
        base = body.get("base_tree")
        if base is not None and base not in repo.trees:
            return _invalid("base_tree is not a valid tree")
        tree = dict(repo.trees[base]) if base else {}
        for entry in body.get("tree") or []:
            if entry.get("type") != "blob" or entry.get("mode") not in ("100644", "100755"):
                return _invalid(f"tree entry {entry.get('path')} needs type blob and a mode")
            if not isinstance(entry.get("content"), str) or not entry.get("path"):
                return _invalid("tree entries need a path and content")
            tree[entry["path"]] = entry["content"]
        repo.trees[_sha(tree)] = tree
        return Reply(201, {"sha": _sha(tree), "tree": [{"path": p} for p in sorted(tree)]})

    def _post_commit(
        self, name: str, repo: _Repo, m: Any, args: Any, body: dict[str, Any]
    ) -> Reply:
        parents = body.get("parents") or []
        if body.get("tree") not in repo.trees or any(p not in repo.commits for p in parents):
            return _invalid("tree or parent sha is not valid")
        if not body.get("message"):
            return _invalid("message is required")
        commit = {"tree": body["tree"], "parents": parents, "message": body["message"]}
        repo.commits[_sha(commit)] = commit
        return Reply(201, {"sha": _sha(commit), "tree": {"sha": body["tree"]}})

    def _post_ref(self, name: str, repo: _Repo, m: Any, args: Any, body: dict[str, Any]) -> Reply:
        ref, sha = str(body.get("ref", "")), body.get("sha")
        if not ref.startswith("refs/heads/") or sha not in repo.commits:
            return _invalid("ref must be refs/heads/... and sha a commit")
        branch = ref.removeprefix("refs/heads/")
        if branch in repo.branches:
            return _invalid("Reference already exists")
        repo.branches[branch] = sha
        return Reply(201, {"ref": ref, "object": {"sha": sha, "type": "commit"}})

    def _patch_ref(self, name: str, repo: _Repo, m: Any, args: Any, body: dict[str, Any]) -> Reply:
        if m[1] not in repo.branches:
            return _invalid("Reference does not exist")
        if body.get("sha") not in repo.commits:
            return _invalid("sha is not a commit")
        repo.branches[m[1]] = body["sha"]
        return Reply(200, {"ref": f"refs/heads/{m[1]}", "object": {"sha": body["sha"]}})

    def _list_pulls(self, name: str, repo: _Repo, m: Any, args: dict[str, str], body: Any) -> Reply:
        pulls = [i for i in repo.items.values() if "head" in i]
        if "head" in args:
            branch = args["head"].split(":", 1)[-1]
            pulls = [p for p in pulls if p["head"]["ref"] == branch]
        state = args.get("state", "open")
        return Reply(200, [p for p in pulls if state == "all" or p["state"] == state])

    def _post_pull(self, name: str, repo: _Repo, m: Any, args: Any, body: dict[str, Any]) -> Reply:
        head, base = body.get("head"), body.get("base")
        errors = [
            {"resource": "PullRequest", "field": f, "code": "invalid"}
            for f, v in (("head", head), ("base", base))
            if v not in repo.branches
        ]
        if errors or head == base or not body.get("title"):
            return Reply(422, {"message": "Validation Failed", "errors": errors or [{}]})
        if any(
            i.get("head", {}).get("ref") == head and i["state"] == "open"
            for i in repo.items.values()
        ):
            owner = name.split("/")[0]
            return _invalid(f"A pull request already exists for {owner}:{head}.")
        return Reply(
            201, self._item(name, repo, body, head={"ref": head}, base={"ref": base}, merged=False)
        )

    def _list_issues(
        self, name: str, repo: _Repo, m: Any, args: dict[str, str], body: Any
    ) -> Reply:
        items = list(repo.items.values())
        if args.get("labels"):
            wanted = set(args["labels"].split(","))
            items = [i for i in items if wanted <= {lb["name"] for lb in i["labels"]}]
        state = args.get("state", "open")
        return Reply(200, [i for i in items if state == "all" or i["state"] == state])

    def _post_issue(self, name: str, repo: _Repo, m: Any, args: Any, body: dict[str, Any]) -> Reply:
        if not body.get("title"):
            return Reply(422, {"message": "Validation Failed", "errors": [{"field": "title"}]})
        return Reply(201, self._item(name, repo, body))

    def _get_item(self, name: str, repo: _Repo, m: Any, args: Any, body: Any) -> Reply:
        item = repo.items.get(int(m[1]))
        return Reply(200, item) if item else _not_found()

    def _post_comment(
        self, name: str, repo: _Repo, m: Any, args: Any, body: dict[str, Any]
    ) -> Reply:
        number = int(m[1])
        if number not in repo.items or not body.get("body"):
            return _not_found() if number not in repo.items else _invalid("body is required")
        repo.comments[number].append(body["body"])
        return Reply(201, {"id": len(repo.comments[number]), "body": body["body"]})

    def _item(self, name: str, repo: _Repo, body: dict[str, Any], **extra: Any) -> dict[str, Any]:
        number = len(repo.items) + 1
        kind = "pull" if "head" in extra else "issues"
        item = {
            "number": number,
            "title": body["title"],
            "body": body.get("body"),
            "state": "open",
            "html_url": f"https://github.test/{name}/{kind}/{number}",
            "labels": [{"name": label} for label in body.get("labels", [])],
            **extra,
        }
        if kind == "pull":
            item["pull_request"] = {"url": f"{self.base_url}/repos/{name}/pulls/{number}"}
        repo.items[number] = item
        repo.comments[number] = []
        return item


def _not_found() -> Reply:
    return Reply(404, {"message": "Not Found", "status": "404"})


def _invalid(message: str) -> Reply:
    return Reply(422, {"message": message, "status": "422"})
