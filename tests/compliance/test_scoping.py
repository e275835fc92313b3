"""Scope words are checked against the store's environments and teams."""

from __future__ import annotations

import pytest

from compliance import ScopeChoices, UnknownScopeWord, parse_scope_words, scope_choices
from store import FindingsStore

CHOICES = ScopeChoices(environments=("dev", "prod"), teams=("data", "payments"))


def test_the_choices_are_what_the_store_holds(store: FindingsStore) -> None:
    assert scope_choices(store) == CHOICES


@pytest.mark.parametrize(
    ("words", "env", "team"),
    [
        ((), None, None),
        (("prod",), "prod", None),
        (("payments",), None, "payments"),
        (("payments", "prod"), "prod", "payments"),
        (("PROD", "Data"), "prod", "data"),
    ],
)
def test_env_and_team_in_either_order(words: tuple[str, ...], env: str | None, team: str | None):
    scope = parse_scope_words(words, CHOICES)
    assert (scope.environment, scope.team) == (env, team)


def test_an_unknown_word_names_the_choices() -> None:
    with pytest.raises(UnknownScopeWord) as caught:
        parse_scope_words(["prod", "paymnets"], CHOICES)
    err = caught.value
    assert err.word == "paymnets" and err.repeated is None and err.choices == CHOICES
    assert err.message == "'paymnets' is no environment or team in the store."
    assert err.remediation == "Environments: dev, prod. Teams: data, payments."


def test_a_known_environment_without_data_is_refused() -> None:
    # staging is a valid environment in the model, but this store holds none of it
    with pytest.raises(UnknownScopeWord, match="staging"):
        parse_scope_words(["staging"], CHOICES)


@pytest.mark.parametrize(
    ("words", "what"), [(("prod", "dev"), "environment"), (("data", "payments"), "team")]
)
def test_a_second_env_or_team_is_refused(words: tuple[str, ...], what: str) -> None:
    with pytest.raises(UnknownScopeWord) as caught:
        parse_scope_words(words, CHOICES)
    assert caught.value.repeated == what and caught.value.word == words[1]
