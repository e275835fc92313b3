"""The SQL guard's rules, one per module; ``querygen.validate.RULES`` orders them."""

from __future__ import annotations

from querygen.rules.allowlist_functions import allowlist_functions
from querygen.rules.allowlist_tables import allowlist_tables
from querygen.rules.bound_cost import bound_cost
from querygen.rules.enforce_limit import enforce_limit
from querygen.rules.parse_one_statement import parse_one_statement
from querygen.rules.qualify_against_schema import qualify_against_schema
from querygen.rules.reject_non_select import reject_non_select

__all__ = [
    "allowlist_functions",
    "allowlist_tables",
    "bound_cost",
    "enforce_limit",
    "parse_one_statement",
    "qualify_against_schema",
    "reject_non_select",
]
