"""The Orca Security connector: its API client and its mappers."""

from connectors.orca.client import OrcaClient

__all__ = ["OrcaClient"]
