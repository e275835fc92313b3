"""What the offline parser returns, and the store values it grounds names against."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from querygen.spec import QuerySpec

__all__ = ["Candidate", "GroundingValues", "ParseResult", "ResultKind"]

ResultKind = Literal["rows", "count", "groups", "yes_no"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GroundingValues(_Frozen):
    """The store's own distinct values per kind, so typed names can be matched exactly.

    The caller reads them from the store (``SELECT DISTINCT``) and passes them in; the
    parser never opens the store itself.
    """

    teams: tuple[str, ...] = ()
    namespaces: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    function_names: tuple[str, ...] = ()
    image_names: tuple[str, ...] = ()
    workload_names: tuple[str, ...] = ()
    role_names: tuple[str, ...] = ()
    bucket_names: tuple[str, ...] = ()
    trigger_names: tuple[str, ...] = ()
    cve_ids: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()


class Candidate(_Frozen):
    """One possible reading of an unclear question, offered as a choice."""

    spec: QuerySpec
    description: str
    confidence: float = Field(ge=0.0, le=1.0)


class ParseResult(_Frozen):
    """A question, read: the spec (or none when unsure) and how it was read.

    ``spec`` is None when ``confidence`` is below the threshold (``candidates`` then
    holds up to three readings to offer) or when the question is outside what a spec
    can say (``unsupported_reason`` says why). For a yes/no question the spec selects
    the evidence row; ``yes_no_field`` names its boolean column that is the answer (and
    ``yes_no_label`` says it in words), or is None when the answer is "yes if any row
    matches". ``corrections`` maps each typo to the word it was read as.
    """

    spec: QuerySpec | None
    confidence: float = Field(ge=0.0, le=1.0)
    understood: list[str] = Field(default_factory=list)
    unused_words: list[str] = Field(default_factory=list)
    candidates: list[Candidate] = Field(default_factory=list, max_length=3)
    yes_no: bool = False
    yes_no_field: str | None = None
    yes_no_label: str | None = None
    kind: ResultKind = "rows"
    unsupported_reason: str | None = None
    corrections: dict[str, str] = Field(default_factory=dict)

    @property
    def predicate_field(self) -> str | None:
        """The boolean column a yes/no answer reads (alias of ``yes_no_field``)."""
        return self.yes_no_field

    @property
    def predicate_label(self) -> str | None:
        """What the yes/no question asks, in words ("exposed to the internet")."""
        return self.yes_no_label
