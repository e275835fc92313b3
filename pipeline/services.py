"""Building a Copilot from settings: the one place that decides offline or Claude."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.settings import Settings
from governance.audit import AuditLog
from governance.switches import read_switches
from pipeline.ask import Copilot
from querygen.catalog import load_catalog
from querygen.claude import ClaudeTranslator
from store import FindingsStore

if TYPE_CHECKING:
    from llm.client import LLMClient
    from remediation.llm_drafter import LLMDrafter

__all__ = ["build_copilot", "claude_state", "llm_fix_drafter"]


def claude_state(settings: Settings) -> str:
    """'on', 'off', or 'on, but no key' — for `posture status` and the help text."""
    switch = read_switches(settings.admin_path).claude
    if not switch.enabled:
        return "off"
    return "on" if settings.claude_api_key else "on, but no ANTHROPIC_API_KEY is set"


def _llm_client(settings: Settings) -> LLMClient:
    from llm.client import LLMClient, LLMConfig

    anthropic = settings.anthropic
    config = LLMConfig.from_settings(
        anthropic,
        api_key=settings.claude_api_key,
        fast_model=anthropic.fast_model,
        large_model=anthropic.large_model,
    )
    return LLMClient(config)


def llm_fix_drafter(settings: Settings) -> LLMDrafter | None:
    """Claude's drafter for finding types without an offline one, when an admin enabled it."""
    if claude_state(settings) != "on":
        return None
    from remediation.llm_drafter import LLMDrafter

    return LLMDrafter(_llm_client(settings))


def _translator(settings: Settings) -> ClaudeTranslator | None:
    if claude_state(settings) != "on":
        return None
    from governance.budget import RateLimiter, TokenBudget
    from governance.redact import Redactor

    anthropic = settings.anthropic
    return ClaudeTranslator(
        _llm_client(settings),
        load_catalog(),
        TokenBudget(anthropic.monthly_tokens),
        RateLimiter(anthropic.requests_per_minute),
        Redactor(),
    )


def build_copilot(settings: Settings, store: FindingsStore) -> Copilot:
    """The Copilot every surface uses: audited, offline unless an admin enabled Claude."""
    return Copilot(
        store,
        load_catalog(),
        audit=AuditLog(settings.audit_path),
        translator=_translator(settings),
    )
