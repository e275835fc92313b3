"""Golden outputs: the same questions compiled for Wiz, Prisma Cloud and Lacework.

Each fixture holds a spec and either the expected ``NativeFilter`` or the expected
``NotExpressible`` message. After a deliberate change, rewrite them with
``UPDATE_NATIVE_GOLDEN=1 pytest tests/querygen/native`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from core.errors import QueryRejected, UnknownColumn
from querygen.catalog import load_catalog
from querygen.native.base import NativeFilter, NotExpressible, compile_native
from querygen.native.lacework import to_lacework
from querygen.native.prisma import to_prisma
from querygen.native.wiz import to_wiz
from querygen.spec import Filter, Op, QuerySpec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "querygen" / "native"
CASES = sorted(FIXTURES.glob("*/*.json"))
PLATFORMS = ("wiz", "prisma", "lacework")


def _compile(path: Path) -> dict[str, object]:
    case = json.loads(path.read_text(encoding="utf-8"))
    spec = QuerySpec.model_validate(case["spec"])
    out: dict[str, object] = {"description": case["description"], "spec": case["spec"]}
    try:
        native = compile_native(spec, load_catalog(), path.parent.name)
        out["expected"] = native.model_dump(mode="json")
    except NotExpressible as exc:
        out["error"] = exc.message
    return out


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden(path: Path) -> None:
    got = _compile(path)
    if os.environ.get("UPDATE_NATIVE_GOLDEN"):
        path.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    want = json.loads(path.read_text(encoding="utf-8"))
    assert got == want


@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_platform_has_enough_cases(platform: str) -> None:
    cases = [json.loads(p.read_text()) for p in CASES if p.parent.name == platform]
    refused = [c for c in cases if "error" in c]
    assert len(cases) >= 8
    assert len(refused) >= 3
    assert len(cases) - len(refused) >= 5


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_refusal_names_the_platform(platform: str) -> None:
    name = {"wiz": "Wiz", "prisma": "Prisma Cloud", "lacework": "Lacework"}[platform]
    for path in CASES:
        case = json.loads(path.read_text())
        if path.parent.name == platform and "error" in case:
            assert case["error"].startswith(f"not expressible in {name}: ")


def test_compile_native_dispatches_to_each_compiler() -> None:
    spec = QuerySpec(view="findings", conditions=[Filter(field="severity", op=Op.EQ, value="high")])
    catalog = load_catalog()
    assert compile_native(spec, catalog, "wiz") == to_wiz(spec, catalog)
    assert compile_native(spec, catalog, "prisma") == to_prisma(spec, catalog)
    spec = spec.model_copy(update={"time_window": _week()})
    assert compile_native(spec, catalog, "lacework") == to_lacework(spec, catalog)


def test_unknown_platform_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="orca"):
        compile_native(QuerySpec(view="findings"), load_catalog(), "orca")


def test_not_expressible_is_a_rejected_query_with_fields() -> None:
    spec = QuerySpec(view="functions", conditions=[Filter(field="memory_mb", op=Op.GT, value=512)])
    with pytest.raises(NotExpressible) as info:
        to_wiz(spec, load_catalog())
    assert isinstance(info.value, QueryRejected)
    assert info.value.platform == "wiz"
    assert "memory_mb" in info.value.what
    assert str(info.value).startswith("not expressible in Wiz: ")
    assert info.value.remediation


@pytest.mark.parametrize("compiler", [to_wiz, to_prisma, to_lacework])
def test_unknown_columns_fail_the_catalog_check_first(compiler) -> None:
    spec = QuerySpec(view="findings", conditions=[Filter(field="colour", op=Op.EQ, value="red")])
    with pytest.raises(UnknownColumn):
        compiler(spec, load_catalog())


def test_native_filter_is_frozen() -> None:
    native = NativeFilter(platform="wiz", kind="graphql", endpoint="POST /graphql")
    with pytest.raises(ValueError):
        native.endpoint = "elsewhere"  # type: ignore[misc]


def _week():
    from querygen.spec import TimeWindow

    return TimeWindow(
        field="first_seen", since="2024-06-03T00:00:00Z", until="2024-06-10T00:00:00Z"
    )
