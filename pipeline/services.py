"""Building a Copilot from settings: the one place that decides offline or Claude."""

from __future__ import annotations

from core.settings import Settings
from governance.audit import AuditLog
from governance.switches import read_switches
from pipeline.ask import Copilot
from querygen.catalog import load_catalog
from querygen.claude import ClaudeTranslator
from store import FindingsStore

__all__ = ["build_copilot", "claude_state"]


def claude_state(settings: Settings) -> str:
    """'on', 'off', or 'on, but no key' — for `posture status` and the help text."""
    switch = read_switches(settings.admin_path).claude
    if not switch.enabled:
        return "off"
    return "on" if settings.claude_api_key else "on, but no ANTHROPIC_API_KEY is set"


def _translator(settings: Settings) -> ClaudeTranslator | None:
    if claude_state(settings) != "on":
        return None
    from governance.budget import RateLimiter, TokenBudget
    from governance.redact import Redactor
    from llm.client import LLMClient, LLMConfig

    anthropic = settings.anthropic
    config = LLMConfig.from_settings(
        anthropic,
        api_key=settings.claude_api_key,
        fast_model=anthropic.fast_model,
        large_model=anthropic.large_model,
    )
    return ClaudeTranslator(
        LLMClient(config),
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
