"""Step zero of the guard: text in, exactly one statement's AST out.

Before sqlglot sees the text, characters that can make one statement look like another
are refused: NUL and other control bytes, invisible format characters (zero-width
spaces, bidi overrides), look-alike semicolons; and outside string literals nothing but
ASCII may appear, so a homoglyph cannot pose as a keyword, a name or a separator.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from typing import TYPE_CHECKING

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokenizer_core import Token, TokenType

from core.errors import LimitExceeded, ParseFailed

if TYPE_CHECKING:
    from querygen.validate import GuardContext

__all__ = ["DIALECT", "MAX_CHARS", "MAX_DEPTH", "parse_one_statement", "statement_count"]

DIALECT = "duckdb"
MAX_CHARS = 20_000
# sqlglot's scope analysis walks ancestors, so its cost grows with the square of the
# tree's depth; a long AND chain is deep. Real questions stay far below this.
MAX_DEPTH = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LOOKALIKES = frozenset("\u037e\ufe54\uff1b\u204f\u061b\u2028\u2029")  # ; and line breaks
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
_STRINGS = frozenset(
    {
        TokenType.STRING,
        TokenType.NATIONAL_STRING,
        TokenType.RAW_STRING,
        TokenType.HEREDOC_STRING,
        TokenType.UNICODE_STRING,
        TokenType.NATIONAL_RAW_STRING,
        TokenType.BYTE_STRING,
    }
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_REMEDIATION = "Send one plain SELECT over the views, in plain ASCII outside quoted text."


def parse_one_statement(sql: str, context: GuardContext | None = None) -> exp.Expr:
    """Parse ``sql`` as DuckDB SQL holding exactly one statement.

    A trailing ``;`` is accepted; a comment holding a ``;`` is not (it is how a second
    statement gets smuggled past a reader).

    Raises:
        LimitExceeded: the text is longer than ``MAX_CHARS`` or nests deeper than
            ``MAX_DEPTH``.
        ParseFailed: hidden characters, not valid SQL, or not exactly one statement.

    >>> parse_one_statement("select name from buckets;").sql()
    'SELECT name FROM buckets'
    """
    _check_text(sql)
    dialect = Dialect.get_or_raise(DIALECT)
    try:
        tokens = dialect.tokenize(sql)
    except TokenError as exc:
        raise ParseFailed(
            f"The SQL does not tokenize: {_line(exc)}", remediation=_REMEDIATION
        ) from None
    _check_tokens(sql, tokens)
    try:
        parsed = dialect.parser().parse(tokens, sql)
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        raise ParseFailed(
            f"The SQL does not parse: {first.get('description', _line(exc))}"[:300],
            line=first.get("line"),
            col=first.get("col"),
            remediation=_REMEDIATION,
        ) from None
    # A trailing "; -- comment" parses as an empty Semicolon statement: not a statement.
    statements = [s for s in parsed if s is not None and not isinstance(s, exp.Semicolon)]
    if len(statements) != 1:
        raise ParseFailed(
            f"Expected exactly one SQL statement, found {len(statements)}.",
            remediation=_REMEDIATION,
        )
    _check_depth(statements[0])
    return statements[0]


def statement_count(sql: str) -> int:
    """How many statements ``sql`` holds, by its ``;`` separators (strings excluded).

    >>> statement_count("SELECT ';' AS x"), statement_count("SELECT 1; SELECT 2")
    (1, 2)
    """
    tokens = Dialect.get_or_raise(DIALECT).tokenize(sql)
    separators = [i for i, t in enumerate(tokens) if t.token_type is TokenType.SEMICOLON]
    trailing = 1 if separators and separators[-1] == len(tokens) - 1 else 0
    return len(separators) - trailing + 1


def _check_text(sql: str) -> None:
    if len(sql) > MAX_CHARS:
        raise LimitExceeded(
            f"The SQL is {len(sql)} characters long; the limit is {MAX_CHARS}.",
            count=len(sql),
            limit=MAX_CHARS,
            remediation="Send a shorter query.",
        )
    if not sql.strip():
        raise ParseFailed("The SQL is empty.", remediation=_REMEDIATION)
    if "\x00" in sql:
        raise ParseFailed("The SQL holds a NUL byte.", remediation=_REMEDIATION)
    if _CONTROL.search(sql):
        raise ParseFailed("The SQL holds a control character.", remediation=_REMEDIATION)
    if sql.isascii():
        return
    for ch in sql:
        if ch in _LOOKALIKES or (
            not ch.isascii() and unicodedata.category(ch) in _HIDDEN_CATEGORIES
        ):
            raise ParseFailed(
                f"The SQL holds an invisible or look-alike character (U+{ord(ch):04X}).",
                remediation=_REMEDIATION,
            )


def _check_tokens(sql: str, tokens: list[Token]) -> None:
    if not sql.isascii():
        _check_non_ascii(sql, tokens)
    for token in tokens:
        if any(";" in comment for comment in token.comments):
            raise ParseFailed(
                "A comment in the SQL holds a ';'.",
                line=token.line,
                col=token.col,
                remediation="Remove the comments; they are not needed.",
            )


def _check_non_ascii(sql: str, tokens: list[Token]) -> None:
    """Non-ASCII is data, so it may only sit inside a string literal (not in a name,
    a keyword, whitespace or a comment)."""
    spans = [(t.start, t.end) for t in tokens if t.token_type in _STRINGS]
    starts = [start for start, _ in spans]
    for found in _NON_ASCII.finditer(sql):
        at = found.start()
        i = bisect_right(starts, at) - 1
        if i < 0 or at > spans[i][1]:
            raise ParseFailed(
                f"Non-ASCII character outside a string literal (U+{ord(found.group()):04X}, "
                f"offset {at}).",
                remediation=_REMEDIATION,
            )


def _check_depth(expression: exp.Expr) -> None:
    stack = [(expression, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise LimitExceeded(
                f"The query nests expressions more than {MAX_DEPTH} deep.",
                count=depth,
                limit=MAX_DEPTH,
                remediation="Send a simpler query.",
            )
        stack.extend((child, depth + 1) for child in node.iter_expressions())


def _line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]
