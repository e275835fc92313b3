"""SQL pieces every columnar mapping shares, mirroring ``connectors.common`` and the models.

Each helper is the SQL twin of a Python rule a mapper or model applies per record;
where SQL cannot match Python exactly (an exotic timestamp, surrounding whitespace)
the helper marks the record rejected instead, so the page goes the Python way.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "ISO_FORMATS",
    "any_time",
    "any_time_bad",
    "case_map",
    "finding_reject",
    "first_text",
    "json_string",
    "sql_text",
    "flag",
    "flag_bad",
    "number",
    "number_bad",
    "parse",
    "ts",
    "ts_bad",
    "vulnerability_key",
]

# RFC 3339 in UTC, as Wiz and Orca send it: parsed in SQL; anything else goes to Python
ISO_FORMATS = "['%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%M:%S.%fZ']"
_SPACE = r"'(^|\x01)\s|\s($|\x01)'"


def parse(structure: dict[str, Any]) -> str:
    """Every record of ``_records`` parsed into ``r`` with the given JSON structure.

    A missing key is NULL. Numbers and booleans are declared ``JSON`` (raw text) and
    read with ``number``/``flag``, so a value of the wrong JSON type is caught
    (``number_bad``/``flag_bad``) instead of silently becoming NULL.
    """
    text = json.dumps(structure).replace("'", "''")
    return f"SELECT n, json_transform(line, '{text}') AS r FROM _records"


def number(raw: str) -> str:
    """A JSON number (raw text) as DOUBLE; NULL for null or absent."""
    raw = f"(CAST({raw} AS VARCHAR))"
    return f"TRY_CAST(CASE WHEN {raw} <> 'null' THEN {raw} END AS DOUBLE)"


def number_bad(raw: str) -> str:
    """A value that is there but is not a JSON number."""
    raw = f"(CAST({raw} AS VARCHAR))"
    return f"({raw} <> 'null' AND TRY_CAST({raw} AS DOUBLE) IS NULL)"


def flag(raw: str) -> str:
    """Python's ``bool(value)`` for a JSON boolean or null (raw text)."""
    raw = f"(CAST({raw} AS VARCHAR))"
    return f"coalesce({raw} = 'true', false)"


def flag_bad(raw: str) -> str:
    """A value that is there but is not a JSON boolean (Python's truthiness differs)."""
    raw = f"(CAST({raw} AS VARCHAR))"
    return f"({raw} NOT IN ('true', 'false', 'null'))"


def sql_text(value: str) -> str:
    """A Python string as an SQL literal."""
    return "'" + value.replace("'", "''") + "'"


def json_string(raw: str) -> str:
    """A JSON string (raw text) as text, '' for null or absent; NULL for another type."""
    raw = f"(CAST({raw} AS VARCHAR))"
    return (
        f"CASE WHEN coalesce({raw}, 'null') = 'null' THEN '' "
        f"WHEN starts_with({raw}, '\"') AND NOT contains({raw}, '\\') THEN {raw}[2:-2] END"
    )


def first_text(*exprs: str) -> str:
    """Python's ``a or b or c`` over strings: the first that is neither NULL nor empty."""
    return f"coalesce({', '.join(f'nullif({e}, {chr(39)}{chr(39)})' for e in exprs)})"


def ts(expr: str) -> str:
    """``parse_time`` for RFC 3339 UTC strings: NULL for NULL or empty."""
    parsed = f"try_strptime({expr}, {ISO_FORMATS})"
    return f"CASE WHEN coalesce({expr}, '') = '' THEN NULL ELSE {parsed} END"


def ts_bad(expr: str) -> str:
    """A timestamp the SQL path does not parse (Python may: let it)."""
    return f"(coalesce({expr}, '') <> '' AND try_strptime({expr}, {ISO_FORMATS}) IS NULL)"


def _epoch(value: str) -> str:
    # parse_time's rule: numbers past year 5000 in seconds are milliseconds
    return (
        f"make_timestamp(CAST(CASE WHEN {value} > 1e11 THEN {value} * 1000 "
        f"ELSE {value} * 1000000 END AS BIGINT))"
    )


def any_time(raw: str) -> str:
    """``parse_time`` of a JSON value given as raw text: epoch numbers or RFC 3339 UTC."""
    raw = f"(CAST({raw} AS VARCHAR))"
    value = f"TRY_CAST({raw} AS DOUBLE)"
    return (
        f"CASE WHEN {raw} IS NULL OR {raw} IN ('null', '\"\"', '0') THEN NULL "
        f"WHEN {value} IS NOT NULL THEN {_epoch(value)} "
        f"WHEN starts_with({raw}, '\"') THEN try_strptime({raw}[2:-2], {ISO_FORMATS}) END"
    )


def any_time_bad(raw: str) -> str:
    """A time ``any_time`` cannot read exactly (a fraction of a unit, another format)."""
    raw = f"(CAST({raw} AS VARCHAR))"
    value = f"TRY_CAST({raw} AS DOUBLE)"
    return (
        f"(coalesce({raw}, 'null') NOT IN ('null', '\"\"', '0') AND "
        f"({any_time(raw)} IS NULL OR coalesce({value} <> floor({value}), false)))"
    )


def case_map(expr: str, mapping: dict[str, str], default: str = "NULL") -> str:
    """A Python dict lookup as a CASE; ``default`` for keys it lacks."""
    arms = " ".join(
        f"WHEN '{k.replace(chr(39), chr(39) * 2)}' THEN '{v}'" for k, v in mapping.items()
    )
    return f"(CASE {expr} {arms} ELSE {default} END)"


def vulnerability_key(resource: str, cve: str, package: str, version: str) -> str:
    """``core.models.vulnerability_key`` in SQL."""
    return f"sha256(concat_ws(chr(31), {resource}, {cve}, {package}, {version}))[:32]"


def finding_reject(texts: list[str], checks: list[tuple[str, str]]) -> str:
    """The ``reject`` column: the first failed check's reason, NULL when all pass.

    ``texts`` are the string fields the models strip; any with surrounding whitespace
    is rejected (the models' stripping is Python's, not SQL's).
    """
    spaced = f"regexp_matches(concat_ws(chr(1), {', '.join(texts)}), {_SPACE})"
    arms = " ".join(f"WHEN {cond} THEN '{why}'" for cond, why in [(spaced, "whitespace"), *checks])
    return f"CASE {arms} END"
