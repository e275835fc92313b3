"""What `ask` returns: the answer, how the question was read, and how fresh the data is.

The Slack renderer, the terminal chat and `posture ask --json` all render this one model.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from querygen.spec import QuerySpec

__all__ = ["Answer", "Clarification", "Freshness", "Kind", "Path"]

Path = Literal["parser", "claude", "clarify", "unsupported"]
Kind = Literal["rows", "count", "groups", "yes_no", "clarify", "unsupported"]


class Clarification(BaseModel):
    """One candidate reading offered when the question was unclear."""

    model_config = ConfigDict(frozen=True)

    label: str
    spec: QuerySpec


class Freshness(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    last_seen: datetime | None
    last_sync_at: datetime | None


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)

    question: str
    path: Path
    kind: Kind
    summary: str
    understood: list[str] = Field(default_factory=list)
    spec: QuerySpec | None = None
    sql: str | None = None
    columns: list[str] = Field(default_factory=list)
    rows: list[list[Any]] = Field(default_factory=list)
    row_count: int = 0  # rows in this answer
    total: int = 0  # rows that match; more than row_count when the list was cut
    truncated: bool = False
    verdict: bool | None = None  # a yes/no question's answer
    confidence: float = 0.0
    unused_words: list[str] = Field(default_factory=list)
    clarifications: list[Clarification] = Field(default_factory=list)
    freshness: list[Freshness] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    elapsed_ms: float = 0.0

    def report(self) -> dict[str, Any]:
        """The `posture ask --json` object: one stable shape for scripts and tests."""
        return {
            "question": self.question,
            "path": self.path,
            "kind": self.kind,
            "interpretation": self.spec.model_dump(mode="json") if self.spec else None,
            "understanding": " · ".join(self.understood),
            "sql": self.sql,
            "columns": self.columns,
            "rows": self.rows,
            "row_count": self.row_count,
            "total": self.total,
            "verdict": self.verdict,
            "summary": self.summary,
            "clarifications": [
                {"label": c.label, "interpretation": c.spec.model_dump(mode="json")}
                for c in self.clarifications
            ],
            "freshness": [f.model_dump(mode="json") for f in self.freshness],
            "notes": self.notes,
            "confidence": self.confidence,
            "elapsed_ms": self.elapsed_ms,
        }
