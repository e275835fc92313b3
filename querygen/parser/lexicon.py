"""The parser's lexicon: phrase -> sense, built from the catalog plus the hand-written tables.

The catalog gives every view synonym (a noun), every column synonym (a property, a
measure or a column word, by the column's type) and every allowed value (a property with
a value, e.g. ``severity=critical``). The hand tables (``vocab_*``) override and extend
it; plural and singular forms are added for both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from querygen.catalog import Catalog, Column
from querygen.parser import vocab_measures, vocab_nouns, vocab_things
from querygen.parser import vocab_words as words

__all__ = ["Lexicon", "Role", "Sense", "lexicon_for"]

_SKIP_VALUES = frozenset(
    {"auth_type", "relation", "service", "kind", "resource_kind", "data_classes", "to_data_classes"}
)
_SKIP_VALUE_WORDS = frozenset({"go", "none", "http"})


class Role(StrEnum):
    NOUN = "noun"
    CONCEPT = "concept"
    MEASURE = "measure"
    COLUMN = "column"
    COMPARE = "compare"
    NEGATE = "negate"
    COUNT = "count"
    AGG = "agg"
    GROUP = "group"
    TOP = "top"
    ORDER = "order"
    MOST = "most"
    LEAST = "least"
    HISTORY = "history"
    WHERE = "where"
    UNSUPPORTED = "unsupported"
    FILLER = "filler"
    NUMBER = "number"
    TIME = "time"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class Sense:
    """What a phrase means: a role, its key (a view, concept, op...) and implied concepts."""

    role: Role
    key: str = ""
    implied: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()


@dataclass(slots=True)
class Lexicon:
    """Phrases as word tuples, the longest phrase length, and the words typos map to."""

    phrases: dict[tuple[str, ...], Sense] = field(default_factory=dict)
    max_len: int = 1
    targets: tuple[str, ...] = ()
    known: frozenset[str] = frozenset()

    def add(self, phrase: str, sense: Sense, *, variants: bool = True) -> None:
        key = tuple(phrase.lower().replace("-", " ").split())
        if not key:
            return
        self.phrases[key] = sense
        if variants and (len(key) > 1 or sense.role is not Role.CONCEPT):
            for variant in _variants(key):
                self.phrases.setdefault(variant, sense)


def _variants(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    *head, last = key
    if not last.isalpha() or len(last) < 4 or last.endswith(("us", "is", "js", "ss")):
        return []
    if last.endswith("ies"):
        forms = [last[:-3] + "y"]
    elif last.endswith(("ses", "xes", "ches", "shes")):
        forms = [last[:-2]]
    elif last.endswith("s") and not last.endswith("ss"):
        forms = [last[:-1]]
    elif last.endswith("y") and last[-2] not in "aeiou":
        forms = [last[:-1] + "ies"]
    elif last.endswith(("s", "x", "ch", "sh")):
        forms = [last + "es"]
    else:
        forms = [last + "s"]
    return [(*head, f) for f in forms]


def _parse_spec(role: Role, spec: str) -> Sense:
    """``"functions cloud=aws +adj"`` -> Sense(role, "functions", ("cloud=aws",), {"adj"})."""
    parts = spec.split()
    flags = frozenset(p[1:] for p in parts if p.startswith("+"))
    rest = [p for p in parts if not p.startswith("+")]
    if role is Role.NOUN or role is Role.CONCEPT or role is Role.MEASURE or role is Role.COLUMN:
        return Sense(role, rest[0], tuple(rest[1:]), flags)
    op_role = Role(rest[0])
    return Sense(op_role, rest[1] if len(rest) > 1 else "", (), flags)


def _add_catalog(lex: Lexicon, catalog: Catalog) -> None:
    for view in catalog.views.values():
        for syn in view.synonyms:
            if syn not in vocab_nouns.DROPPED:
                lex.add(syn, Sense(Role.NOUN, view.name))
    merged: dict[tuple[Role, str], list[str]] = {}
    for view in catalog.views.values():
        for column in view.columns.values():
            _add_column(lex, column, merged)
    for (role, syn), cols in merged.items():
        prefix = "flag:" if role is Role.CONCEPT else "col:"
        lex.add(syn, Sense(role, prefix + "|".join(dict.fromkeys(cols))))


def _add_column(lex: Lexicon, column: Column, merged: dict[tuple[Role, str], list[str]]) -> None:
    role = {"bool": Role.CONCEPT, "int": Role.MEASURE, "float": Role.MEASURE}.get(column.type)
    for syn in column.synonyms:
        if syn in vocab_nouns.DROPPED or column.type == "timestamp":
            continue
        if role is None:
            lex.add(syn, Sense(Role.COLUMN, column.name))
        else:
            merged.setdefault((role, syn), []).append(column.name)
    if column.name in _SKIP_VALUES:
        return
    for value in column.values:
        phrase = value.lower().replace("_", " ")
        if phrase not in _SKIP_VALUE_WORDS:
            lex.add(phrase, Sense(Role.CONCEPT, f"{column.name}={value}"), variants=False)


def _add_hand(lex: Lexicon) -> None:
    tables = (
        (Role.NOUN, vocab_nouns.NOUNS),
        (Role.CONCEPT, vocab_things.CONCEPTS),
        (Role.MEASURE, vocab_measures.MEASURES),
        (Role.COLUMN, vocab_measures.COLUMNS),
    )
    explicit: dict[tuple[str, ...], Sense] = {}
    for role, table in tables:
        for phrase, spec in table.items():
            explicit[tuple(phrase.replace("-", " ").split())] = _parse_spec(role, spec)
    for phrase, spec in words.OPERATORS.items():
        explicit[tuple(phrase.split())] = _parse_spec(Role.FILLER, spec)
    for key, sense in explicit.items():
        lex.phrases[key] = sense
    for key, sense in explicit.items():
        if sense.role in _VARIED and (len(key) > 1 or sense.role is not Role.CONCEPT):
            for variant in _variants(key):
                old = lex.phrases.get(variant)
                value = old is not None and old.role is Role.CONCEPT and "=" in old.key
                if variant not in explicit and not value:
                    lex.phrases[variant] = sense


_VARIED = frozenset({Role.NOUN, Role.CONCEPT, Role.MEASURE, Role.COLUMN})


def build_lexicon(catalog: Catalog) -> Lexicon:
    """The lexicon for a catalog (catalog first, hand tables over it)."""
    lex = Lexicon()
    _add_catalog(lex, catalog)
    _add_hand(lex)
    lex.max_len = max(len(k) for k in lex.phrases)
    vocab = {w for k in lex.phrases for w in k} | words.FILLERS
    lex.known = frozenset(vocab | words.STOPWORDS | words.NEVER_CORRECT | words.TIME_WORDS)
    lex.targets = tuple(sorted(w for w in vocab if len(w) >= 4 and w.isalpha()))
    return lex


_CACHE: dict[int, tuple[Catalog, Lexicon]] = {}


def lexicon_for(catalog: Catalog) -> Lexicon:
    """The lexicon of this catalog object, built once and kept."""
    hit = _CACHE.get(id(catalog))
    if hit is not None and hit[0] is catalog:
        return hit[1]
    lex = build_lexicon(catalog)
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[id(catalog)] = (catalog, lex)
    return lex
