"""The offline parser's entry point: a question in plain words -> a QuerySpec, no network.

The steps: clean and tokenize; correct typos against the lexicon; find mentions (time,
shaped values, numbers, phrases, names); apply the neighbour rules; build clauses; pick
the target view; place clauses; shape (count, group, order, limit, time); add the
default status; build and check the spec. Below the confidence threshold the parser does
not guess: it returns up to three candidate readings instead.
"""

from __future__ import annotations

from datetime import UTC, datetime

from querygen.catalog import Catalog
from querygen.parser.attach import attach
from querygen.parser.build import build_spec, chips_of
from querygen.parser.clauses import build_clauses
from querygen.parser.compliance import read_compliance
from querygen.parser.context import apply_context
from querygen.parser.grounding import index_for
from querygen.parser.lexicon import Role, lexicon_for
from querygen.parser.mentions import find_mentions, split_hyphens
from querygen.parser.readback import describe
from querygen.parser.reading import Clause, Context, Draft
from querygen.parser.result import Candidate, GroundingValues, ParseResult, ResultKind
from querygen.parser.shape import shape
from querygen.parser.status import apply_status
from querygen.parser.target import Target, choose_target, rank_views
from querygen.parser.tokens import clean_question, tokenize
from querygen.parser.typos import correct_typos
from querygen.parser.vocab_words import SOFT, STOPWORDS, YES_NO_STARTS

__all__ = ["DEFAULT_THRESHOLD", "parse_question"]

DEFAULT_THRESHOLD = 0.6
_MAX_CLAUSES = 24
_COMPLIANCE = (
    "Compliance questions (SOC 2, CIS, ISO 27001) are answered from compliance "
    "snapshots, which the offline parser does not read yet."
)
_VIEW_FACTOR = {"explicit": 1.0, "yes_no": 1.0, "implied": 0.92, "default": 0.7}
_NOT_USED_UNLESS_CONSUMED = {
    Role.NUMBER,
    Role.COMPARE,
    Role.MEASURE,
    Role.TOP,
    Role.AGG,
    Role.MOST,
    Role.LEAST,
    Role.ORDER,
    Role.GROUP,
    Role.COUNT,
    Role.TIME,
}


def parse_question(
    question: str,
    catalog: Catalog,
    *,
    grounding: GroundingValues | None = None,
    now: datetime | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> ParseResult:
    """Read a question into a QuerySpec, or into candidates when unsure.

    Args:
        question: the question as typed (at most 2000 characters).
        catalog: the semantic catalog; its synonyms and values drive the lexicon.
        grounding: the store's distinct values, to match names and correct their typos.
        now: the clock for time words (UTC; naive is taken as UTC); default the wall clock.
        threshold: below this confidence no spec is returned, only candidates.

    Returns:
        The reading (see ``ParseResult``).

    Raises:
        ParseFailed: the question is not text, is empty, or is too long.
    """
    ctx, fixes = _context(question, catalog, grounding, now)
    if any(m.role is Role.UNSUPPORTED for m in ctx.mentions):
        if "controls" in catalog.views:
            reading = read_compliance(clean_question(question), catalog, grounding)
            return reading.model_copy(update={"corrections": fixes})
        return ParseResult(
            spec=None,
            confidence=0.0,
            unsupported_reason=_COMPLIANCE,
            understood=["compliance"],
            corrections=fixes,
        )
    clauses, consumed = build_clauses(ctx)
    clauses = clauses[:_MAX_CLAUSES]  # a spec holds 30 conditions; the rest go unused
    target = choose_target(ctx, clauses)
    draft = _read(ctx, target, clauses, consumed)
    result = _result(ctx, draft, fixes)
    if result.spec is not None and result.confidence >= threshold:
        return result
    understood = bool(clauses) or target.how != "default"
    candidates = _candidates(ctx, target, clauses, consumed) if understood else []
    return result.model_copy(update={"spec": None, "candidates": candidates})


def _context(
    question: str, catalog: Catalog, grounding: GroundingValues | None, now: datetime | None
) -> tuple[Context, dict[str, str]]:
    text = clean_question(question)
    clock = now or datetime.now(UTC)
    clock = clock.replace(tzinfo=UTC) if clock.tzinfo is None else clock.astimezone(UTC)
    lex = lexicon_for(catalog)
    index = index_for(grounding)
    # the index's own keys: copying 30,000 names into a set cost ~1 ms a question at 1M
    protected = index.exact.keys() if index is not None else frozenset()
    tokens, fixes = correct_typos(tokenize(text), lex, protected)
    tokens = split_hyphens(tokens, lex)
    mentions = apply_context(find_mentions(tokens, lex, index, clock), tokens, lex)
    yes_no = (
        bool(tokens)
        and tokens[0].norm in YES_NO_STARTS
        and any(m.role is Role.NAME for m in mentions)
    )
    return Context(tokens, mentions, catalog, lex, clock, yes_no), fixes


def _read(ctx: Context, target: Target, clauses: list[Clause], consumed: set[int]) -> Draft:
    how = "yes_no" if ctx.yes_no else target.how
    draft = Draft(view=ctx.catalog.view(target.view), how=how, target_mention=target.mention)
    taken = set(consumed)
    attach(ctx, draft, clauses)
    shape(ctx, draft, taken)
    apply_status(ctx, draft)
    draft.used |= taken
    if ctx.yes_no and draft.yes_no_field is not None:
        extra = ["exposure"] if draft.yes_no_field == "is_public" else []
        draft.columns = [
            c
            for c in (draft.view.name_column, draft.yes_no_field, *extra)
            if c in draft.view.columns
        ]
    return draft


def _result(ctx: Context, draft: Draft, fixes: dict[str, str]) -> ParseResult:
    spec = build_spec(draft) if draft.unsupported is None else None
    unused = _unused_words(ctx, draft)
    confidence = _confidence(ctx, draft, fixes, spec is not None)
    kind: ResultKind = "rows"
    if ctx.yes_no:
        kind = "yes_no"
    elif draft.group_by:
        kind = "groups"
    elif draft.aggregate is not None:
        kind = "count"
    return ParseResult(
        spec=spec,
        confidence=confidence,
        understood=chips_of(draft),
        unused_words=unused,
        yes_no=ctx.yes_no,
        kind=kind,
        yes_no_field=draft.yes_no_field if ctx.yes_no else None,
        yes_no_label=draft.yes_no_label if ctx.yes_no else None,
        unsupported_reason=draft.unsupported,
        corrections=fixes,
    )


def _used_tokens(ctx: Context, draft: Draft) -> set[int]:
    covered: set[int] = set()
    for i, m in enumerate(ctx.mentions):
        if i in draft.unplaced:
            continue
        if m.role in _NOT_USED_UNLESS_CONSUMED and i not in draft.used:
            continue
        if m.role in (Role.CONCEPT, Role.NAME) and i not in draft.used:
            continue
        if m.role is Role.COLUMN and i not in draft.used and not {i - 1, i + 1} & draft.used:
            continue  # a column word counts only next to what it describes ("prod clusters")
        covered.update(range(m.start, m.end))
    return covered


def _content(ctx: Context, covered: set[int] | None = None) -> list[int]:
    """Words that carry meaning: not stopwords, and operator words only when they acted."""
    return [
        k
        for k, t in enumerate(ctx.tokens)
        if t.norm not in STOPWORDS
        and t.norm.strip("%")
        and (t.norm not in SOFT or covered is None or k in covered)
    ]


def _unused_words(ctx: Context, draft: Draft) -> list[str]:
    covered = _used_tokens(ctx, draft)
    return [ctx.tokens[k].text[:64] for k in _content(ctx, covered) if k not in covered][:50]


def _confidence(ctx: Context, draft: Draft, fixes: dict[str, str], has_spec: bool) -> float:
    covered = _used_tokens(ctx, draft)
    content = _content(ctx, covered)
    if not content or not has_spec:
        return 0.0
    coverage = sum(1 for k in content if k in covered) / len(content)
    score = coverage * _VIEW_FACTOR.get(draft.how, 0.7) * (0.97 ** min(len(fixes), 5))
    unpaired = sum(
        1 for i, m in enumerate(ctx.mentions) if m.role is Role.COMPARE and i not in draft.used
    )
    score *= 0.7**unpaired  # a comparison we could not attach changes the meaning
    return round(max(0.0, min(1.0, score)), 3)


def _candidates(
    ctx: Context, target: Target, clauses: list[Clause], consumed: set[int]
) -> list[Candidate]:
    views = [target.view] + [
        v for v, score in rank_views(ctx.catalog, clauses) if score > 0 and v != target.view
    ]
    out: list[Candidate] = []
    for view in views[:4]:
        how = target.how if view == target.view else "implied"
        mention = target.mention if view == target.view else None
        draft = _read(ctx, Target(view, how, mention), clauses, consumed)
        spec = build_spec(draft) if draft.unsupported is None else None
        if spec is None or any(c.spec == spec for c in out):
            continue
        confidence = _confidence(ctx, draft, {}, True)
        out.append(
            Candidate(spec=spec, description=describe(chips_of(draft)), confidence=confidence)
        )
    return sorted(out, key=lambda c: -c.confidence)[:3]
