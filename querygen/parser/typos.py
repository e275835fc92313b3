"""Typo correction: an unknown word close to a lexicon word is read as that word."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from querygen.parser.lexicon import Lexicon
from querygen.parser.tokens import Token, is_identifier

__all__ = ["correct_typos"]

_CUTOFF = 0.83


def correct_typos(
    tokens: list[Token], lex: Lexicon, protected: AbstractSet[str] = frozenset()
) -> tuple[list[Token], dict[str, str]]:
    """Tokens with misspelt words replaced, and what was replaced by what.

    Only alphabetic words of four letters or more that the lexicon does not know, and
    that are not store values (``protected``), are candidates; a correction must be at
    least 0.83 similar (Damerau-Levenshtein, so one swap in "pubilc" is one edit) and
    differ in length by at most two letters.

    Args:
        tokens: the question's tokens.
        lex: the lexicon whose words are the correction targets.
        protected: lower-cased store values (names, namespaces) never to correct.

    Returns:
        The corrected tokens and a ``{typed: corrected}`` map.
    """
    fixed: list[Token] = []
    changes: dict[str, str] = {}
    for token in tokens:
        word = token.norm
        if (
            len(word) < 4
            or not word.isalpha()
            or word in lex.known
            or word in protected
            or is_identifier(token)
        ):
            fixed.append(token)
            continue
        best = process.extractOne(
            word, lex.targets, scorer=DamerauLevenshtein.normalized_similarity, score_cutoff=_CUTOFF
        )
        if best is None or abs(len(best[0]) - len(word)) > 2:
            fixed.append(token)
            continue
        changes[token.text] = best[0]
        fixed.append(Token(best[0], best[0]))
    return fixed, changes
