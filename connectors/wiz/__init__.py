"""The Wiz connector: its API client and its mappers."""

from connectors.wiz.client import WizClient

__all__ = ["WizClient"]
