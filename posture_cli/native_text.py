"""`posture ask --as wiz|prisma|lacework`: the question as the platform's own filter."""

from __future__ import annotations

import json

from core.errors import QueryRejected
from pipeline import Answer
from querygen.catalog import load_catalog
from querygen.native import compile_native

__all__ = ["native_filter_text"]

PLATFORMS = ("wiz", "prisma", "lacework")


def native_filter_text(answer: Answer, platform: str) -> str:
    """The filter as text, or one line saying why the platform cannot express it.

    Raises:
        QueryRejected: the platform is not one we know, or the question was not read.
    """
    if platform not in PLATFORMS:
        raise QueryRejected(
            f"Unknown platform '{platform}'.", remediation=f"Use one of: {', '.join(PLATFORMS)}."
        )
    if answer.spec is None:
        raise QueryRejected(f"The question was not read as a query: {answer.summary}")
    native = compile_native(answer.spec, load_catalog(), platform)
    parts = [f"{native.platform} {native.kind}: {native.endpoint}"]
    if native.query:
        parts.append(native.query)
    if native.variables:
        parts.append("variables: " + json.dumps(native.variables, indent=2))
    if native.body:
        parts.append("body: " + json.dumps(native.body, indent=2))
    parts += [f"note: {n}" for n in native.notes]
    return "\n".join(parts)
