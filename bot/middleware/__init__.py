"""Cross-cutting Bolt middleware."""

from bot.middleware.dedupe import DedupeRetries

__all__ = ["DedupeRetries"]
