"""Redaction of everything that leaves the process for a model.

Secrets (keys, tokens, private keys, passwords) become ``[REDACTED:kind]`` and are gone
for good. Identifiers (AWS account IDs, ARNs, IP addresses, emails, configured resource
names) become stable placeholders such as ``<ACCOUNT_1>``: the model can still refer to
them, and ``restore`` puts the originals back into its answer. The mapping stays in
this process; only placeholders travel.

>>> r = Redactor()
>>> out = r.redact("AKIAIOSFODNN7EXAMPLE leaked in 123456789012 by ops@example.com")
>>> out.text
'[REDACTED:aws_access_key] leaked in <ACCOUNT_1> by <EMAIL_1>'
>>> restore("account <ACCOUNT_1>, mail <EMAIL_1>", out.mapping)
'account 123456789012, mail ops@example.com'
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["RedactedText", "Redactor", "restore", "restore_data", "shannon_entropy"]

_NOT_REDACTED = r"(?!\[REDACTED:|<[A-Z]+_\d+>)"


@dataclass(frozen=True)
class _SecretRule:
    kind: str
    pattern: re.Pattern[str]  # the group named "secret", or the whole match, is replaced
    check: Callable[[re.Match[str]], bool] | None = None


def shannon_entropy(text: str) -> float:
    """Bits per character of ``text``; random keys score high, words low.

    >>> round(shannon_entropy("aaaa"), 2)
    0.0
    >>> shannon_entropy("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") > 4
    True
    """
    if not text:
        return 0.0
    counts = Counter(text)
    size = len(text)
    return sum(n / size * math.log2(size / n) for n in counts.values())


def _generic_is_secret(match: re.Match[str]) -> bool:
    # Passwords are secrets whatever they look like; "key=severity" is prose.
    if re.search(r"pass|pwd", match.group("name"), re.IGNORECASE):
        return True
    value = match.group("secret")
    return len(value) >= 12 and shannon_entropy(value) >= 3.0


_SECRET_RULES: tuple[_SecretRule, ...] = (
    _SecretRule(
        "private_key",
        re.compile(
            r"-----BEGIN[A-Z ]*PRIVATE KEY-----.*?(?:-----END[A-Z ]*PRIVATE KEY-----|\Z)",
            re.DOTALL,
        ),
    ),
    _SecretRule("jwt", re.compile(r"\beyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]*")),
    _SecretRule("aws_access_key", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b")),
    _SecretRule(
        "aws_secret_key",
        re.compile(
            r"(?i)aws[\w-]{0,20}?(?:secret|key)[\w-]{0,20}?[\"']?\s*[=:]\s*[\"']?"
            r"(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
        ),
    ),
    _SecretRule("github_token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{22,})")),
    _SecretRule("slack_token", re.compile(r"\b(?:xox[abprs]-[A-Za-z0-9-]{10,}|xapp-[\w-]{10,})")),
    _SecretRule("api_key", re.compile(r"\bsk-(?:ant-)?[A-Za-z0-9_-]{20,}")),
    _SecretRule(
        "bearer_token",
        re.compile(r"(?i)\bbearer\s+" + _NOT_REDACTED + r"(?P<secret>[\w.~+/-]{12,}=*)"),
    ),
    _SecretRule(
        "url_password",
        re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s:/@]+:(?P<secret>[^\s@/]+)@"),
    ),
    _SecretRule(
        "secret",
        re.compile(
            r"(?i)(?P<name>\b[\w.-]*(?:key|secret|token|passw(?:or)?d|pwd|credential)s?)"
            r"[\"']?\s*[=:]\s*[\"']?" + _NOT_REDACTED + r"(?P<secret>[^\s\"',;&]{6,})"
        ),
        _generic_is_secret,
    ),
)


def _valid_ip(text: str) -> bool:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return not (address.is_unspecified or address.is_loopback)


_ARN_CHAR = r"[^\s\"'<>,;()\[\]{}]"
# kind, pattern, extra check: most specific first, since an ARN holds an account ID.
_IDENTIFIER_RULES: tuple[tuple[str, re.Pattern[str], Callable[[str], bool] | None], ...] = (
    ("ARN", re.compile(r"\barn:aws[a-z-]*:(?:" + _ARN_CHAR + r"*[^.\s\"'<>,;()\[\]{}])"), None),
    ("EMAIL", re.compile(r"\b[\w.%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"), None),
    ("ACCOUNT", re.compile(r"\b\d{12}\b"), None),
    ("IP", re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)"), _valid_ip),
    (
        "IP",
        re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])"),
        _valid_ip,
    ),
)

_PLACEHOLDER = re.compile(r"<([A-Z]+)_(\d+)>")


class RedactedText(BaseModel):
    """Text fit to leave the process, and the placeholder -> original map to undo it."""

    model_config = ConfigDict(frozen=True)

    text: str
    mapping: dict[str, str]  # "<ACCOUNT_1>" -> "123456789012"


class _Pseudonyms:
    """Stable placeholders: one original, one placeholder, numbered per kind."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self.mapping = dict(mapping)
        self._by_original = {original: ph for ph, original in mapping.items()}
        self._counts: Counter[str] = Counter()
        for placeholder in mapping:
            found = _PLACEHOLDER.fullmatch(placeholder)
            if found:
                kind, number = found.group(1), int(found.group(2))
                self._counts[kind] = max(self._counts[kind], number)

    def placeholder(self, kind: str, original: str) -> str:
        if original in self._by_original:
            return self._by_original[original]
        self._counts[kind] += 1
        placeholder = f"<{kind}_{self._counts[kind]}>"
        self._by_original[original] = placeholder
        self.mapping[placeholder] = original
        return placeholder


class Redactor:
    """Removes secrets and pseudonymises identifiers; pure apart from its configuration.

    Args:
        resource_names: names (functions, buckets, images ...) to pseudonymise as
            ``<RESOURCE_n>``; by default names are sent as they are.
        pseudonymise: set False to only remove secrets.

    >>> Redactor(resource_names=["processPayment"]).redact("is processPayment public?").text
    'is <RESOURCE_1> public?'
    """

    def __init__(self, *, resource_names: Iterable[str] = (), pseudonymise: bool = True) -> None:
        names = sorted({n for n in resource_names if len(n) >= 3}, key=len, reverse=True)
        self._names = (
            re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")
            if names
            else None
        )
        self._pseudonymise = pseudonymise

    def redact(self, text: str, mapping: Mapping[str, str] | None = None) -> RedactedText:
        """``text`` without secrets and with identifiers replaced by placeholders.

        Args:
            text: anything about to leave the process.
            mapping: the mapping of earlier text in the same exchange, so the same
                identifier keeps the same placeholder; it is extended, not changed.

        Returns:
            The redacted text and the (extended) placeholder map.

        >>> first = Redactor().redact("10.0.0.7")
        >>> Redactor().redact("10.0.0.7 and 10.0.0.8", first.mapping).text
        '<IP_1> and <IP_2>'
        """
        for rule in _SECRET_RULES:
            text = rule.pattern.sub(partial(_replace_secret, rule=rule), text)
        pseudonyms = _Pseudonyms(mapping or {})
        if self._pseudonymise:
            for kind, pattern, check in _IDENTIFIER_RULES:
                swap = partial(_swap, kind=kind, check=check, names=pseudonyms)
                text = pattern.sub(swap, text)
            if self._names is not None:
                text = self._names.sub(lambda m: pseudonyms.placeholder("RESOURCE", m[0]), text)
        return RedactedText(text=text, mapping=pseudonyms.mapping)

    @staticmethod
    def restore(text: str, mapping: Mapping[str, str]) -> str:
        """The module's ``restore``, for callers that hold only a ``Redactor``."""
        return restore(text, mapping)


def _replace_secret(match: re.Match[str], rule: _SecretRule) -> str:
    if rule.check is not None and not rule.check(match):
        return match[0]
    label = f"[REDACTED:{rule.kind}]"
    if "secret" not in rule.pattern.groupindex:
        return label
    start, end = match.span("secret")
    whole = match[0]
    return whole[: start - match.start()] + label + whole[end - match.start() :]


def _swap(
    match: re.Match[str], kind: str, check: Callable[[str], bool] | None, names: _Pseudonyms
) -> str:
    if check is not None and not check(match[0]):
        return match[0]
    return names.placeholder(kind, match[0])


def restore(text: str, mapping: Mapping[str, str]) -> str:
    """``text`` with every known placeholder put back; unknown ones stay as they are.

    >>> restore("<IP_1> and <IP_9>", {"<IP_1>": "10.0.0.7"})
    '10.0.0.7 and <IP_9>'
    """
    return _PLACEHOLDER.sub(lambda m: mapping.get(m[0], m[0]), text)


def restore_data(value: Any, mapping: Mapping[str, str]) -> Any:
    """``restore`` applied to every string inside JSON-like data (a tool's input).

    >>> restore_data({"value": ["<ACCOUNT_1>", 3]}, {"<ACCOUNT_1>": "123456789012"})
    {'value': ['123456789012', 3]}
    """
    if isinstance(value, str):
        return restore(value, mapping)
    if isinstance(value, list):
        return [restore_data(item, mapping) for item in value]
    if isinstance(value, dict):
        return {key: restore_data(item, mapping) for key, item in value.items()}
    return value
