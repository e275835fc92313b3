"""The catalog matches the store's views column by column, and the docs match the catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import UnknownColumn
from querygen.catalog import load_catalog
from querygen.catalog_doc import render_markdown
from querygen.spec import Filter, Op, QuerySpec, Related
from store import FindingsStore
from tests.conftest import REPO

_FAMILY = {"INTEGER": "BIGINT", "SMALLINT": "BIGINT"}


def _normal(duckdb_type: str) -> str:
    return _FAMILY.get(duckdb_type, duckdb_type).replace('"', "")


def test_catalog_matches_every_view(tmp_path: Path) -> None:
    catalog = load_catalog()
    with FindingsStore(tmp_path / "s.duckdb") as store:
        con = store._con
        views = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        }
        assert views == set(catalog.views)
        for view in catalog.views.values():
            actual = {r[0]: _normal(r[1]) for r in con.execute(f"DESCRIBE {view.name}").fetchall()}
            declared = {c.name: _normal(c.duckdb_type) for c in view.columns.values()}
            assert actual == declared, view.name


def test_relations_point_at_real_columns() -> None:
    catalog = load_catalog()
    for view in catalog.views.values():
        for rel in view.relations.values():
            catalog.view(rel.view).column(rel.remote)


def test_check_spec_names_the_unknown_column() -> None:
    catalog = load_catalog()
    spec = QuerySpec(view="functions", conditions=[Filter(field="colour", op=Op.EQ, value="x")])
    with pytest.raises(UnknownColumn) as exc:
        catalog.check_spec(spec)
    assert exc.value.column == "colour"
    bad_related = QuerySpec(view="images", conditions=[Related(relation="permissions")])
    with pytest.raises(UnknownColumn, match="no relation"):
        catalog.check_spec(bad_related)


def test_docs_are_generated_from_the_catalog() -> None:
    doc = REPO / "docs" / "semantic-views.md"
    assert doc.read_text(encoding="utf-8") == render_markdown(load_catalog()), (
        "docs/semantic-views.md is stale: run `posture catalog --markdown > docs/semantic-views.md`"
    )
