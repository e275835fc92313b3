"""A fake Jira Cloud (REST API v3) on loopback: issues, comments, transitions, JQL search.

Speaks the real shapes (create answers ``{"id", "key", "self"}``; errors are
``{"errorMessages": [...], "errors": {field: message}}``), checks basic auth
(email:api_token), refuses a description or comment body that is not ADF, an unknown
project or issue type, and labels with spaces. Issues move through the workflow of
``../shared/realdata/ticketing/jira/transitions-response.json`` (11 To Do,
21 In Progress, 31 Done); ``transition(key, "Done")`` closes one from a test.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from tests.fakes.loopback import LoopbackFake, Reply

__all__ = ["EMAIL", "TOKEN", "FakeJira"]

EMAIL = "bot@example.com"
TOKEN = "fake-jira-api-token-0000"
_STATUSES = {
    "To Do": ("11", "new"),
    "In Progress": ("21", "indeterminate"),
    "Done": ("31", "done"),
}
_ADF_TYPES = {
    "doc", "paragraph", "heading", "bulletList", "orderedList", "listItem", "codeBlock",
    "text", "hardBreak", "rule", "blockquote",
}  # fmt: skip
_JQL = re.compile(
    r'^project = "(?P<project>[^"]+)" AND labels = "(?P<label>[^"]+)"'
    r"(?P<open> AND statusCategory != Done)?$"
)


def adf_errors(node: Any, where: str = "description") -> list[str]:
    """The fake's own ADF check (not the product's): the shape Jira insists on."""
    if not isinstance(node, dict) or node.get("type") != "doc" or node.get("version") != 1:
        return [f"{where}: Operation value must be an Atlassian Document (doc, version 1)"]
    return _walk(node, where)


def _walk(node: dict[str, Any], where: str) -> list[str]:
    errors = []
    for child in node.get("content", []):
        kind = child.get("type") if isinstance(child, dict) else None
        if kind not in _ADF_TYPES or kind == "doc":
            errors.append(f"{where}: INVALID_INPUT node type {kind}")
            continue
        if kind == "text" and not child.get("text"):
            errors.append(f"{where}: INVALID_INPUT empty text node")
        if node.get("type") == "codeBlock" and child.get("marks"):
            errors.append(f"{where}: INVALID_INPUT marks inside codeBlock")
        errors += _walk(child, where)
    return errors


class FakeJira(LoopbackFake):
    """The fake site; ``projects`` are the project keys it knows."""

    def __init__(self, *, projects: tuple[str, ...] = ("PAY", "TEST")) -> None:
        super().__init__()
        self.projects = {p: 0 for p in projects}
        self.issues: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, list[dict[str, Any]]] = {}
        self._ids = 10000

    # --- test helpers ---------------------------------------------------------------

    def transition(self, key: str, status: str) -> None:
        with self.lock:
            transition_id, category = _STATUSES[status]
            self.issues[key]["fields"]["status"] = _status(status)

    # --- the API --------------------------------------------------------------------

    def authorized(self, headers: dict[str, str]) -> bool:
        expected = base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
        return headers.get("authorization") == f"Basic {expected}"

    def unauthorized(self) -> Reply:
        return Reply(401, {"errorMessages": ["You are not authenticated."], "errors": {}})

    def route(self, method: str, path: str, args: dict[str, str], body: Any) -> Reply:
        if (method, path) == ("POST", "/rest/api/3/issue"):
            return self._create(body or {})
        if (method, path) == ("POST", "/rest/api/3/search/jql"):
            return self._search(body or {})
        match = re.fullmatch(
            r"/rest/api/3/issue/([A-Z][A-Z0-9]*-\d+)(/comment|/transitions)?", path
        )
        if not match or match[1] not in self.issues:
            return _error(404, "Issue does not exist or you do not have permission to see it.")
        key, sub = match[1], match[2]
        if method == "GET" and sub is None:
            return Reply(200, self._view(key, args.get("fields")))
        if method == "POST" and sub == "/comment":
            return self._comment(key, body or {})
        if method == "POST" and sub == "/transitions":
            return self._transition(key, body or {})
        return _error(405, f"{method} is not supported here")

    def _create(self, body: dict[str, Any]) -> Reply:
        fields = body.get("fields") or {}
        errors: dict[str, str] = {}
        project = (fields.get("project") or {}).get("key")
        if project not in self.projects:
            errors["project"] = "valid project is required"
        if (fields.get("issuetype") or {}).get("name") not in ("Task", "Bug", "Story"):
            errors["issuetype"] = "The issue type selected is invalid."
        summary = fields.get("summary")
        if not isinstance(summary, str) or not summary.strip() or len(summary) > 255:
            errors["summary"] = "You must specify a summary of the issue (under 255 characters)."
        if "\n" in str(summary):
            errors["summary"] = "The summary is invalid because it contains newline characters."
        problems = adf_errors(fields.get("description"))
        if problems:
            errors["description"] = problems[0]
        if any(" " in str(label) for label in fields.get("labels", [])):
            errors["labels"] = "The label 'x y' contains spaces which is invalid."
        if errors:
            return Reply(400, {"errorMessages": [], "errors": errors})
        self.projects[project] += 1
        self._ids += 1
        key = f"{project}-{self.projects[project]}"
        stored = {**fields, "status": _status("To Do")}
        self.issues[key] = {"id": str(self._ids), "key": key, "fields": stored}
        self.comments[key] = []
        return Reply(201, {"id": str(self._ids), "key": key, "self": self._self(key)})

    def _comment(self, key: str, body: dict[str, Any]) -> Reply:
        problems = adf_errors(body.get("body"), "body")
        if problems:
            return Reply(400, {"errorMessages": [], "errors": {"comment": problems[0]}})
        self._ids += 1
        comment = {"id": str(self._ids), "body": body["body"], "self": self._self(key)}
        self.comments[key].append(comment)
        return Reply(201, comment)

    def _transition(self, key: str, body: dict[str, Any]) -> Reply:
        wanted = str((body.get("transition") or {}).get("id"))
        for name, (transition_id, _) in _STATUSES.items():
            if transition_id == wanted:
                self.issues[key]["fields"]["status"] = _status(name)
                return Reply(204)
        return Reply(400, {"errorMessages": ["Transition id is not valid."], "errors": {}})

    def _search(self, body: dict[str, Any]) -> Reply:
        match = _JQL.fullmatch(str(body.get("jql", "")))
        if not match:
            return Reply(400, {"errorMessages": ["fake: unsupported JQL"], "errors": {}})
        hits = [
            self._view(key, "status")
            for key, issue in self.issues.items()
            if issue["fields"]["project"]["key"] == match["project"]
            and match["label"] in issue["fields"].get("labels", [])
            and not (match["open"] and issue["fields"]["status"]["statusCategory"]["key"] == "done")
        ]
        limit = int(body.get("maxResults", 50))
        return Reply(200, {"issues": hits[:limit], "isLast": len(hits) <= limit})

    def _view(self, key: str, fields: str | None) -> dict[str, Any]:
        issue = self.issues[key]
        wanted = set(fields.split(",")) if fields else set(issue["fields"])
        shown = {k: v for k, v in issue["fields"].items() if k in wanted}
        return {"id": issue["id"], "key": key, "self": self._self(key), "fields": shown}

    def _self(self, key: str) -> str:
        return f"{self.base_url}/rest/api/3/issue/{key}"


def _status(name: str) -> dict[str, Any]:
    category = _STATUSES[name][1]
    return {"name": name, "statusCategory": {"key": category, "name": name}}


def _error(status: int, message: str) -> Reply:
    return Reply(status, {"errorMessages": [message], "errors": {}})
