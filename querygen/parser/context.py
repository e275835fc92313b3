"""Rules that read a mention by its neighbours: team names, column bindings, qualifiers, negation.

* "payments namespace" / "namespace payments" bind a value to the column word next to it;
* a team name counts as a team only in a team context ("growth team", "owned by data",
  "for identity") or right before a resource noun ("payments functions");
* "the checkout-api image": the noun says what kind of thing the name is;
* "without", "not", "no", "lacks" negate the next property, or, when properties lead to a
  noun ("without critical CVEs"), the related rows that noun stands for.
"""

from __future__ import annotations

from querygen.parser.lexicon import Lexicon, Role
from querygen.parser.mentions import Mention
from querygen.parser.tokens import Token, is_identifier
from querygen.parser.vocab_words import FILLERS, STOPWORDS

__all__ = ["apply_context"]

_BINDABLE = {"namespace", "cluster", "team", "region", "account"}
_TEAM_AFTER = {"team", "teams", "squad", "org"}
_TEAM_BEFORE = _TEAM_AFTER | {"owner", "owned", "by", "for", "from", "of", "to", "owning"}
_BREAKS = {
    "that",
    "which",
    "and",
    "or",
    "but",
    "with",
    "who",
    "where",
    "whose",
    "have",
    "has",
    "are",
    "is",
}
_RESOURCE_VIEWS = {
    "functions": "function",
    "images": "image",
    "workloads": "workload",
    "containers": "container",
    "roles": "role",
    "triggers": "trigger",
    "buckets": "bucket",
}


def apply_context(mentions: list[Mention], tokens: list[Token], lex: Lexicon) -> list[Mention]:
    """The mentions after the neighbour rules, sorted by position."""
    mentions = _bind_columns(mentions, tokens, lex)
    mentions = _check_teams(mentions, tokens)
    _qualify_names(mentions)
    _mark_negations(mentions, tokens)
    return mentions


def _at(mentions: list[Mention], index: int) -> Mention | None:
    return next((m for m in mentions if m.start <= index < m.end), None)


def _bind_value(col: str, mention: Mention | None, token: Token, lex: Lexicon) -> str | None:
    if mention is not None:
        if mention.key.startswith("team=") and col in ("team", "namespace", "cluster"):
            return mention.key[5:]
        if mention.role is Role.NAME and col != "team":
            return mention.key
        if mention.key.startswith(f"{col}="):
            return mention.key.split("=", 1)[1]
        return None
    if col == "team" or token.norm in STOPWORDS or token.norm in FILLERS:
        return None
    if is_identifier(token) or token.norm not in lex.known:
        return token.text
    return None


def _bind_columns(mentions: list[Mention], tokens: list[Token], lex: Lexicon) -> list[Mention]:
    for col in [m for m in mentions if m.role is Role.COLUMN and m.key in _BINDABLE]:
        if col not in mentions:
            continue  # already bound as another column's value
        for index in (col.start - 1, col.end):
            if not 0 <= index < len(tokens):
                continue
            neighbour = _at(mentions, index)
            value = _bind_value(col.key, neighbour, tokens[index], lex)
            if value is None:
                continue
            start = min(col.start, index if neighbour is None else neighbour.start)
            end = max(col.end, index + 1 if neighbour is None else neighbour.end)
            mentions = [m for m in mentions if m is not col and m is not neighbour]
            mentions.append(Mention(start, end, Role.CONCEPT, f"{col.key}={value}"))
            break
    return sorted(mentions, key=lambda m: m.start)


def _check_teams(mentions: list[Mention], tokens: list[Token]) -> list[Mention]:
    """Drop a bare team word with no team context: 'search' or 'data' alone is not a team."""
    kept: list[Mention] = []
    for m in mentions:
        if m.role is Role.CONCEPT and m.key.startswith("team=") and m.end - m.start == 1:
            before = tokens[m.start - 1].norm if m.start > 0 else ""
            before2 = tokens[m.start - 2].norm if m.start > 1 else ""
            after = tokens[m.end].norm if m.end < len(tokens) else ""
            nxt = _at(mentions, m.end)
            context = (
                before in _TEAM_BEFORE
                or after in _TEAM_AFTER
                or (before == "the" and before2 in _TEAM_BEFORE)
                or (
                    nxt is not None
                    and nxt.role is Role.NOUN
                    and nxt.key not in ("resources", "reachable")
                )
            )
            if not context:
                continue
        kept.append(m)
    return kept


def _qualify_names(mentions: list[Mention]) -> None:
    for i, m in enumerate(mentions):
        if m.role is not Role.NAME:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(mentions):
                noun = mentions[j]
                near = noun.end == m.start or noun.start == m.end
                if near and noun.role is Role.NOUN and noun.key in _RESOURCE_VIEWS:
                    m.extra["kind"] = _RESOURCE_VIEWS[noun.key]
                    noun.qualifier = True
                    break


def _gap_ok(tokens: list[Token], start: int, end: int, limit: int = 2) -> bool:
    between = [t.norm for t in tokens[start:end]]
    return len(between) <= limit and all(w in STOPWORDS and w not in _BREAKS for w in between)


def _mark_negations(mentions: list[Mention], tokens: list[Token]) -> None:
    for i, neg in enumerate(mentions):
        if neg.role is not Role.NEGATE:
            continue
        chain = _chain_after(mentions, tokens, i)
        if not chain:
            continue
        head = mentions[chain[-1]]
        if head.role is Role.NOUN:
            head.negated = True
            for k in chain[:-1]:
                mentions[k].forced_group = chain[-1]
                mentions[k].extra["in_negated_group"] = True
        else:
            mentions[chain[0]].negated = True


def _chain_after(mentions: list[Mention], tokens: list[Token], i: int) -> list[int]:
    """The mentions a negation covers: adjacent properties, then at most one noun."""
    chain: list[int] = []
    last = mentions[i].end
    for j in range(i + 1, len(mentions)):
        m = mentions[j]
        if not _gap_ok(tokens, last, m.start, 0 if chain else 2):
            break
        if m.role is Role.NOUN:
            chain.append(j)
            break
        if m.role is Role.CONCEPT:
            chain.append(j)
            last = m.end
            continue
        if not chain and m.role in (Role.NAME, Role.COMPARE, Role.MEASURE):
            chain.append(j)
        break
    return chain
