"""Cleaning a question before anything reads it: length, control characters, whitespace."""

from __future__ import annotations

import unicodedata

from core.errors import QueryRejected

__all__ = ["MAX_QUESTION_CHARS", "clean_question"]

MAX_QUESTION_CHARS = 2000


def clean_question(question: str) -> str:
    """Normalise unicode (NFKC: fullwidth and look-alike forms fold), drop control and
    zero-width characters, collapse whitespace.

    >>> clean_question("  public\\u200b prod\\tlambdas  ")
    'public prod lambdas'

    Raises:
        QueryRejected: the question is empty or longer than ``MAX_QUESTION_CHARS``.
    """
    text = unicodedata.normalize("NFKC", question)
    text = "".join(ch if ch in "\t\n" or unicodedata.category(ch)[0] != "C" else "" for ch in text)
    text = " ".join(text.split())
    if not text:
        raise QueryRejected(
            "The question is empty.", remediation="Ask about your findings, e.g. `help`."
        )
    if len(text) > MAX_QUESTION_CHARS:
        raise QueryRejected(
            f"The question is {len(text)} characters long; the limit is {MAX_QUESTION_CHARS}.",
            remediation="Ask a shorter question.",
        )
    return text
