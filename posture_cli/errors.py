"""One clear line and a non-zero exit for every error the product raises on purpose."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from core.errors import CopilotError

__all__ = ["exits_cleanly"]

P = ParamSpec("P")
R = TypeVar("R")


def exits_cleanly(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a ``CopilotError`` into ``error: <what>. <what to do>`` on stderr, exit 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except CopilotError as exc:
            print(f"error: {exc.one_line()}", file=sys.stderr)
            raise typer.Exit(code=1) from None

    return wrapper
