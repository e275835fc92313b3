"""The catalog as Markdown: docs/semantic-views.md is generated from it, never hand-edited."""

from __future__ import annotations

from querygen.catalog import Catalog, View

__all__ = ["render_markdown"]

_HEADER = """# Semantic views

The query surface: the only tables a question, a Claude-written query or an analyst's SQL
may read. Column names are a contract: columns are added, never renamed or dropped.
Generated from `querygen/catalog.yaml` by `posture catalog --markdown`; a test fails when
this file is stale.
"""


def _view_section(view: View) -> list[str]:
    lines = [f"## `{view.name}`", "", view.description + ".", ""]
    if view.synonyms:
        lines += [f"Asked about as: {', '.join(view.synonyms)}.", ""]
    lines += ["| column | type | meaning | values / unit |", "| --- | --- | --- | --- |"]
    for col in view.columns.values():
        extra = ", ".join(col.values) or (col.unit or "")
        lines.append(f"| `{col.name}` | {col.type} | {col.description} | {extra} |")
    if view.relations:
        lines += ["", "Related rows (for `EXISTS` filters):", ""]
        lines += [
            f"- `{r.name}` → `{r.view}` ({r.description}; `{r.local}` = `{r.remote}`)"
            for r in view.relations.values()
        ]
    return [*lines, ""]


def render_markdown(catalog: Catalog) -> str:
    """Every view, column and relation, one table per view."""
    lines = [_HEADER]
    for view in catalog.views.values():
        lines += _view_section(view)
    return "\n".join(lines).rstrip() + "\n"
