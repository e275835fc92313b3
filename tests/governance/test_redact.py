from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from governance.redact import Redactor, restore, restore_data

SECRETS = [
    ("aws_access_key", "creds AKIAIOSFODNN7EXAMPLE here", "AKIAIOSFODNN7EXAMPLE"),
    (
        "aws_secret_key",
        'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    (
        "github_token",
        "export GITHUB_PAT=ghp_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "ghp_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    ),
    ("github_token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv", "github_pat_11"),
    ("slack_token", "bot token xoxb-2401-1234567890-AbCdEfGhIjKl", "xoxb-2401"),
    ("slack_token", "xoxp-1111-2222-3333-abcdefabcdef", "xoxp-1111"),
    ("api_key", "ANTHROPIC sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv012345", "sk-ant-api03"),
    (
        "jwt",
        "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9P",
        "eyJzdWIiOiIxMjM0NTY3ODkwIn0",
    ),
    ("bearer_token", "Authorization: Bearer abcdef0123456789ABCDEF.xyz", "abcdef0123456789"),
    ("url_password", "postgres://admin:s3cr3t-P4ss@db.internal:5432/app", "s3cr3t-P4ss"),
    ("secret", "client_secret=Zx9pQ2rT7vW1yB4nM8kL", "Zx9pQ2rT7vW1yB4nM8kL"),
    ("secret", "DB_PASSWORD: hunter22", "hunter22"),
    (
        "private_key",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nq83Vx==\n"
        "-----END RSA PRIVATE KEY-----",
        "MIIEowIBAAKCAQEA7",
    ),
]


SECRETS.append(("private_key", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN (truncated)", "MIIEvQ"))


@pytest.mark.parametrize(("kind", "text", "secret"), SECRETS)
def test_each_secret_kind_is_removed_for_good(kind: str, text: str, secret: str) -> None:
    out = Redactor().redact(text)
    assert secret not in out.text
    assert f"[REDACTED:{kind}]" in out.text
    assert secret not in restore(out.text, out.mapping)  # secrets are not reversible


@pytest.mark.parametrize(
    "text",
    [
        "functions with the key=value tag",
        "key = severity",
        "top 10 riskiest findings with risk > 8",
        "bearer tokens in env vars",
        "images affected by CVE-2023-4863 at sha256:" + "0123456789abcdef" * 4,
        "open findings since 12:30:45",
        "rules allowing 0.0.0.0/0 or ::/0 on localhost 127.0.0.1",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert Redactor().redact(text).text == text


def test_benchmark_questions_pass_through_unchanged(shared_dir: Path) -> None:
    questions = yaml.safe_load((shared_dir / "bench" / "questions.yaml").read_text())
    redactor = Redactor()
    for item in questions["questions"]:
        assert redactor.redact(item["q"]).text == item["q"]


def test_identifiers_get_stable_numbered_placeholders() -> None:
    text = (
        "role arn:aws:iam::123456789012:role/payments-admin in 123456789012 and 210987654321, "
        "from 10.0.0.7 and fe80::1ff:fe23:4567:890a, owner ops@example.com, again 10.0.0.7."
    )
    out = Redactor().redact(text)
    assert out.text == (
        "role <ARN_1> in <ACCOUNT_1> and <ACCOUNT_2>, from <IP_1> and <IP_2>, "
        "owner <EMAIL_1>, again <IP_1>."
    )
    assert out.mapping["<ARN_1>"] == "arn:aws:iam::123456789012:role/payments-admin"
    assert restore(out.text, out.mapping) == text
    assert Redactor.restore(out.text, out.mapping) == text


def test_a_mapping_carries_over_and_is_not_changed() -> None:
    first = Redactor().redact("account 123456789012")
    before = dict(first.mapping)
    second = Redactor().redact("123456789012 and 999999999999", first.mapping)
    assert second.text == "<ACCOUNT_1> and <ACCOUNT_2>"
    assert first.mapping == before
    assert second.mapping == {**before, "<ACCOUNT_2>": "999999999999"}


def test_configured_resource_names_are_pseudonymised() -> None:
    redactor = Redactor(resource_names=["processPayment", "checkout-api", "db"])
    out = redactor.redact("is processPayment calling checkout-api or checkout-api-v2?")
    assert out.text == "is <RESOURCE_1> calling <RESOURCE_2> or checkout-api-v2?"


def test_pseudonymising_can_be_turned_off() -> None:
    out = Redactor(pseudonymise=False).redact("AKIAIOSFODNN7EXAMPLE in 123456789012")
    assert out.text == "[REDACTED:aws_access_key] in 123456789012"
    assert out.mapping == {}


def test_redacting_twice_changes_nothing_more() -> None:
    once = Redactor().redact(
        "Bearer abcdef0123456789ABCDEF in 123456789012 key=" + "Zx9pQ2rT7vW1yB"
    )
    twice = Redactor().redact(once.text, once.mapping)
    assert twice.text == once.text


def test_restore_data_walks_tool_input() -> None:
    mapping = {"<ACCOUNT_1>": "123456789012", "<IP_1>": "10.0.0.7"}
    data = {"conditions": [{"value": ["<ACCOUNT_1>", "<IP_1>", "<IP_3>"]}], "limit": 5}
    assert restore_data(data, mapping) == {
        "conditions": [{"value": ["123456789012", "10.0.0.7", "<IP_3>"]}],
        "limit": 5,
    }


_TOKENS = st.sampled_from(
    [
        "public",
        "lambdas",
        "in",
        "prod",
        "123456789012",
        "000011112222",
        "10.1.2.3",
        "192.168.0.254",
        "2001:db8::7",
        "alice@example.com",
        "arn:aws:s3:::customer-exports",
        "arn:aws:lambda:eu-west-1:123456789012:function:processPayment",
        "risk>8",
        "python3.12",
    ]
)


@given(st.lists(_TOKENS, min_size=1, max_size=12))
def test_identifiers_round_trip_and_never_leak(tokens: list[str]) -> None:
    text = " ".join(tokens)
    out = Redactor().redact(text)
    assert restore(out.text, out.mapping) == text
    for original in out.mapping.values():
        assert original not in out.text


def test_real_terraform_with_example_keys(shared_dir: Path) -> None:
    path = shared_dir / "realdata" / "serverless" / "terraform" / "lambda_env_credentials.tf"
    out = Redactor().redact(path.read_text())
    assert "AKIAIOSFODNN7EXAMPLE" not in out.text
    assert "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" not in out.text
    assert 'AWS_DEFAULT_REGION    = "us-west-2"' in out.text


def test_real_trivy_secret_report(shared_dir: Path) -> None:
    path = shared_dir / "realdata" / "trivy" / "misconfig" / "secrets.json"
    out = Redactor().redact(path.read_text())
    assert "ghp_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" not in out.text


def test_real_security_hub_findings_keep_shape_and_lose_accounts(shared_dir: Path) -> None:
    path = shared_dir / "realdata" / "aws-findings" / "securityhub_guardduty.json"
    text = path.read_text()
    out = Redactor().redact(text)
    assert "123456789012" not in out.text
    assert "arn:aws:" not in out.text
    json.loads(out.text)  # placeholders never break the JSON around them
    assert restore(out.text, out.mapping) == text
