"""Cleaning and tokenizing a question, keeping identifiers (processPayment, s3:*) whole."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.errors import ParseFailed

__all__ = ["MAX_CHARS", "Token", "clean_question", "is_identifier", "tokenize"]

MAX_CHARS = 2000

_RAW = re.compile(r"[\w*][\w*.:\-/'+#]*|[<>]=?|=|%|\*")
_NUM_UNIT = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$")
_UNITS = {
    "gb",
    "gib",
    "mb",
    "mib",
    "kb",
    "ms",
    "s",
    "sec",
    "secs",
    "min",
    "mins",
    "h",
    "hr",
    "hrs",
    "d",
    "k",
    "m",
    "w",
}
_REWRITES = (
    (re.compile(r"(?i)\bnode\.js\b"), "nodejs"),
    (re.compile(r"(?i)(?<![\w.])\.net\b"), "dotnet"),
    (re.compile(r"(?i)\bc#"), "dotnet"),
    (re.compile(r"[\u2018\u2019\u02bc]"), "'"),
    (re.compile(r"[\u201c\u201d]"), '"'),
)
_CAMEL = re.compile(r"^[a-z]+[A-Z]\w*$|^[A-Z][a-z0-9]+[A-Z]\w*$")
_MIXED = re.compile(r"^(?=.*[a-z])(?=.*[\d\-_.:])[\w.\-:]+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of the question: as typed (``text``) and lower-cased (``norm``)."""

    text: str
    norm: str


def clean_question(question: object) -> str:
    """The question with control characters removed, or ParseFailed when unusable.

    Args:
        question: the raw text as the user sent it.

    Returns:
        The cleaned text (NFKC, control and format characters turned into spaces).

    Raises:
        ParseFailed: not text, empty, or longer than ``MAX_CHARS`` characters.

    >>> clean_question("public\\x00 lambdas\\u200b?")
    'public lambdas ?'
    """
    if not isinstance(question, str):
        raise ParseFailed("The question must be text.")
    if len(question) > MAX_CHARS:
        raise ParseFailed(
            f"The question is {len(question)} characters long; the limit is {MAX_CHARS}.",
            remediation="Ask one shorter question at a time.",
        )
    text = unicodedata.normalize("NFKC", question)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf") else c for c in text)
    text = " ".join(text.split())
    if not text:
        raise ParseFailed("The question is empty.", remediation="Type a question in words.")
    return text


def tokenize(text: str) -> list[Token]:
    """Split into words, keeping ids whole and splitting '1GB', 'high/critical', "isn't".

    >>> [t.norm for t in tokenize("Is processPayment on python3.8? isn't 1GB high/critical")]
    ['is', 'processpayment', 'on', 'python3.8', 'is', 'not', '1', 'gb', 'high', 'or', 'critical']
    """
    for pattern, repl in _REWRITES:
        text = pattern.sub(repl, text)
    tokens: list[Token] = []
    for raw in _RAW.findall(text):
        for piece in _split(raw.strip(".:-/'")):
            if piece:
                tokens.append(Token(piece, piece.lower()))
    return tokens


def _split(raw: str) -> list[str]:
    low = raw.lower()
    if low.endswith("n't") and len(low) > 3:
        base = raw[:-3] if low not in ("can't", "won't") else raw[:2]
        return [base, "not"]
    if "'" in raw:
        return [raw.split("'", 1)[0]] + (
            ["is"]
            if low.endswith("'s") and low[:-2] in ("what", "who", "where", "that", "there", "it")
            else []
        )
    match = _NUM_UNIT.match(low)
    if match and match.group(2) in _UNITS:
        return [match.group(1), match.group(2)]
    if "/" in raw and all(p.isalpha() for p in raw.split("/")):
        parts = raw.split("/")
        return [w for p in parts for w in (p, "or")][:-1]
    return [raw]


def is_identifier(token: Token) -> bool:
    """A name-like token: camelCase, or letters mixed with digits, dashes, dots or colons.

    >>> [is_identifier(t) for t in tokenize("processPayment checkout-api lambdas us-east-1")]
    [True, True, False, True]
    """
    return bool(_CAMEL.match(token.text) or _MIXED.match(token.text))
