"""Field maps: which platform field answers which catalog column, and how values translate.

Each platform module declares ``FIELD_MAPS: {view: {column: FieldMap}}``. Enum columns
carry a translation from our values (the catalog's ``values``) to the platform's and the
platform's full enum, so a translated value is checked before it is emitted, in the
manner of cloud-custodian's ``ValueFilter.validate``. ``validate_maps`` checks a whole
map against the catalog; the tests run it for every platform.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from querygen.catalog import Catalog
from querygen.native.base import Cond, NotExpressible
from querygen.spec import Op

__all__ = [
    "SEVERITY_ORDER",
    "FieldKind",
    "FieldMap",
    "Translation",
    "bool_value",
    "by_column",
    "drop_own_source",
    "enum_map",
    "enum_members",
    "int_bound",
    "translate",
    "validate_maps",
]

Translation = Mapping[str, tuple[str, ...]]
FieldKind = Literal["enum", "bool", "string", "list", "number", "date"]

# Our severities, lowest first: the order behind severity >= high.
SEVERITY_ORDER: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
_ORDINAL: dict[str, tuple[str, ...]] = {"severity": SEVERITY_ORDER}


@dataclass(frozen=True)
class FieldMap:
    """One catalog column as a platform filter field.

    ``target`` is the platform's field name or path; ``values`` maps our enum values to
    the platform's (a value missing from it has no native equivalent); ``allowed`` is the
    platform's whole enum; ``ops`` lists the operators the platform field accepts.
    """

    column: str
    target: str
    kind: FieldKind
    values: Translation = field(default_factory=dict)
    allowed: frozenset[str] = frozenset()
    ops: frozenset[Op] = frozenset()


def enum_map(
    column: str, target: str, values: Translation, allowed: Iterable[str] | None = None
) -> FieldMap:
    """An enum column's map; ``allowed`` defaults to the values the translation yields."""
    everything = allowed if allowed is not None else (v for vs in values.values() for v in vs)
    return FieldMap(column, target, "enum", values, frozenset(everything))


def by_column(conds: Iterable[Cond]) -> dict[str, list[Cond]]:
    """Conditions grouped by column, in first-seen order."""
    grouped: dict[str, list[Cond]] = {}
    for cond in conds:
        grouped.setdefault(cond.field, []).append(cond)
    return grouped


def enum_members(
    conds: list[Cond], domain: tuple[str, ...], platform: str
) -> tuple[str, ...] | None:
    """The catalog values of an enum column that satisfy every condition on it.

    Returns None when every value qualifies (the platform needs no filter).

    Raises:
        NotExpressible: a value outside the column's values, an operator an enum has no
            meaning for, or conditions that together match nothing.
    """
    if not conds:
        return None
    column = conds[0].field
    keep = set(domain)
    for cond in conds:
        keep &= _members_of(cond, domain, platform)
    if not keep:
        raise NotExpressible(platform, f"conditions on {column} that match no value")
    if keep == set(domain):
        return None
    return tuple(v for v in domain if v in keep)


def _members_of(cond: Cond, domain: tuple[str, ...], platform: str) -> set[str]:
    values = cond.value if isinstance(cond.value, list) else [cond.value]
    for value in values:
        if cond.value is not None and value not in domain:
            allowed = ", ".join(domain)
            raise NotExpressible(platform, f"{cond.field} '{value}' (values: {allowed})")
    if cond.op in (Op.EQ, Op.IN):
        return set(values)
    if cond.op in (Op.NE, Op.NOT_IN):
        return set(domain) - set(values)
    order = _ORDINAL.get(cond.field)
    if order is None or cond.op not in (Op.GT, Op.GTE, Op.LT, Op.LTE):
        raise NotExpressible(platform, f"{cond.field} {cond.op.value}")
    rank = order.index(cond.value)
    checks = {
        Op.GT: lambda r: r > rank,
        Op.GTE: lambda r: r >= rank,
        Op.LT: lambda r: r < rank,
        Op.LTE: lambda r: r <= rank,
    }
    return {v for v in domain if checks[cond.op](order.index(v))}


def translate(fmap: FieldMap, members: tuple[str, ...], platform: str) -> list[str]:
    """Our enum values as the platform's, each checked against the platform's enum.

    Raises:
        NotExpressible: a value with no platform equivalent.
        ValueError: a translation outside the platform's enum (a bug in the map).
    """
    out: list[str] = []
    for value in members:
        native = fmap.values.get(value)
        if native is None:
            raise NotExpressible(platform, f"{fmap.column} = '{value}' (no {fmap.target} value)")
        for item in native:
            if item not in fmap.allowed:
                raise ValueError(f"{fmap.target}: {item!r} is not in the platform's enum")
            if item not in out:
                out.append(item)
    return out


def bool_value(conds: list[Cond], platform: str) -> bool:
    """The one boolean every condition on a bool column agrees on.

    Raises:
        NotExpressible: an operator a boolean filter lacks, or conditions that disagree.
    """
    wanted: set[bool] = set()
    for cond in conds:
        if cond.op is Op.IS_TRUE or (cond.op is Op.EQ and cond.value is True):
            wanted.add(True)
        elif cond.op is Op.IS_FALSE or (cond.op is Op.EQ and cond.value is False):
            wanted.add(False)
        elif cond.op is Op.NE and isinstance(cond.value, bool):
            wanted.add(not cond.value)
        else:
            raise NotExpressible(platform, f"{cond.field} {cond.op.value}")
    if len(wanted) != 1:
        raise NotExpressible(platform, f"conditions on {conds[0].field} that match nothing")
    return wanted.pop()


def int_bound(cond: Cond) -> tuple[Literal["gt", "lt", "eq", "ne"], Any] | None:
    """A comparison as strict gt/lt or eq/ne, exact for integers; None when it cannot be.

    ``>= 512`` on an integer column is ``> 511``; on a float column it has no strict
    equivalent, which is what platforms with only greaterThan/lessThan offer.
    """
    strict: dict[Op, Literal["gt", "lt", "eq", "ne"]] = {
        Op.GT: "gt",
        Op.LT: "lt",
        Op.EQ: "eq",
        Op.NE: "ne",
    }
    if cond.op in strict:
        return strict[cond.op], cond.value
    if isinstance(cond.value, bool) or not isinstance(cond.value, int):
        return None
    if cond.op is Op.GTE:
        return "gt", cond.value - 1
    if cond.op is Op.LTE:
        return "lt", cond.value + 1
    return None


def drop_own_source(conds: list[Cond], domain: tuple[str, ...], platform: str) -> list[Cond]:
    """The conditions without those on ``source``, which must select exactly ``platform``.

    A platform's API only holds its own findings, so ``source = 'wiz'`` needs no filter
    on Wiz, and any other source cannot be asked of it.

    Raises:
        NotExpressible: the conditions on source select another platform.
    """
    on_source = [c for c in conds if c.field == "source"]
    if on_source:
        members = enum_members(on_source, domain, platform)
        if members is not None and tuple(members) != (platform,):
            raise NotExpressible(platform, f"findings from {', '.join(members)}")
    return [c for c in conds if c.field != "source"]


def validate_maps(catalog: Catalog, maps: Mapping[str, Mapping[str, FieldMap]]) -> list[str]:
    """Every problem with a platform's field maps, checked against the catalog.

    A mapped column must exist in its view; an enum map may only translate values the
    catalog allows, into values of the platform's enum.
    """
    problems: list[str] = []
    for view_name, columns in maps.items():
        view = catalog.views.get(view_name)
        if view is None:
            problems.append(f"{view_name}: not a catalog view")
            continue
        for name, fmap in columns.items():
            column = view.columns.get(name)
            if column is None or fmap.column != name:
                problems.append(f"{view_name}.{name}: not a catalog column")
                continue
            if fmap.kind != "enum":
                continue
            for ours, native in fmap.values.items():
                if ours not in column.values:
                    problems.append(f"{view_name}.{name}: '{ours}' is not a catalog value")
                problems += [
                    f"{view_name}.{name}: '{item}' is not in {fmap.target}'s enum"
                    for item in native
                    if item not in fmap.allowed
                ]
    return problems


# --- Wiz enums and translations -------------------------------------------------------
# Enums from Wiz's GraphQL schema (introspection SDL), as vendored at
# https://github.com/ArcavenAE/stave/blob/main/spec/wiz-schema.graphql: Severity,
# IssueStatus, FindingCommonStatus, VulnerabilitySeverity, CloudPlatform, Environment,
# IssueType, VulnerableAssetObjectType; the GraphEntityTypeValue members used are those
# listed in VulnerabilityReportGraphEntityType. Issue severities and statuses match the
# real response in shared/realdata/cnapp-api/wiz/graphql-issues-response.json.
WIZ_SEVERITIES = frozenset("CRITICAL HIGH MEDIUM LOW INFORMATIONAL".split())
WIZ_VULN_SEVERITIES = frozenset("CRITICAL HIGH MEDIUM LOW NONE".split())
WIZ_ISSUE_STATUSES = frozenset("OPEN IN_PROGRESS RESOLVED REJECTED".split())
WIZ_FINDING_STATUSES = WIZ_ISSUE_STATUSES
WIZ_ISSUE_TYPES = frozenset(
    "ATTACK_SURFACE CLOUD_CONFIGURATION RISK_TOXIC_COMBINATION THREAT_DETECTION "
    "TOXIC_COMBINATION".split()
)
WIZ_ENVIRONMENTS = frozenset("DEVELOPMENT OTHER PRODUCTION STAGING TESTING".split())
WIZ_CLOUD_PLATFORM = frozenset(
    "ACK AKS AWS Akamai Alibaba Anthropic AnthropicConsole Atlassian Azure AzureDevOps "
    "Backstage Bitbucket BitbucketCloud CensysAsm CheckPointSmartOneCloud CircleCI Cloudflare "
    "Crusoe Databricks DigitalOcean EKS GCP GKE GenericDB GitHub GitLab GoogleWorkspace IBM "
    "Jenkins Kong Kubernetes LKE Linode Microsoft365 MicrosoftPowerPlatform MongoDBAtlas "
    "MuleSoft Nebius OCI OKE OVHCloud Okta OpenAI OpenShift OpenStack Salesforce SelfHosted "
    "ServiceNow Slack Snowflake Spacelift TencentCloud Terraform Unknown Vercel Wiz vSphere".split()
)
WIZ_ASSET_TYPES = frozenset(
    "ARTIFACT BUCKET COMPUTE_INSTANCE_GROUP CONTAINER CONTAINER_IMAGE DATABASE DATA_WORKFLOW "
    "DATA_WORKLOAD DB_SERVER ENDPOINT IDE KUBERNETES_CLUSTER MAP_REDUCE_CLUSTER "
    "MESSAGING_SERVICE NETWORK_ADDRESS NETWORK_APPLIANCE REPOSITORY REPOSITORY_BRANCH "
    "SERVERLESS VIRTUAL_MACHINE VIRTUAL_MACHINE_IMAGE WEB_SERVICE WORKSTATION".split()
)
WIZ_ENTITY_TYPES = frozenset(
    "BUCKET COMPUTE_INSTANCE_GROUP CONTAINER CONTAINER_IMAGE DATABASE DATA_WORKFLOW "
    "DATA_WORKLOAD DB_SERVER ENDPOINT KUBERNETES_CLUSTER MAP_REDUCE_CLUSTER MESSAGING_SERVICE "
    "NETWORK_ADDRESS REPOSITORY_BRANCH SERVERLESS VIRTUAL_MACHINE VIRTUAL_MACHINE_IMAGE "
    "WEB_SERVICE".split()
)
WIZ_SEVERITY: Translation = {
    "critical": ("CRITICAL",),
    "high": ("HIGH",),
    "medium": ("MEDIUM",),
    "low": ("LOW",),
    "info": ("INFORMATIONAL",),
}
# Vulnerability severity has no informational level; NONE is Wiz's "no severity".
WIZ_VULN_SEVERITY: Translation = {**WIZ_SEVERITY, "info": ("NONE",)}
# IN_PROGRESS is still open: being worked on, not resolved.
WIZ_STATUS: Translation = {
    "open": ("OPEN", "IN_PROGRESS"),
    "resolved": ("RESOLVED",),
    "suppressed": ("REJECTED",),
}
WIZ_CLOUD: Translation = {"aws": ("AWS",), "azure": ("Azure",), "gcp": ("GCP",)}
WIZ_SERVICE: Translation = {
    "AWS Lambda": ("AWS",),
    "Azure Functions": ("Azure",),
    "Google Cloud Functions": ("GCP",),
}
WIZ_ENVIRONMENT: Translation = {
    "prod": ("PRODUCTION",),
    "staging": ("STAGING",),
    "dev": ("DEVELOPMENT",),
}
WIZ_ENTITY_TYPE: Translation = {
    "function": ("SERVERLESS",),
    "image": ("CONTAINER_IMAGE",),
    "container": ("CONTAINER",),
    "bucket": ("BUCKET",),
}
WIZ_ASSET_TYPE: Translation = {"function": ("SERVERLESS",), "image": ("CONTAINER_IMAGE",)}
# Only runtime threats map one to one; Wiz's control issues mix our other categories.
WIZ_ISSUE_TYPE: Translation = {"runtime_threat": ("THREAT_DETECTION",)}

# --- Prisma Cloud enums and translations ----------------------------------------------
# Alert status, cloud.type and policy.type from the CSPM alerts OpenAPI
# (https://pan.dev/prisma-cloud/api/cspm/alerts, file prisma-cspm-alerts-openapi.json in
# shared/realdata). Policy severity: that OpenAPI lists high/medium/low only; critical
# and informational are the 2023 additions (see the policy schema summarised at
# https://apis.io/schemas/palo-alto-networks/prisma-cloud-policy/). Compute resource
# types and risk factors from the Compute OpenAPI 34.04 (vuln.ResourceType,
# vulnerability.RiskFactor), prisma-compute-openapi-34.04.json in shared/realdata.
PRISMA_SEVERITIES = frozenset("critical high medium low informational".split())
PRISMA_SEVERITY: Translation = {v: (v,) for v in ("critical", "high", "medium", "low")} | {
    "info": ("informational",)
}
PRISMA_ALERT_STATUSES = frozenset("open dismissed snoozed resolved pending_resolution".split())
PRISMA_ALERT_STATUS: Translation = {
    "open": ("open",),
    "resolved": ("resolved",),
    "suppressed": ("dismissed", "snoozed"),
}
PRISMA_CLOUD_TYPES = frozenset("aws azure gcp alibaba_cloud oci ibm".split())
PRISMA_CLOUD: Translation = {"aws": ("aws",), "azure": ("azure",), "gcp": ("gcp",)}
PRISMA_POLICY_TYPES = frozenset(
    "config network audit_event anomaly data iam workload_vulnerability workload_incident api "
    "attack_path malware grayware".split()
)
PRISMA_POLICY_TYPE: Translation = {
    "misconfiguration": ("config",),
    "permissions": ("iam",),
    "vulnerability": ("workload_vulnerability",),
    "runtime_threat": ("workload_incident",),
}
PRISMA_RESOURCE_TYPES = frozenset("container image host istio vm function registryImage".split())
PRISMA_RESOURCE_TYPE: Translation = {"image": ("image",), "function": ("function",)}
PRISMA_RISK_FACTORS = frozenset(
    "Critical severity|High severity|Medium severity|Has fix|Remote execution|DoS - Low|"
    "DoS - High|Recent vulnerability|Exploit exists - in the wild|Exploit exists - POC|"
    "Attack complexity: low|Attack vector: network|Reachable from the internet|Listening ports|"
    "Container is running as root|No mandatory security profile applied|"
    "Running as privileged container|Package in use|Sensitive information|Root mount|"
    "Runtime socket|Host access".split("|")
)

# --- Lacework enums and translations --------------------------------------------------
# From the Lacework API 2.0 docs (https://docs.lacework.net/api/v2/docs, Alerts and
# Vulnerabilities) and the real responses in shared/realdata/cnapp-api/lacework/.
LW_SEVERITIES = frozenset("Critical High Medium Low Info".split())
LW_SEVERITY: Translation = {
    v: (v.capitalize(),) for v in ("critical", "high", "medium", "low", "info")
}
LW_ALERT_STATUSES = frozenset(("Open", "Closed"))
LW_ALERT_STATUS: Translation = {"open": ("Open",), "resolved": ("Closed",)}
LW_VULN_STATUSES = frozenset(("VULNERABLE", "EXCEPTION"))
LW_VULN_STATUS: Translation = {"open": ("VULNERABLE",), "suppressed": ("EXCEPTION",)}
