"""Loaders for tests/fixtures/querygen/*.sql, in the spirit of sqlglot's tests/helpers.py.

A fixture file is a list of blocks separated by a line ``-- next``; the first block
describes the file and is skipped. A block opens with ``-- key: value`` metadata lines;
a key with an empty value takes the indented comment lines below it (``--   ...``) as
its value, which is how a YAML ``QuerySpec`` sits above its expected SQL. The rest of the
block is the SQL. With ``-- escaped: true`` the SQL's ``\\uXXXX``, ``\\UXXXXXXXX`` and
``\\xXX`` escapes are decoded, so invisible characters stay visible in the file.

A spec's conditions may leave out ``kind``: a condition with ``relation`` is related,
one with ``field`` a filter, any other an any_of group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from querygen.spec import QuerySpec

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "querygen"
_META = re.compile(r"^-- ([a-z_]+):(?: (.*))?$")
_CONTINUED = re.compile(r"^--   ")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2})")


@dataclass(frozen=True)
class SqlBlock:
    path: Path
    line: int
    meta: dict[str, str] = field(default_factory=dict)
    sql: str = ""

    @property
    def id(self) -> str:
        return self.meta.get("name") or f"{self.path.stem}:{self.line}"

    def spec(self) -> QuerySpec:
        raw = yaml.safe_load(self.meta["spec"])
        raw["conditions"] = _with_kinds(raw.get("conditions", []))
        return QuerySpec.model_validate(raw)


def load_blocks(path: Path) -> list[SqlBlock]:
    """Every block of one fixture file, in order, with the line it starts on.

    >>> [b.meta["name"] for b in load_blocks(FIXTURES / "valid.sql")][:1]
    ['public_buckets']
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks, start = [], 0
    for i, line in enumerate([*lines, "-- next"]):
        if line.strip() == "-- next":
            blocks.append(_block(path, start + 1, lines[start:i]))
            start = i + 1
    return [b for b in blocks[1:] if b.sql or b.meta]


def load_dir(pattern: str) -> list[SqlBlock]:
    return [b for p in sorted(FIXTURES.glob(pattern)) for b in load_blocks(p)]


def _block(path: Path, line: int, lines: list[str]) -> SqlBlock:
    meta: dict[str, str] = {}
    key = None
    body_at = len(lines)
    for i, text in enumerate(lines):
        found = _META.match(text)
        if key and _CONTINUED.match(text):
            meta[key] += text[3:] + "\n"
        elif found:
            key = found.group(1)
            meta[key] = found.group(2) or ""
            key = key if not found.group(2) else None
        elif text.strip() or meta:
            body_at = i
            break
    sql = "\n".join(lines[body_at:]).strip()
    if meta.get("escaped") == "true":
        sql = _ESCAPE.sub(lambda m: chr(int(m.group(1)[1:], 16)), sql)
    return SqlBlock(path, line + body_at, meta, sql)


def _with_kinds(conditions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for cond in conditions:
        cond = dict(cond)
        if "relation" in cond:
            cond.setdefault("kind", "related")
        elif "field" in cond:
            cond.setdefault("kind", "filter")
        else:
            cond.setdefault("kind", "any_of")
        if "conditions" in cond:
            cond["conditions"] = _with_kinds(cond["conditions"])
        out.append(cond)
    return out
