"""Concepts -> conditions: one concept ("public", "severity=critical") per view it fits.

A concept is a list of templates tried in order; the first whose column the view has
wins. So "public" is ``is_public`` on functions and ``runs_public`` on images, and "PII"
is ``has_pii`` where that exists and ``data_classes contains 'PII'`` elsewhere. When no
template fits the target view the attach rules try the related views (``attach.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from querygen.catalog import View
from querygen.spec import AnyOf, Condition, Filter, Op, Scalar

__all__ = ["AnyT", "FT", "Template", "home_of", "negate", "resolve", "templates_for"]


@dataclass(frozen=True, slots=True)
class FT:
    """A filter template; ``views`` limits it to some views (a name column is everywhere)."""

    field: str
    op: Op
    value: Scalar | tuple[Scalar, ...] | None = None
    views: frozenset[str] | None = None

    def fits(self, view: View) -> bool:
        return self.field in view.columns and (self.views is None or view.name in self.views)

    def build(self) -> Filter:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return Filter(field=self.field, op=self.op, value=value)


@dataclass(frozen=True, slots=True)
class AnyT:
    """An OR of filter templates that must all fit the same view."""

    parts: tuple[FT, ...]


Template = FT | AnyT

T, F = Op.IS_TRUE, Op.IS_FALSE


def _data(cls: str) -> tuple[Template, ...]:
    return (
        FT(f"has_{cls.lower()}", T),
        FT("data_classes", Op.CONTAINS, cls),
        FT("to_data_classes", Op.CONTAINS, cls),
    )


FLAGS: dict[str, tuple[Template, ...]] = {
    "public": (FT("is_public", T), FT("runs_public", T)),
    "pii": _data("PII"),
    "pci": _data("PCI"),
    "phi": _data("PHI"),
    "deprecated_runtime": (FT("runtime_deprecated", T),),
    "admin": (FT("role_is_admin", T), FT("is_admin", T)),
    "privileged": (FT("privileged", T),),
    "root": (FT("runs_as_root", T),),
    "host_path": (FT("mounts_host_path", T),),
    "resource_limits": (FT("has_resource_limits", T),),
    "provisioned_concurrency": (FT("has_provisioned_concurrency", T),),
    "authorizer": (FT("has_authorizer", T),),
    "encrypted": (FT("encrypted", T),),
    "versioning": (FT("versioning", T),),
    "kev": (FT("in_kev", T),),
    "exploit": (FT("exploit_available", T),),
    "known_exploit": (AnyT((FT("in_kev", T), FT("exploit_available", T))),),
    "fix": (FT("fix_available", T),),
    "unused": (FT("unused_actions", Op.GT, 0), FT("used", F)),
    "wildcard": (FT("is_wildcard", T),),
}

_HOMES = {
    "vulnerabilities": (
        "cve_id",
        "package",
        "kev",
        "exploit",
        "known_exploit",
        "fix",
        "epss",
        "cvss_score",
        "package_type",
    ),
    "findings": ("category", "type", "source"),
    "permissions": ("wildcard", "unused", "admin", "action"),
}
_HOME = {key: view for view, keys in _HOMES.items() for key in keys}
_NAME_FIELDS = {
    "function": "function_name",
    "image": "image_name",
    "workload": "workload_name",
    "role": "role_name",
}
_KIND_VIEWS = {
    "function": "functions",
    "image": "images",
    "workload": "workloads",
    "container": "containers",
    "role": "roles",
    "trigger": "triggers",
    "bucket": "buckets",
}


def home_of(concept: str) -> str | None:
    """The view a concept belongs to when the target lacks it ("kev" -> vulnerabilities)."""
    return _HOME.get(concept.split("=", 1)[0])


def templates_for(concept: str) -> tuple[Template, ...]:
    """The templates of a concept id: a flag, ``field=value``, ``flag:a|b`` or ``name:kind=x``."""
    if concept.startswith("flag:"):
        return tuple(FT(c, T) for c in concept[5:].split("|"))
    if concept.startswith("name:"):
        kind, value = concept[5:].split("=", 1)
        return _name_templates(kind, value)
    if "=" in concept:
        field, value = concept.split("=", 1)
        return _value_templates(field, value)
    return FLAGS.get(concept, ())


def _value_templates(field: str, value: str) -> tuple[Template, ...]:
    if field == "environment":
        extra = (FT("runs_in_prod", T),) if value == "prod" else ()
        return (FT(field, Op.EQ, value), *extra, FT("running_environments", Op.CONTAINS, value))
    if field == "source":
        return FT(field, Op.EQ, value), FT("sources", Op.CONTAINS, value)
    if field == "package":
        if value.lower() == "openssl":
            return (AnyT((FT(field, Op.CONTAINS, "openssl"), FT(field, Op.CONTAINS, "libssl"))),)
        return (FT(field, Op.CONTAINS, value),)
    if field == "wildcard":
        actions = (f"{value}:*", "*:*", "*") if value not in ("*", "*:*") else ("*:*", "*")
        return (
            FT("role_wildcard_actions", Op.IN, actions),
            FT("wildcard_actions", Op.IN, actions),
            FT("action", Op.IN, actions),
        )
    if field == "kind":
        kinds = tuple(value.split(","))
        op, val = (Op.EQ, kinds[0]) if len(kinds) == 1 else (Op.IN, kinds)
        return FT("resource_kind", op, val), FT("kind", op, val), FT("from_kind", op, val)
    return (FT(field, Op.EQ, value),)


def _name_templates(kind: str, value: str) -> tuple[Template, ...]:
    """A named resource: its own view's name, a pointer column elsewhere, else resource_name."""
    if kind in ("namespace", "cluster", "region", "account", "team"):
        return (FT(kind, Op.EQ, value),)
    own = frozenset({_KIND_VIEWS[kind], "resources"}) if kind in _KIND_VIEWS else None
    templates: list[FT] = [FT("name", Op.EQ, value, own)]
    if kind in _NAME_FIELDS:
        templates.append(FT(_NAME_FIELDS[kind], Op.EQ, value))
    templates += [FT("resource_name", Op.EQ, value), FT("from_name", Op.EQ, value)]
    if kind not in _KIND_VIEWS:
        templates += [
            FT(f, Op.EQ, value)
            for f in ("function_name", "image_name", "workload_name", "role_name")
        ]
    return tuple(templates)


def resolve(templates: tuple[Template, ...], view: View) -> Condition | None:
    """The first template that fits the view, built; None when none fits."""
    for template in templates:
        if isinstance(template, FT):
            if template.fits(view):
                return template.build()
        elif all(part.fits(view) for part in template.parts):
            return AnyOf(conditions=[part.build() for part in template.parts])
    return None


_FLIP = {
    Op.EQ: Op.NE,
    Op.NE: Op.EQ,
    Op.IN: Op.NOT_IN,
    Op.NOT_IN: Op.IN,
    Op.CONTAINS: Op.NOT_CONTAINS,
    Op.NOT_CONTAINS: Op.CONTAINS,
    Op.IS_TRUE: Op.IS_FALSE,
    Op.IS_FALSE: Op.IS_TRUE,
    Op.GT: Op.LTE,
    Op.LTE: Op.GT,
    Op.GTE: Op.LT,
    Op.LT: Op.GTE,
    Op.IS_NULL: Op.NOT_NULL,
    Op.NOT_NULL: Op.IS_NULL,
}


def negate(cond: Condition) -> list[Condition]:
    """The condition's negation as conditions to AND (De Morgan for an OR group).

    >>> negate(Filter(field="is_public", op="is_true"))
    [Filter(kind='filter', field='is_public', op=<Op.IS_FALSE: 'is_false'>, value=None)]
    """
    if isinstance(cond, Filter):
        return [Filter(field=cond.field, op=_FLIP[cond.op], value=cond.value)]
    if isinstance(cond, AnyOf):
        return [n for part in cond.conditions for n in negate(part)]
    return [cond.model_copy(update={"negate": not cond.negate})]
