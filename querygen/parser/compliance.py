"""Compliance questions: "SOC 2 failing controls", "CIS failures in prod".

They read the ``controls`` view. A control's ``status`` is for the whole estate, so a
question scoped by environment or team asks instead for controls with an open mapped
finding in that scope (a ``Related`` condition through ``control_findings``).
"""

from __future__ import annotations

import re

from querygen.catalog import Catalog
from querygen.parser.result import GroundingValues, ParseResult
from querygen.spec import Aggregate, AggregateFn, Condition, Filter, Op, OrderBy, QuerySpec, Related

__all__ = ["read_compliance"]

_FRAMEWORKS: tuple[tuple[str, str, str], ...] = (
    ("soc2", "SOC 2", r"\bsoc\s*-?\s*(2|ii)\b"),
    ("cis", "CIS", r"\bcis\b"),
    ("iso27001", "ISO 27001", r"\biso(\s*/?\s*(iec)?\s*-?\s*27001)?\b|\b27001\b"),
)
_ENVIRONMENTS: tuple[tuple[str, str], ...] = (
    ("prod", r"\b(prod|production|live)\b"),
    ("staging", r"\b(staging|stage)\b"),
    ("dev", r"\b(dev|development)\b"),
)
_STATUS: tuple[tuple[str, str, str], ...] = (
    ("not_assessed", "not assessed", r"could ?n[o']t (be )?verif|not (been )?assessed|unverif"),
    ("pass", "passing", r"\b(pass(es|ing|ed)?|compliant|green)\b(?<!non-compliant)"),
)


def _first(patterns: tuple[tuple[str, str], ...], text: str) -> str | None:
    return next((value for value, pattern in patterns if re.search(pattern, text)), None)


def _team(text: str, catalog: Catalog, grounding: GroundingValues | None) -> str | None:
    teams = list(grounding.teams) if grounding and grounding.teams else []
    teams += list(catalog.view("resources").column("team").values)
    return next((t for t in teams if re.search(rf"\b{re.escape(t.lower())}\b", text)), None)


def _status(text: str) -> tuple[str, str]:
    if re.search(r"non-?compliant|fail", text):
        return "fail", "failing"
    for value, label, pattern in _STATUS:
        if re.search(pattern, text):
            return value, label
    return "fail", "failing"


def read_compliance(
    question: str, catalog: Catalog, grounding: GroundingValues | None = None
) -> ParseResult:
    """Read a compliance question into a spec over ``controls``.

    >>> from querygen.catalog import load_catalog
    >>> read_compliance("CIS failures in prod", load_catalog()).understood
    ['compliance control', 'CIS', 'failing', 'prod']
    """
    text = question.lower()
    framework = next(((f, label) for f, label, p in _FRAMEWORKS if re.search(p, text)), None)
    environment = _first(_ENVIRONMENTS, text)
    team = _team(text, catalog, grounding)
    status, status_label = _status(text)
    conditions: list[Condition] = []
    understood = ["compliance control"]
    if framework:
        conditions.append(Filter(field="framework", op=Op.EQ, value=framework[0]))
        understood.append(framework[1])
    understood.append(status_label)
    scope = [
        Filter(field=f, op=Op.EQ, value=v)
        for f, v in (("environment", environment), ("team", team))
        if v
    ]
    if status == "fail" and scope:
        open_only = Filter(field="status", op=Op.EQ, value="open")
        conditions.append(Related(relation="findings", conditions=[open_only, *scope]))
        understood += [v for v in (environment, f"{team} team" if team else None) if v]
    else:
        conditions.append(Filter(field="status", op=Op.EQ, value=status))
    counting = bool(re.search(r"\bhow many\b|\bnumber of\b|\bcount\b", text))
    spec = QuerySpec(
        view="controls",
        conditions=conditions,
        aggregate=Aggregate(fn=AggregateFn.COUNT) if counting else None,
        order_by=[] if counting else [OrderBy(field="max_risk_score", descending=True)],
    )
    return ParseResult(spec=spec, confidence=0.9 if framework else 0.65, understood=understood)
