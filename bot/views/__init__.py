"""Pure Block Kit builders: data in, validated block dicts out."""

from bot.views.answer import answer_blocks
from bot.views.details import native_blocks, not_expressible_blocks, sql_blocks
from bot.views.explain import explain_blocks
from bot.views.help import help_blocks, help_examples, suggested_prompts
from bot.views.modals import ask_modal, reply_modal
from bot.views.status import status_blocks

__all__ = [
    "answer_blocks",
    "ask_modal",
    "explain_blocks",
    "help_blocks",
    "help_examples",
    "native_blocks",
    "not_expressible_blocks",
    "reply_modal",
    "sql_blocks",
    "status_blocks",
    "suggested_prompts",
]
