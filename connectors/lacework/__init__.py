"""The Lacework (FortiCNAPP) connector: its API client and its mappers."""

from connectors.lacework.client import LaceworkClient

__all__ = ["LaceworkClient"]
