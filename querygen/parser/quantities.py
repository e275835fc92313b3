"""Quantities: '1GB', 'ten', '2 seconds', '50%' -> a value in the column's unit."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quantity", "convert", "read_number", "read_unit", "unit_dimension"]

_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$|^\d{1,3}(?:,\d{3})+$")

# unit word -> (dimension, factor to the dimension's base: MB, seconds, days)
_UNITS: dict[str, tuple[str, float]] = {
    **dict.fromkeys(("gb", "gib", "gigabyte", "gigabytes", "gig", "gigs"), ("size", 1024.0)),
    **dict.fromkeys(("mb", "mib", "megabyte", "megabytes", "meg", "megs"), ("size", 1.0)),
    **dict.fromkeys(("kb", "kib", "kilobyte", "kilobytes"), ("size", 1 / 1024)),
    **dict.fromkeys(("ms", "millisecond", "milliseconds", "msec"), ("time", 0.001)),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), ("time", 1.0)),
    **dict.fromkeys(("min", "mins", "minute", "minutes", "m"), ("time", 60.0)),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), ("time", 3600.0)),
    **dict.fromkeys(("d", "day", "days"), ("days", 1.0)),
    **dict.fromkeys(("w", "week", "weeks"), ("days", 7.0)),
    **dict.fromkeys(("month", "months"), ("days", 30.0)),
    **dict.fromkeys(("year", "years"), ("days", 365.0)),
    "%": ("percent", 0.01),
    "k": ("count", 1000.0),
    "thousand": ("count", 1000.0),
}
# a catalog column unit -> (dimension, factor from the dimension's base to the unit)
_COLUMN_UNITS: dict[str, tuple[str, float]] = {
    "MB": ("size", 1.0),
    "s": ("time", 1.0),
    "ms": ("time", 1000.0),
    "days": ("days", 1.0),
}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as written, with the unit word that followed it (if any)."""

    value: float
    unit: str | None = None


def read_number(word: str) -> float | None:
    """The number a word spells, or None.

    >>> read_number("ten"), read_number("0.5"), read_number("1,000"), read_number("java")
    (10.0, 0.5, 1000.0, None)
    """
    if word in _WORDS:
        return float(_WORDS[word])
    if _NUMBER.match(word):
        return float(word.replace(",", ""))
    return None


def read_unit(word: str) -> str | None:
    """The word when it is a unit this parser converts, else None."""
    return word if word in _UNITS else None


def unit_dimension(unit: str | None) -> str | None:
    """'size', 'time', 'days', 'percent' or 'count' for a unit word."""
    return _UNITS[unit][0] if unit in _UNITS else None


def convert(quantity: Quantity, column_unit: str | None) -> int | float:
    """The quantity in the column's unit; a bare number is taken as already in it.

    >>> convert(Quantity(1, "gb"), "MB"), convert(Quantity(2, "seconds"), "ms")
    (1024, 2000)
    >>> convert(Quantity(5, "minutes"), "s"), convert(Quantity(50, "%"), None)
    (300, 0.5)
    """
    value = quantity.value
    if quantity.unit in _UNITS:
        dimension, factor = _UNITS[quantity.unit]
        target = _COLUMN_UNITS.get(column_unit or "")
        if dimension in ("percent", "count") or (target and target[0] == dimension):
            value = value * factor * (target[1] if target and target[0] == dimension else 1)
    rounded = round(value, 6)
    return int(rounded) if float(rounded).is_integer() else rounded
