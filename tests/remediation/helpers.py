"""Hand-built fix contexts and the path to the shared real data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from remediation.context import Artifacts, FindingRow, FixContext, ResourceRow

REALDATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "realdata"


def make_ctx(
    ftype: str,
    *,
    kind: str = "function",
    title: str = "a finding",
    artifacts: Artifacts | None = None,
    **context: Any,
) -> FixContext:
    """A context for ``ftype`` whose resource row takes ``resource=dict(...)``."""
    resource = {"resource_id": "r-1", "name": "fn", **context.pop("resource", {})}
    finding = FindingRow(
        finding_id="wiz:f-1",
        source="wiz",
        type=ftype,
        category="x",
        title=title,
        severity="high",
        resource_id="r-1",
        resource_kind=kind,
        cloud=resource.get("cloud", "aws"),
    )
    return FixContext(
        finding=finding,
        resource=ResourceRow(**resource),
        artifacts=artifacts or Artifacts(),
        **context,
    )


def real(relative: str) -> str:
    path = REALDATA / relative
    if not path.is_file():
        import pytest

        pytest.skip(f"{path} is not beside the repo")
    return path.read_text()
