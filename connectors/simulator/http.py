"""The simulator's request and response types and its stateless page tokens.

Page tokens encode an offset and a fingerprint of the query they belong to, so they
survive a simulator restart (a resumed sync can present one) and a token from another
query is refused with 400, as real APIs refuse a stale page token.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = [
    "BadRequest",
    "Request",
    "Response",
    "fingerprint",
    "page_of",
    "read_token",
    "write_token",
]

T = TypeVar("T")


class BadRequest(Exception):
    """A request the platform would refuse with 400; the message is the error body."""


@dataclass
class Request:
    method: str
    path: str  # below the platform's prefix, e.g. /graphql
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError as exc:
            raise BadRequest("the body is not JSON") from exc

    def credential(self, header: str = "authorization", scheme: str = "Bearer") -> str | None:
        """The credential in ``header``, after ``scheme`` when one is given."""
        value = self.headers.get(header, "")
        if not scheme:
            return value or None
        prefix = f"{scheme} "
        return value[len(prefix) :] if value.startswith(prefix) else None


@dataclass
class Response:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> bytes:
        return json.dumps(self.body, separators=(",", ":")).encode()


def fingerprint(*parts: Any) -> str:
    """A short hash of a query's parameters."""
    raw = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def write_token(offset: int, query: str) -> str:
    raw = json.dumps({"o": offset, "q": query}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_token(token: str | None, query: str) -> int:
    """The offset a page token points at (0 without one).

    Raises:
        BadRequest: the token is garbled or belongs to another query.
    """
    if not token:
        return 0
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded))
        offset, owner = int(data["o"]), data["q"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BadRequest("invalid page token") from exc
    if owner != query or offset < 0:
        raise BadRequest("the page token belongs to another query")
    return offset


def page_of(rows: Sequence[T], offset: int, limit: int) -> tuple[Sequence[T], int | None]:
    """One page of rows and the offset of the next page (None after the last)."""
    chunk = rows[offset : offset + limit]
    following = offset + limit
    return chunk, following if following < len(rows) else None
