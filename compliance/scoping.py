"""Scope words a person types (``prod``, ``payments``), checked against what the store holds.

A typo must not silently widen a compliance snapshot to "all resources" or narrow it to
nothing: every word has to name an environment or a team the store knows, and the error
lists the choices so the next try is right.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from core.errors import ValidationFailed
from store import FindingsStore

__all__ = ["ScopeChoices", "ScopeWords", "UnknownScopeWord", "parse_scope_words", "scope_choices"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScopeChoices(_Frozen):
    """The environments and teams a scope may name, as the store spells them."""

    environments: tuple[str, ...]
    teams: tuple[str, ...]


class ScopeWords(_Frozen):
    environment: str | None = None
    team: str | None = None


class UnknownScopeWord(ValidationFailed):
    """A scope word that is no environment or team of the store, or one too many.

    Carries the word and the choices so each surface can word the reply itself.
    """

    def __init__(self, word: str, choices: ScopeChoices, *, repeated: str | None = None) -> None:
        what = f"a second {repeated}" if repeated else "no environment or team in the store"
        envs, teams = ", ".join(choices.environments), ", ".join(choices.teams)
        super().__init__(
            f"'{word}' is {what}.",
            remediation=f"Environments: {envs or 'none'}. Teams: {teams or 'none'}.",
        )
        self.word = word
        self.choices = choices
        self.repeated = repeated


def scope_choices(store: FindingsStore) -> ScopeChoices:
    """The environments and teams of the store's resources and findings, sorted."""
    envs: set[str] = set()
    teams: set[str] = set()
    for view in ("resources", "findings"):
        envs.update(store.distinct_values(view, "environment"))
        teams.update(store.distinct_values(view, "team"))
    return ScopeChoices(environments=tuple(sorted(envs)), teams=tuple(sorted(teams)))


def parse_scope_words(words: Sequence[str], choices: ScopeChoices) -> ScopeWords:
    """Read ``[env] [team]`` in either order, case-insensitively.

    >>> c = ScopeChoices(environments=("dev", "prod"), teams=("payments",))
    >>> parse_scope_words(["Payments", "prod"], c)
    ScopeWords(environment='prod', team='payments')

    Raises:
        UnknownScopeWord: a word names nothing the store holds, or a second environment
            or team.
    """
    envs = {e.lower(): e for e in choices.environments}
    teams = {t.lower(): t for t in choices.teams}
    env: str | None = None
    team: str | None = None
    for word in words:
        key = word.strip().lower()
        if key in envs:
            if env is not None:
                raise UnknownScopeWord(word, choices, repeated="environment")
            env = envs[key]
        elif key in teams:
            if team is not None:
                raise UnknownScopeWord(word, choices, repeated="team")
            team = teams[key]
        else:
            raise UnknownScopeWord(word, choices)
    return ScopeWords(environment=env, team=team)
