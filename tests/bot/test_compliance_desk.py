"""What a compliance button carries, and the argument parsing of `/posture compliance`."""

from __future__ import annotations

import pytest

from bot.compliance_desk import VALUE_LIMIT, ComplianceKey
from bot.slash import ComplianceArgs, parse_command, parse_compliance


def test_a_key_round_trips_through_a_button_value():
    key = ComplianceKey("iso27001", "staging", "payments", "0123456789ab")
    value = key.encode()
    assert value == "c1|iso27001|staging|payments|0123456789ab"
    assert ComplianceKey.decode(value) == key
    assert ComplianceKey.decode(ComplianceKey("cis", None, None, "ab").encode()) == ComplianceKey(
        "cis", None, None, "ab"
    )


@pytest.mark.parametrize("team", ["x" * 3000, "a|b", "<!channel>"])
def test_a_team_that_will_not_fit_or_would_break_the_value_leaves_only_the_id(team: str):
    value = ComplianceKey("soc2", "prod", team, "0123456789ab").encode()
    assert len(value) <= VALUE_LIMIT
    assert ComplianceKey.decode(value) == ComplianceKey("", None, None, "0123456789ab")


@pytest.mark.parametrize("value", ["", "abc", "c2|soc2|||id", "c1|soc2|prod|id"])
def test_values_this_app_did_not_write_decode_to_nothing(value: str):
    assert ComplianceKey.decode(value) is None


@pytest.mark.parametrize(
    ("text", "framework", "words"),
    [
        ("compliance soc2", "soc2", ()),
        ("compliance SOC 2 prod payments", "SOC 2", ("prod", "payments")),
        ("compliance iso 27001 dev", "iso 27001", ("dev",)),
        ("Compliance cis payments prod", "cis", ("payments", "prod")),
        ("compliance", "", ()),
    ],
)
def test_the_framework_and_scope_words(text: str, framework: str, words: tuple[str, ...]):
    command = parse_command(text)
    assert command.name == "compliance"
    assert parse_compliance(command.argument) == ComplianceArgs(framework, words)
