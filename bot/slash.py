"""`/posture` text as a subcommand and its argument."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Command", "ComplianceArgs", "TopArgs", "parse_command", "parse_compliance", "parse_top"]

Name = Literal["ask", "top", "status", "help", "compliance", "unknown"]
_NAMES: dict[str, Name] = {
    "ask": "ask",
    "top": "top",
    "status": "status",
    "help": "help",
    "compliance": "compliance",
}
_HELP_WORDS = {"?", "-h", "--help", "h"}
DEFAULT_TOP = 10
MAX_TOP = 50


@dataclass(frozen=True)
class Command:
    name: Name
    argument: str = ""
    word: str = ""  # the subcommand as typed, for "I do not know `x`"


@dataclass(frozen=True)
class ComplianceArgs:
    framework: str  # as typed; empty when missing
    scope_words: tuple[str, ...]


@dataclass(frozen=True)
class TopArgs:
    n: int
    scope: str | None


def parse_command(text: str) -> Command:
    """The subcommand and the rest of the text; empty text asks for help.

    >>> parse_command("ask  public lambdas ")
    Command(name='ask', argument='public lambdas', word='ask')
    >>> parse_command("").name, parse_command("frobnicate x").name
    ('help', 'unknown')
    """
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return Command("help")
    word = parts[0]
    rest = parts[1].strip() if len(parts) > 1 else ""
    if word.lower() in _HELP_WORDS:
        return Command("help", rest, word)
    name = _NAMES.get(word.lower())
    if name is None:
        return Command("unknown", text.strip(), word)
    return Command(name, rest, word)


def parse_top(argument: str) -> TopArgs:
    """``[n] [team|env]`` in either order; n is kept within 1..50.

    >>> parse_top("5 payments"), parse_top("prod"), parse_top("500")
    (TopArgs(n=5, scope='payments'), TopArgs(n=10, scope='prod'), TopArgs(n=50, scope=None))
    """
    n, scope = DEFAULT_TOP, None
    for token in argument.split():
        if token.isdigit():
            n = min(max(int(token), 1), MAX_TOP)
        elif scope is None:
            scope = token.lower()
    return TopArgs(n, scope)


def parse_compliance(argument: str) -> ComplianceArgs:
    """``<framework> [env] [team]``; "SOC 2" and "ISO 27001" may be typed with a space.

    >>> parse_compliance("soc2 prod payments")
    ComplianceArgs(framework='soc2', scope_words=('prod', 'payments'))
    >>> parse_compliance("SOC 2 dev")
    ComplianceArgs(framework='SOC 2', scope_words=('dev',))
    """
    words = argument.split()
    if not words:
        return ComplianceArgs("", ())
    if len(words) > 1 and words[0].lower() in _SPLIT_FRAMEWORKS and words[1].isdigit():
        return ComplianceArgs(f"{words[0]} {words[1]}", tuple(words[2:]))
    return ComplianceArgs(words[0], tuple(words[1:]))


_SPLIT_FRAMEWORKS = {"soc", "iso"}
