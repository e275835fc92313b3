"""Grounding names against the store's own values: exact first, then rapidfuzz for typos."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from querygen.parser.result import GroundingValues

__all__ = ["GroundIndex", "NameRef", "ground", "index_for"]

_FIELDS = {
    "function": "function_names",
    "image": "image_names",
    "workload": "workload_names",
    "role": "role_names",
    "bucket": "bucket_names",
    "trigger": "trigger_names",
    "namespace": "namespaces",
    "cluster": "clusters",
    "region": "regions",
    "account": "accounts",
    "team": "teams",
    "package": "packages",
    "cve": "cve_ids",
}
_CUTOFF = 86.0


@dataclass(frozen=True, slots=True)
class NameRef:
    """A named value as the store spells it, the kinds it is a value of, and as typed."""

    value: str
    kinds: tuple[str, ...]
    typed: str

    @property
    def corrected(self) -> bool:
        return self.value.lower() != self.typed.lower()


@dataclass(frozen=True, slots=True)
class GroundIndex:
    """Lower-cased value -> [(kind, value)], and the keys for fuzzy matching."""

    exact: dict[str, tuple[tuple[str, str], ...]]
    keys: tuple[str, ...]


def _build(values: GroundingValues) -> GroundIndex:
    exact: dict[str, list[tuple[str, str]]] = {}
    for kind, field in _FIELDS.items():
        for value in getattr(values, field):
            if value:
                exact.setdefault(value.lower(), []).append((kind, value))
    frozen = {k: tuple(v) for k, v in exact.items()}
    return GroundIndex(frozen, tuple(frozen))


_CACHE: dict[int, tuple[GroundingValues, GroundIndex]] = {}


def index_for(values: GroundingValues | None) -> GroundIndex | None:
    """The index of these values, built once per object."""
    if values is None:
        return None
    hit = _CACHE.get(id(values))
    if hit is not None and hit[0] is values:
        return hit[1]
    index = _build(values)
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[id(values)] = (values, index)
    return index


def ground(typed: str, index: GroundIndex | None, *, fuzzy: bool = True) -> NameRef | None:
    """The store value this word names, exactly (any case) or by a close spelling.

    >>> idx = index_for(GroundingValues(function_names=("processPayment",)))
    >>> ground("processpayment", idx).value, ground("procesPayment", idx).corrected
    ('processPayment', True)
    >>> ground("lambda", idx) is None
    True
    """
    if index is None:
        return None
    found = index.exact.get(typed.lower())
    if found is None and fuzzy and len(typed) >= 5 and index.keys:
        best = process.extractOne(
            typed.lower(), index.keys, scorer=fuzz.ratio, score_cutoff=_CUTOFF
        )
        found = index.exact[best[0]] if best else None
    if not found:
        return None
    kinds = tuple(dict.fromkeys(kind for kind, _ in found))
    return NameRef(found[0][1], kinds, typed)
