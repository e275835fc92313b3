"""Framework mappings: framework -> control -> the checks (finding types) that fail it.

Mappings are package data (``compliance/frameworks/*.json`` and ``compliance/checks.json``)
so an auditor can read and diff them without reading Python; pydantic validates them on
load, and every control's checks must exist in the check registry.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from core.errors import ValidationFailed
from core.models import ResourceKind, Source

__all__ = [
    "CheckDef",
    "CheckRegistry",
    "Control",
    "Framework",
    "framework_ids",
    "load_checks",
    "load_framework",
    "resolve_framework",
]

CheckId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$", max_length=128)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
_ALIASES = {
    "cis": "cis",
    "soc2": "soc2",
    "soc 2": "soc2",
    "soc-2": "soc2",
    "iso": "iso27001",
    "iso27001": "iso27001",
    "iso 27001": "iso27001",
    "iso-27001": "iso27001",
    "iso/iec 27001": "iso27001",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class CheckDef(_Frozen):
    """One check: a finding type, what it applies to and which platforms can report it."""

    title: Text
    resource_kinds: tuple[ResourceKind, ...]  # empty: an account-level check
    sources: tuple[Source, ...]  # empty: no connector reports it yet
    references: tuple[str, ...] = ()
    fix: Text | None = None  # how to make the check pass, for ticket drafts (our own words)


class CheckRegistry(_Frozen):
    source: Annotated[str, StringConstraints(min_length=20)]
    checks: dict[CheckId, CheckDef]
    unmapped: dict[CheckId, Text] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _disjoint(self) -> Self:
        both = set(self.checks) & set(self.unmapped)
        if both:
            raise ValueError(f"checks both mapped and unmapped: {sorted(both)}")
        return self


class Control(_Frozen):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.\-]*$", max_length=32)]
    title: Text
    description: Text
    section: str | None = None
    checks: tuple[CheckId, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct_checks(self) -> Self:
        if len(set(self.checks)) != len(self.checks):
            raise ValueError(f"control {self.id} lists a check twice")
        return self


class Framework(_Frozen):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+$")]
    name: Text
    version: Text
    source: Annotated[str, StringConstraints(min_length=20)]
    controls: tuple[Control, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        ids = [c.id for c in self.controls]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate control ids: {dupes}")
        return self

    def control(self, control_id: str) -> Control:
        for control in self.controls:
            if control.id == control_id:
                return control
        raise KeyError(control_id)

    @property
    def check_ids(self) -> set[str]:
        return {c for control in self.controls for c in control.checks}


def _read(name: str) -> str:
    return resources.files("compliance").joinpath(name).read_text(encoding="utf-8")


@cache
def load_checks() -> CheckRegistry:
    """The check registry (cached: it is package data)."""
    return CheckRegistry.model_validate(json.loads(_read("checks.json")))


def framework_ids() -> list[str]:
    """The frameworks shipped as package data, sorted."""
    folder = resources.files("compliance").joinpath("frameworks")
    names = (e.name for e in folder.iterdir())
    return sorted(n.removesuffix(".json") for n in names if n.endswith(".json"))


def resolve_framework(name: str) -> str:
    """Turn what a user typed ("SOC 2", "iso") into a framework id.

    Raises:
        ValidationFailed: not a framework we ship.
    """
    key = _ALIASES.get(name.strip().lower())
    if key is None or key not in framework_ids():
        known = ", ".join(framework_ids())
        raise ValidationFailed(
            f"'{name}' is not a compliance framework; the frameworks are {known}.",
            remediation=f"Use one of: {known}.",
        )
    return key


@cache
def load_framework(name: str) -> Framework:
    """Load and validate one framework, checking its checks against the registry.

    Raises:
        ValidationFailed: unknown framework, or a control names a check the registry lacks.
    """
    framework_id = resolve_framework(name)
    framework = Framework.model_validate(json.loads(_read(f"frameworks/{framework_id}.json")))
    unknown = framework.check_ids - set(load_checks().checks)
    if unknown:
        raise ValidationFailed(
            f"{framework_id}.json names checks the registry lacks: {sorted(unknown)}"
        )
    return framework
