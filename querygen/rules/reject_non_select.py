"""Only a query may pass: one SELECT, or a UNION / INTERSECT / EXCEPT of them.

The root must be a query, and no node anywhere in it may be a statement or a clause that
writes or changes state (``SELECT ... INTO`` creates a table; a CTE may hide DML; a
statement sqlglot does not know becomes an ``exp.Command``, refused unread).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp

from core.errors import QueryRejected, WriteAttempted

if TYPE_CHECKING:
    from querygen.validate import GuardContext

__all__ = ["reject_non_select"]

_WRITES: tuple[type[exp.Expr], ...] = (
    exp.DDL,
    exp.DML,
    exp.Command,
    exp.Create,
    exp.Drop,
    exp.Alter,
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Merge,
    exp.Copy,
    exp.TruncateTable,
    exp.Comment,
    exp.Pragma,
    exp.Set,
    exp.Use,
    exp.Attach,
    exp.Detach,
    exp.Install,
    exp.Export,
    exp.LoadData,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Into,
    exp.Lock,
    exp.Analyze,
    exp.Cache,
    exp.Uncache,
    exp.Refresh,
    exp.Kill,
    exp.Grant,
    exp.Revoke,
)
_NOT_QUERIES: tuple[type[exp.Expr], ...] = (
    exp.Describe,
    exp.Show,
    exp.Summarize,
    exp.Placeholder,
    exp.Parameter,
    exp.SessionParameter,
)
# Statements sqlglot leaves as an exp.Command that read but are still not a query here.
_READ_COMMANDS = frozenset({"SHOW", "DESCRIBE", "EXPLAIN", "SUMMARIZE"})
_REMEDIATION = "Ask a question instead; the copilot only reads, through one SELECT."


def reject_non_select(expression: exp.Expr, context: GuardContext | None = None) -> exp.Expr:
    """Refuse anything that is not a pure query.

    Raises:
        WriteAttempted: DDL, DML, PRAGMA, ATTACH, COPY, SET, INSTALL, LOAD, CALL, ...
        QueryRejected: DESCRIBE, SHOW, SUMMARIZE, or a bind parameter.

    >>> from querygen.rules.parse_one_statement import parse_one_statement
    >>> reject_non_select(parse_one_statement("DROP TABLE raw.findings"))
    Traceback (most recent call last):
    ...
    core.errors.WriteAttempted: Only a SELECT may run; this is DROP TABLE.
    """
    if isinstance(expression, exp.Subquery) and isinstance(expression.this, exp.Query):
        expression = expression.unnest()  # "(SELECT ...)" is still one query
    for node in expression.walk():
        if isinstance(node, exp.Command) and _kind(node) in _READ_COMMANDS:
            raise QueryRejected(
                f"Only a SELECT over the views may run; this is {_kind(node)}.",
                remediation=_REMEDIATION,
            )
        if isinstance(node, _WRITES):
            raise WriteAttempted(
                f"Only a SELECT may run; this is {_kind(node)}.", remediation=_REMEDIATION
            )
        if isinstance(node, _NOT_QUERIES):
            raise QueryRejected(
                f"Only a SELECT over the views may run; this is {_kind(node)}.",
                remediation=_REMEDIATION,
            )
    if not isinstance(expression, exp.Select | exp.SetOperation):
        raise WriteAttempted(
            f"Only a SELECT may run; this is {_kind(expression)}.", remediation=_REMEDIATION
        )
    return expression


def _kind(node: exp.Expr) -> str:
    """A short, safe name for what the statement is (its leading keywords)."""
    if isinstance(node, exp.Command):
        return str(node.this).upper()[:20]
    if isinstance(node, exp.Create | exp.Drop) and node.args.get("kind"):
        return f"{type(node).__name__.upper()} {str(node.args['kind']).upper()}"[:40]
    if isinstance(node, exp.Into):
        return "SELECT ... INTO"
    return type(node).__name__.upper()
