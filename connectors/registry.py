"""Which sources exist and how to build each one's client from the settings."""

from __future__ import annotations

from collections.abc import Callable

from connectors.base import Connector
from connectors.lacework.client import LaceworkClient
from connectors.orca.client import OrcaClient
from connectors.prisma.client import PrismaClient
from connectors.wiz.client import WizClient
from core.errors import ConfigError
from core.settings import Settings

__all__ = ["SOURCES", "build_connector"]

SOURCES = ("wiz", "prisma", "lacework", "orca")

_BUILDERS: dict[str, Callable[[Settings], Connector]] = {
    "wiz": lambda s: WizClient(s.wiz, http=s.http),
    "prisma": lambda s: PrismaClient(s.prisma, http=s.http),
    "lacework": lambda s: LaceworkClient(s.lacework, http=s.http),
    "orca": lambda s: OrcaClient(s.orca, http=s.http),
}


def build_connector(name: str, settings: Settings) -> Connector:
    """The client of one source.

    Raises:
        ConfigError: the name is not a source, or its settings are incomplete.
    """
    builder = _BUILDERS.get(name)
    if builder is None:
        raise ConfigError(
            f"Unknown source {name!r}.", remediation=f"Use one of: {', '.join(SOURCES)}."
        )
    return builder(settings)
