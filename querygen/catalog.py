"""The semantic catalog, loaded from ``catalog.yaml`` and validated on load.

Everything that needs to know what the query surface holds reads a ``Catalog``: the
parser's lexicon, Claude's schema prompt, the guard's allow-list, the help text, the
native filter field maps.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.errors import UnknownColumn
from querygen.spec import AnyOf, Condition, Filter, QuerySpec, Related

__all__ = ["Catalog", "Column", "ColumnType", "Relation", "View", "load_catalog"]

ColumnType = Literal["text", "int", "float", "bool", "timestamp", "text[]", "struct[]", "map"]

_DUCKDB_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "timestamp": "TIMESTAMP",
    "text[]": "VARCHAR[]",
    "struct[]": "STRUCT(name VARCHAR, points DOUBLE, detail VARCHAR)[]",
    "map": "MAP(VARCHAR, VARCHAR)",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Column(_Frozen):
    name: str
    type: ColumnType
    description: str
    synonyms: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    unit: str | None = None

    @property
    def duckdb_type(self) -> str:
        return _DUCKDB_TYPES[self.type]


class Relation(_Frozen):
    name: str
    view: str
    local: str
    remote: str
    description: str


class View(_Frozen):
    name: str
    description: str
    synonyms: tuple[str, ...] = ()
    key: str
    name_column: str
    default_columns: tuple[str, ...]
    columns: dict[str, Column]
    relations: dict[str, Relation] = Field(default_factory=dict)

    def column(self, name: str) -> Column:
        try:
            return self.columns[name]
        except KeyError:
            raise UnknownColumn(f"'{name}' is not a column of {self.name}.", column=name) from None

    @model_validator(mode="after")
    def _references_exist(self) -> View:
        for name in (self.key, self.name_column, *self.default_columns):
            self.column(name)
        for rel in self.relations.values():
            self.column(rel.local)
        return self


class Catalog(_Frozen):
    views: dict[str, View]

    def view(self, name: str) -> View:
        try:
            return self.views[name]
        except KeyError:
            known = ", ".join(sorted(self.views))
            raise UnknownColumn(
                f"'{name}' is not a view; the views are {known}.", column=name
            ) from None

    def relation(self, view: str, name: str) -> tuple[Relation, View]:
        """A relation declared on ``view`` and the view it leads to."""
        rel = self.view(view).relations.get(name)
        if rel is None:
            raise UnknownColumn(f"{view} has no relation '{name}'.", column=name)
        return rel, self.view(rel.view)

    def mapping_schema(self) -> dict[str, dict[str, str]]:
        """``{view: {column: duckdb type}}`` for sqlglot's ``MappingSchema``."""
        return {
            v.name: {c.name: c.duckdb_type for c in v.columns.values()} for v in self.views.values()
        }

    def check_spec(self, spec: QuerySpec) -> None:
        """Raise ``UnknownColumn`` for any view, column or relation the spec names wrongly."""
        view = self.view(spec.view)
        self._check_conditions(view, spec.conditions)
        names = [*(spec.columns or []), *spec.group_by]
        if spec.time_window:
            names.append(spec.time_window.field)
        if spec.aggregate and spec.aggregate.field:
            names.append(spec.aggregate.field)
        names += [o.field for o in spec.order_by if o.field != "value"]
        for name in names:
            view.column(name)

    def _check_conditions(self, view: View, conditions: list[Condition]) -> None:
        for cond in conditions:
            if isinstance(cond, Filter):
                view.column(cond.field)
            elif isinstance(cond, AnyOf):
                self._check_conditions(view, cond.conditions)
            elif isinstance(cond, Related):
                _, target = self.relation(view.name, cond.relation)
                self._check_conditions(target, cond.conditions)


def _normalise(raw: dict[str, Any]) -> dict[str, Any]:
    views = {}
    for name, body in raw["views"].items():
        columns = {c: {"name": c, **spec} for c, spec in body.pop("columns").items()}
        relations = {r: {"name": r, **spec} for r, spec in (body.pop("relations") or {}).items()}
        views[name] = {"name": name, **body, "columns": columns, "relations": relations}
    return {"views": views}


@cache
def load_catalog() -> Catalog:
    """The packaged catalog (parsed once per process)."""
    text = resources.files("querygen").joinpath("catalog.yaml").read_text(encoding="utf-8")
    return Catalog.model_validate(_normalise(yaml.safe_load(text)))
