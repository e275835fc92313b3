"""The state of one reading of a question while the rules build it (one per target view)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from querygen.catalog import Catalog, View
from querygen.parser.concepts import Template
from querygen.parser.lexicon import Lexicon
from querygen.parser.mentions import Mention
from querygen.parser.tokens import Token
from querygen.spec import Aggregate, Condition, OrderBy, TimeWindow

__all__ = ["Clause", "Context", "Draft", "Group"]


@dataclass(slots=True)
class Context:
    """What every rule may read: the words, their mentions, the catalog, the clock."""

    tokens: list[Token]
    mentions: list[Mention]
    catalog: Catalog
    lex: Lexicon
    now: datetime
    yes_no: bool = False

    def words(self, m: Mention) -> str:
        return " ".join(t.text for t in self.tokens[m.start : m.end])

    def norms(self, m: Mention) -> list[str]:
        return [t.norm for t in self.tokens[m.start : m.end]]


@dataclass(slots=True)
class Clause:
    """One condition to place, not yet tied to a view: templates, a chip, where it came from."""

    mention: int
    templates: tuple[Template, ...]
    chip: str
    negated: bool = False
    home: str | None = None
    group: int | None = None
    key: str = ""
    optional: bool = False
    either: tuple[Clause, ...] = ()


@dataclass(slots=True)
class Group:
    """Related rows of the target through one relation (an EXISTS), collected by the rules."""

    relation: str
    view: View
    negated: bool = False
    noun: int | None = None
    explicit: bool = False
    conditions: list[Condition] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Draft:
    """One reading under construction for one target view."""

    view: View
    how: str  # "explicit" (a noun said it), "implied" (properties did), "default"
    target_mention: int | None = None
    conditions: list[Condition] = field(default_factory=list)
    target_keys: set[str] = field(default_factory=set)
    groups: list[Group] = field(default_factory=list)
    chips: list[tuple[int, str]] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    unplaced: list[int] = field(default_factory=list)
    aggregate: Aggregate | None = None
    group_by: list[str] = field(default_factory=list)
    order_by: list[OrderBy] = field(default_factory=list)
    limit: int | None = None
    time_window: TimeWindow | None = None
    columns: list[str] | None = None
    yes_no_field: str | None = None
    yes_no_label: str | None = None
    notes: list[str] = field(default_factory=list)
    unsupported: str | None = None

    def chip(self, position: int, text: str) -> None:
        if text and text not in (c for _, c in self.chips):
            self.chips.append((position, text))
