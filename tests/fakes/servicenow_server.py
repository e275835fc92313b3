"""A fake ServiceNow Table API on loopback: the ``incident`` table.

Speaks the real shapes: ``{"result": {...}}`` for one record, ``{"result": [...]}`` for
a list, ``{"error": {"message", "detail"}, "status": "failure"}`` for errors; values
are strings (``"state": "1"``); ``sysparm_query`` conditions joined by ``^``;
``work_notes`` is a journal (a PATCH appends). Stricter than an instance in two ways,
to catch our mistakes: unknown fields and an unknown ``assignment_group`` are refused
with 400 instead of silently dropped. ``resolve(number)`` plays the service desk.
"""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

from tests.fakes.loopback import LoopbackFake, Reply

__all__ = ["PASSWORD", "USERNAME", "FakeServiceNow"]

USERNAME = "posture.bot"
PASSWORD = "fake-servicenow-password"
_TABLE = "/api/now/table/incident"
_FIELDS = {
    "short_description", "description", "impact", "urgency", "assignment_group",
    "category", "correlation_id", "correlation_display", "work_notes", "comments",
    "state", "caller_id",
}  # fmt: skip


class FakeServiceNow(LoopbackFake):
    """The fake instance; ``groups`` maps assignment group names to sys_ids."""

    def __init__(self, *, groups: tuple[str, ...] = ("Payments Operations",)) -> None:
        super().__init__()
        self.groups = {name: uuid.uuid4().hex for name in groups}
        self.incidents: dict[str, dict[str, Any]] = {}  # sys_id -> record
        self.work_notes: dict[str, list[str]] = {}
        self._numbers = 10000

    # --- test helpers ---------------------------------------------------------------

    def resolve(self, number: str, state: str = "6") -> None:
        with self.lock:
            record = next(r for r in self.incidents.values() if r["number"] == number)
            record.update(state=state, active="false")

    # --- the API --------------------------------------------------------------------

    def authorized(self, headers: dict[str, str]) -> bool:
        expected = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        return headers.get("authorization") == f"Basic {expected}"

    def unauthorized(self) -> Reply:
        return _error(401, "User Not Authenticated", "Required to provide Auth information")

    def route(self, method: str, path: str, args: dict[str, str], body: Any) -> Reply:
        if path == _TABLE and method == "POST":
            return self._insert(body or {}, args)
        if path == _TABLE and method == "GET":
            return self._list(args)
        match = re.fullmatch(rf"{_TABLE}/([0-9a-f]{{32}})", path)
        if not match or match[1] not in self.incidents:
            return _error(404, "No Record found", "Record doesn't exist or ACL restricts it")
        if method == "GET":
            return Reply(200, {"result": _fields(self.incidents[match[1]], args)})
        if method in ("PATCH", "PUT"):
            return self._update(match[1], body or {}, args)
        return _error(405, "Method not supported", method)

    def _invalid(self, body: dict[str, Any]) -> str | None:
        unknown = sorted(set(body) - _FIELDS)
        if unknown:
            return f"Unknown fields: {', '.join(unknown)}"
        for name in ("impact", "urgency"):
            if name in body and body[name] not in ("1", "2", "3"):
                return f"{name} must be 1, 2 or 3"
        group = body.get("assignment_group")
        if group is not None and group not in self.groups and group not in self.groups.values():
            return f"Invalid assignment_group: {group}"
        if any(not isinstance(v, str) for v in body.values()):
            return "Field values must be strings"
        return None

    def _insert(self, body: dict[str, Any], args: dict[str, str]) -> Reply:
        problem = self._invalid(body)
        if problem is None and not str(body.get("short_description", "")).strip():
            problem = "short_description is mandatory"
        if problem:
            return _error(400, "Invalid request", problem)
        self._numbers += 1
        sys_id = uuid.uuid4().hex
        record = {
            **{k: v for k, v in body.items() if k != "work_notes"},
            "sys_id": sys_id,
            "number": f"INC00{self._numbers}",
            "state": "1",
            "active": "true",
        }
        group = record.get("assignment_group")
        if group in self.groups:
            record["assignment_group"] = self.groups[group]
        self.incidents[sys_id] = record
        self.work_notes[sys_id] = [body["work_notes"]] if body.get("work_notes") else []
        return Reply(201, {"result": _fields(record, args)}, {"Location": f"{_TABLE}/{sys_id}"})

    def _update(self, sys_id: str, body: dict[str, Any], args: dict[str, str]) -> Reply:
        problem = self._invalid(body)
        if problem:
            return _error(400, "Invalid request", problem)
        record = self.incidents[sys_id]
        if body.get("work_notes"):
            self.work_notes[sys_id].append(body["work_notes"])
        record.update({k: v for k, v in body.items() if k not in ("work_notes", "comments")})
        return Reply(200, {"result": _fields(record, args)})

    def _list(self, args: dict[str, str]) -> Reply:
        conditions = []
        for part in filter(None, args.get("sysparm_query", "").split("^")):
            name, sep, value = part.partition("=")
            if not sep or not re.fullmatch(r"[a-z_]+", name):
                return _error(400, "Invalid query", part)
            conditions.append((name, value))
        rows = [r for r in self.incidents.values() if all(r.get(n) == v for n, v in conditions)]
        limit = int(args.get("sysparm_limit", "10000"))
        return Reply(200, {"result": [_fields(r, args) for r in rows[:limit]]})


def _fields(record: dict[str, Any], args: dict[str, str]) -> dict[str, Any]:
    wanted = args.get("sysparm_fields")
    if not wanted:
        return dict(record)
    return {k: record.get(k, "") for k in wanted.split(",")}


def _error(status: int, message: str, detail: str) -> Reply:
    return Reply(status, {"error": {"message": message, "detail": detail}, "status": "failure"})
