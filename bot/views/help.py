"""`/posture help`: what the bot understands, with examples drawn from the semantic catalog.

The examples are built from the catalog's own words (view names, column synonyms,
allowed values), so they change when the catalog does and never name a thing the
query surface lacks; tests check that each one parses.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from bot import messages
from bot.views.common import cut, escape, finish, header, section
from querygen.catalog import Catalog, Column, View

__all__ = ["help_blocks", "help_examples", "suggested_prompts"]

MAX_EXAMPLES = 5


def _first(catalog: Catalog, *columns: str) -> View | None:
    """The first specific view (not the all-resources union) with all ``columns``."""
    for view in catalog.views.values():
        if "kind" not in view.columns and all(c in view.columns for c in columns):
            return view
    return None


def _bool_with_synonym(view: View) -> Column | None:
    """A yes/no column people name in one word ("privileged", "admin"); public is in the
    first example already."""
    return next(
        (
            c
            for c in view.columns.values()
            if c.type == "bool"
            and c.synonyms
            and " " not in c.synonyms[0]
            and c.name != "is_public"
        ),
        None,
    )


def _env(view: View) -> str:
    values = view.columns["environment"].values
    return values[0] if values else "prod"


def help_examples(catalog: Catalog) -> list[str]:
    """A handful of questions, one per shape: filtered list, ranking, grouping, count, flag.

    >>> from querygen.catalog import load_catalog
    >>> help_examples(load_catalog())[:2]
    ['public prod functions with PII', 'top 5 riskiest functions in prod']
    """
    out: list[str] = []
    listed = _first(catalog, "is_public", "environment", "data_classes")
    if listed is not None:
        data = listed.columns["data_classes"].values
        out.append(f"public {_env(listed)} {listed.name} with {data[0] if data else 'PII'}")
    ranked = _first(catalog, "max_risk_score", "environment")
    if ranked is not None:
        out.append(f"top 5 riskiest {ranked.name} in {_env(ranked)}")
    grouped = _first(catalog, "severity", "status", "team", "risk_factors")
    if grouped is not None:
        severity = grouped.columns["severity"].values
        out.append(f"open {severity[0] if severity else 'critical'} {grouped.name} per team")
    used = {v.name for v in (listed, ranked, grouped) if v is not None}
    flagged = [
        (v, c)
        for v in catalog.views.values()
        if "kind" not in v.columns
        and v.name not in used
        and (c := _bool_with_synonym(v)) is not None
    ]
    if flagged:
        view, column = flagged[0]
        out.append(f"how many {column.synonyms[0]} {view.name}?")
    if len(flagged) > 1:
        view, column = flagged[1]
        out.append(f"{column.synonyms[0]} {view.name}")
    return out[:MAX_EXAMPLES]


def suggested_prompts(catalog: Catalog, n: int = 4) -> list[dict[str, str]]:
    """Assistant-thread prompts (Slack shows up to four): title and message."""
    return [
        {"title": cut(q[:1].upper() + q[1:], 75), "message": q} for q in help_examples(catalog)[:n]
    ]


def _views_list(catalog: Catalog) -> str:
    lines = [f"• *{v.name}*: {escape(v.description)}" for v in catalog.views.values()]
    return "\n".join(lines)


def help_blocks(
    catalog: Catalog, *, lead: str | None = None, ask_this: str | None = None
) -> list[dict[str, Any]]:
    """The help message.

    Args:
        catalog: where the examples and the list of views come from.
        lead: a sentence shown first (an unknown subcommand).
        ask_this: text the person typed, offered as a question with one click.
    """
    examples = help_examples(catalog)
    blocks: list[Block] = [header(messages.HELP_HEADER)]
    if lead:
        accessory = (
            ButtonElement(
                text=messages.BUTTON_ASK_THIS, action_id="ask_this", value=cut(ask_this, 2000)
            )
            if ask_this
            else None
        )
        blocks.append(section(lead, accessory=accessory))
    blocks += [section(messages.HELP_INTRO), section(messages.HELP_EXAMPLES)]
    buttons = [
        ButtonElement(text=cut(q, 75), action_id=f"help_example_{i}", value=q)
        for i, q in enumerate(examples)
    ]
    buttons.append(
        ButtonElement(text=messages.BUTTON_ASK_FORM, action_id="ask_open_modal", value="form")
    )
    blocks.append(ActionsBlock(block_id="help_examples", elements=buttons))
    blocks += [
        section(messages.HELP_COMMANDS),
        section(messages.HELP_VIEWS.format(views=_views_list(catalog))),
    ]
    return finish(blocks)
