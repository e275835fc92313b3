"""Orchestration: ask(question, user) -> Answer (read -> compile -> guard -> run -> answer)."""

from pipeline.answer import Answer, Clarification, Freshness
from pipeline.ask import Copilot

__all__ = ["Answer", "Clarification", "Copilot", "Freshness"]
