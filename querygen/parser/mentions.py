"""Tokens -> mentions: every phrase the parser recognises, with the words it covers.

Passes claim words in a fixed order so the more specific reading wins: time phrases,
shaped values (runtimes, CVE ids, regions, actions, packages), numbers with units, the
lexicon's phrases (longest first), names grounded in the store, then filler words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from querygen.parser.grounding import GroundIndex, NameRef, ground
from querygen.parser.lexicon import Lexicon, Role
from querygen.parser.patterns import RECOGNISERS
from querygen.parser.quantities import Quantity, read_number, read_unit
from querygen.parser.timewords import find_times
from querygen.parser.tokens import Token, is_identifier
from querygen.parser.vocab_words import FILLERS, STOPWORDS

__all__ = ["Mention", "find_mentions", "split_hyphens"]

_KIND_CONCEPT = {"namespace", "cluster", "region", "account", "team"}


@dataclass(slots=True)
class Mention:
    """A recognised phrase at tokens ``[start, end)``; ``value`` holds numbers, windows, names."""

    start: int
    end: int
    role: Role
    key: str = ""
    implied: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()
    value: object = None
    negated: bool = False
    qualifier: bool = False
    forced_group: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


_Claim = Callable[[Mention], None]


def split_hyphens(tokens: list[Token], lex: Lexicon) -> list[Token]:
    """'internet-facing' -> 'internet facing' when the parts are a lexicon phrase."""
    out: list[Token] = []
    for token in tokens:
        parts = tuple(p for p in token.norm.split("-") if p)
        plain = all(p in lex.known for p in parts) and any(
            p in FILLERS or p in STOPWORDS for p in parts
        )
        if len(parts) > 1 and (parts in lex.phrases or parts[0] in ("non", "un") or plain):
            out.extend(Token(p, p) for p in parts)
        else:
            out.append(token)
    return out


def find_mentions(
    tokens: list[Token], lex: Lexicon, index: GroundIndex | None, now: datetime
) -> list[Mention]:
    """All mentions in the tokens, sorted by position."""
    words = [t.norm for t in tokens]
    taken = [False] * len(words)
    found: list[Mention] = []

    def claim(mention: Mention) -> None:
        for k in range(mention.start, mention.end):
            taken[k] = True
        found.append(mention)

    for span in find_times(words, now):
        claim(Mention(span.start, span.end, Role.TIME, span.label, value=span))
    _shaped(words, taken, claim)
    _numbers(words, taken, claim)
    _phrases(words, taken, lex, claim)
    _names(tokens, taken, index, claim)
    for i, word in enumerate(words):
        if not taken[i] and word in FILLERS:
            claim(Mention(i, i + 1, Role.FILLER, word))
    return sorted(found, key=lambda m: m.start)


def _free(taken: list[bool], start: int, end: int) -> bool:
    return end <= len(taken) and not any(taken[start:end])


def _shaped(words: list[str], taken: list[bool], claim: _Claim) -> None:
    for i in range(len(words)):
        if taken[i]:
            continue
        for recognise in RECOGNISERS:
            hit = recognise(words, i)
            if hit and _free(taken, i, i + hit[1]):
                claim(Mention(i, i + hit[1], Role.CONCEPT, hit[0]))
                break


def _numbers(words: list[str], taken: list[bool], claim: _Claim) -> None:
    for i, word in enumerate(words):
        value = read_number(word) if not taken[i] else None
        if value is None:
            continue
        nxt = words[i + 1] if i + 1 < len(words) and not taken[i + 1] else ""
        unit = nxt if nxt == "%" or read_unit(nxt) else None
        if unit is None and nxt in (
            "gigabytes",
            "megabytes",
            "seconds",
            "minutes",
            "hours",
            "days",
            "weeks",
            "months",
            "milliseconds",
            "thousand",
        ):
            unit = nxt
        if unit is None and nxt in (
            "second",
            "minute",
            "hour",
            "day",
            "week",
            "month",
            "year",
            "years",
            "gig",
            "gigs",
            "meg",
            "megs",
        ):
            unit = nxt
        end = i + 2 if unit else i + 1
        claim(Mention(i, end, Role.NUMBER, word, value=Quantity(value, unit)))


def _phrases(words: list[str], taken: list[bool], lex: Lexicon, claim: _Claim) -> None:
    i = 0
    while i < len(words):
        if taken[i]:
            i += 1
            continue
        for length in range(min(lex.max_len, len(words) - i), 0, -1):
            sense = lex.phrases.get(tuple(words[i : i + length]))
            if sense is not None and _free(taken, i, i + length):
                claim(Mention(i, i + length, sense.role, sense.key, sense.implied, sense.flags))
                i += length - 1
                break
        i += 1


def _names(
    tokens: list[Token], taken: list[bool], index: GroundIndex | None, claim: _Claim
) -> None:
    for i, token in enumerate(tokens):
        if taken[i] or token.norm in STOPWORDS or token.norm in FILLERS:
            continue
        identifier = is_identifier(token)
        ref = ground(token.text, index, fuzzy=identifier)
        if ref is None and not identifier:
            continue
        ref = ref or NameRef(token.text, (), token.text)
        claim(_name_mention(i, ref))


def _name_mention(i: int, ref: NameRef) -> Mention:
    kind = ref.kinds[0] if len(ref.kinds) == 1 else None
    if kind in _KIND_CONCEPT:
        value = ref.value.lower() if kind == "team" else ref.value
        return Mention(i, i + 1, Role.CONCEPT, f"{kind}={value}", value=ref)
    if kind == "package":
        return Mention(i, i + 1, Role.CONCEPT, f"package={ref.value}", value=ref)
    if kind == "cve":
        return Mention(i, i + 1, Role.CONCEPT, f"cve_id={ref.value.upper()}", value=ref)
    return Mention(i, i + 1, Role.NAME, ref.value, value=ref)
