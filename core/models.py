"""The findings model: what every source is normalised into before it reaches the store.

Vendor vocabulary stops at the connectors' mappers; from here on a Lambda seen by Wiz
and the same Lambda seen by Prisma Cloud are one ``Resource`` with one ``resource_id``.
Natural keys everywhere:

============== =================================================
model          natural key
============== =================================================
Resource       ``resource_id`` (a cloud ARN / URI, canonical)
Finding        ``(source, source_id)`` -> ``finding_id``
Vulnerability  ``(resource_id, cve_id, package, installed_version)``
Permission     ``(role_id, action, resource_pattern)``
Edge           ``(from_id, relation, to_id)``
============== =================================================

Internal models are frozen and forbid unknown fields, so a typo in a mapper fails
loudly instead of dropping data.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

__all__ = [
    "CVE_PATTERN",
    "BucketDetails",
    "Cloud",
    "ContainerDetails",
    "DataClass",
    "Edge",
    "EdgeRelation",
    "Environment",
    "Finding",
    "FindingCategory",
    "FindingStatus",
    "FunctionDetails",
    "ImageDetails",
    "Permission",
    "Resource",
    "ResourceKind",
    "RoleDetails",
    "Severity",
    "Source",
    "TriggerDetails",
    "Vulnerability",
    "WorkloadDetails",
    "vulnerability_key",
]


class Cloud(StrEnum):
    AWS = "aws"
    AZURE = "azure"
    GCP = "gcp"


class Environment(StrEnum):
    PROD = "prod"
    STAGING = "staging"
    DEV = "dev"


class ResourceKind(StrEnum):
    FUNCTION = "function"  # AWS Lambda, Azure Functions, Google Cloud Functions
    IMAGE = "image"  # a container image (registry/repository:tag@digest)
    WORKLOAD = "workload"  # a Kubernetes Deployment / StatefulSet / DaemonSet / Job
    CONTAINER = "container"  # a running container (a pod's container)
    ROLE = "role"  # an IAM role / managed identity / service account
    TRIGGER = "trigger"  # an API gateway route, function URL, HTTP trigger
    BUCKET = "bucket"  # S3 bucket, Azure storage container, GCS bucket


class DataClass(StrEnum):
    PII = "PII"
    PCI = "PCI"
    PHI = "PHI"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """4 for critical down to 0 for info, for ordering."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class FindingStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    SUPPRESSED = "suppressed"


class FindingCategory(StrEnum):
    VULNERABILITY = "vulnerability"
    MISCONFIGURATION = "misconfiguration"
    PERMISSIONS = "permissions"
    RUNTIME_THREAT = "runtime_threat"
    SECRET = "secret"
    COLD_START = "cold_start"


class Source(StrEnum):
    WIZ = "wiz"
    PRISMA = "prisma"
    LACEWORK = "lacework"
    ORCA = "orca"
    TRIVY = "trivy"
    PROWLER = "prowler"
    GRYPE = "grype"
    SECURITYHUB = "securityhub"  # AWS Security Hub findings (ASFF), whatever product raised them


class EdgeRelation(StrEnum):
    ASSUMES_ROLE = "assumes_role"  # function/workload -> role
    CAN_READ = "can_read"  # role -> bucket
    CAN_WRITE = "can_write"  # role -> bucket
    TRIGGERS = "triggers"  # trigger -> function
    RUNS_IMAGE = "runs_image"  # workload/container -> image
    INSTANCE_OF = "instance_of"  # container -> workload
    USES_SERVICE_ACCOUNT = "uses_service_account"  # workload -> role


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=2048)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=512)]
Tags = dict[Annotated[str, StringConstraints(max_length=256)], str]


class FunctionDetails(_Frozen):
    """What only a serverless function has."""

    runtime: Annotated[str, StringConstraints(pattern=r"^[a-z]+[0-9.]*(\.x)?$")]
    runtime_deprecated: bool = False
    memory_mb: int = Field(ge=64, le=32768)
    timeout_s: int = Field(ge=1, le=3600)
    package_size_mb: float = Field(ge=0, le=10240)
    invocations_30d: int = Field(ge=0)
    cold_start_p95_ms: int | None = Field(default=None, ge=0)
    provisioned_concurrency: int = Field(default=0, ge=0)
    role_id: str | None = None
    env_var_names: tuple[str, ...] = ()


class WorkloadDetails(_Frozen):
    """What only a Kubernetes workload has."""

    cluster: Name
    namespace: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    workload_type: str = "Deployment"
    image_id: str | None = None
    privileged: bool = False
    runs_as_root: bool = False
    host_paths: tuple[str, ...] = ()
    cpu_limit: str | None = None
    memory_limit: str | None = None
    service_account: str | None = None
    replicas: int = Field(default=1, ge=0)


class ContainerDetails(_Frozen):
    """A running container: one container of one pod of a workload."""

    cluster: Name
    namespace: str
    workload_id: str | None = None
    image_id: str | None = None
    node: str | None = None
    privileged: bool = False
    runs_as_root: bool = False
    started_at: datetime | None = None


class ImageDetails(_Frozen):
    """A container image; ``created_at`` is when it was built."""

    registry: Name
    repository: Name
    tag: str = "latest"
    digest: Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")] | None = None
    os: str | None = None
    created_at: datetime | None = None


class RoleDetails(_Frozen):
    """An identity that grants permissions (IAM role, managed identity, service account)."""

    managed_policies: tuple[str, ...] = ()
    trusted_by: tuple[str, ...] = ()


class TriggerDetails(_Frozen):
    """Something that invokes a function from outside: API route, function URL, HTTP trigger."""

    trigger_type: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]
    function_id: str | None = None
    auth_type: str = "NONE"  # NONE, AWS_IAM, COGNITO, JWT, LAMBDA_AUTHORIZER, FUNCTION_KEY, ...
    path: str | None = None

    @property
    def has_authorizer(self) -> bool:
        return self.auth_type.upper() != "NONE"


class BucketDetails(_Frozen):
    encrypted: bool = True
    versioning: bool = False


_DETAILS_BY_KIND: dict[ResourceKind, str] = {
    ResourceKind.FUNCTION: "function",
    ResourceKind.WORKLOAD: "workload",
    ResourceKind.CONTAINER: "container",
    ResourceKind.IMAGE: "image",
    ResourceKind.ROLE: "role",
    ResourceKind.TRIGGER: "trigger",
    ResourceKind.BUCKET: "bucket",
}


class Resource(_Frozen):
    """Anything a finding can be about.

    Exactly the details block that matches ``kind`` is set; the others stay ``None``.

    >>> Resource(resource_id="arn:aws:lambda:us-east-1:1:function:f", kind="function",
    ...          cloud="aws", name="f", function={"runtime": "python3.12", "memory_mb": 128,
    ...          "timeout_s": 3, "package_size_mb": 1, "invocations_30d": 0}).kind
    <ResourceKind.FUNCTION: 'function'>
    """

    resource_id: NonEmpty
    kind: ResourceKind
    cloud: Cloud
    account: str | None = None
    region: str | None = None
    name: Name
    environment: Environment | None = None
    owner_team: str | None = None
    tags: Tags = Field(default_factory=dict)
    is_public: bool = False
    exposure: str | None = None  # how it is reachable: "function URL (auth NONE)", "LoadBalancer"
    data_classes: tuple[DataClass, ...] = ()
    sources: tuple[Source, ...] = ()
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    function: FunctionDetails | None = None
    workload: WorkloadDetails | None = None
    container: ContainerDetails | None = None
    image: ImageDetails | None = None
    role: RoleDetails | None = None
    trigger: TriggerDetails | None = None
    bucket: BucketDetails | None = None

    @model_validator(mode="after")
    def _details_match_kind(self) -> Self:
        wanted = _DETAILS_BY_KIND[self.kind]
        if getattr(self, wanted) is None:
            raise ValueError(f"a {self.kind.value} resource needs its '{wanted}' details")
        extra = [f for f in _DETAILS_BY_KIND.values() if f != wanted and getattr(self, f)]
        if extra:
            raise ValueError(
                f"a {self.kind.value} resource cannot carry {', '.join(extra)} details"
            )
        if self.exposure and not self.is_public and self.exposure.lower().startswith("public"):
            raise ValueError("exposure says public but is_public is false")
        return self


_CVE = re.compile(r"^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|[A-Z]+-\d{4}-[\w-]+)$")
CVE_PATTERN = _CVE.pattern  # what a vulnerability id looks like (the columnar path reads it)


class Vulnerability(_Frozen):
    """One vulnerable package on one resource, whatever source reported it."""

    cve_id: Annotated[str, StringConstraints(pattern=_CVE.pattern)]
    package: Name
    package_type: str | None = None  # deb, rpm, apk, npm, pypi, maven, go, nuget, gem, ...
    installed_version: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    fixed_version: str | None = None
    cvss_score: float | None = Field(default=None, ge=0, le=10)
    cvss_vector: str | None = None
    epss: float | None = Field(default=None, ge=0, le=1)
    in_kev: bool = False
    exploit_available: bool = False

    @property
    def fix_available(self) -> bool:
        return bool(self.fixed_version)


def vulnerability_key(resource_id: str, cve_id: str, package: str, installed_version: str) -> str:
    """The natural key of a vulnerability row: stable across sources and runs.

    >>> vulnerability_key("img", "CVE-2021-44228", "log4j-core", "2.14.1")[:12]
    'dea5817fc4c8'
    """
    raw = "\x1f".join((resource_id, cve_id, package, installed_version))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


class Finding(_Frozen):
    """One issue one source reported about one resource.

    A vulnerability finding carries its ``vulnerability``; no other category does.
    """

    source: Source
    source_id: NonEmpty
    resource_id: NonEmpty
    category: FindingCategory
    type: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$", max_length=128)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    description: str | None = Field(default=None, max_length=16384)
    severity: Severity
    status: FindingStatus = FindingStatus.OPEN
    first_seen: datetime
    last_seen: datetime
    resolved_at: datetime | None = None
    console_url: str | None = None
    vulnerability: Vulnerability | None = None

    @property
    def finding_id(self) -> str:
        return f"{self.source.value}:{self.source_id}"

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.category is FindingCategory.VULNERABILITY) != (self.vulnerability is not None):
            raise ValueError("a vulnerability finding, and only one, carries 'vulnerability'")
        if self.last_seen < self.first_seen:
            raise ValueError("last_seen is before first_seen")
        if self.status is FindingStatus.RESOLVED and self.resolved_at is None:
            raise ValueError("a resolved finding needs resolved_at")
        if self.status is not FindingStatus.RESOLVED and self.resolved_at is not None:
            raise ValueError(f"a {self.status.value} finding cannot have resolved_at")
        if self.resolved_at is not None and self.resolved_at < self.first_seen:
            raise ValueError("resolved_at is before first_seen")
        return self


class Permission(_Frozen):
    """One action a role grants on a resource pattern, and whether it was used."""

    role_id: NonEmpty
    action: Annotated[
        str, StringConstraints(pattern=r"^(\*|[A-Za-z0-9*-]+:[A-Za-z0-9*]+|[\w./*-]+)$")
    ]
    resource_pattern: NonEmpty = "*"
    granted: bool = True
    used: bool = False
    last_used_at: datetime | None = None

    @property
    def is_wildcard(self) -> bool:
        return "*" in self.action

    @property
    def is_admin(self) -> bool:
        return self.action in ("*", "*:*") and self.resource_pattern == "*"


class Edge(_Frozen):
    """A directed relation between two resources, for reachability and blast radius."""

    from_id: NonEmpty
    to_id: NonEmpty
    relation: EdgeRelation

    @model_validator(mode="after")
    def _no_self_loop(self) -> Self:
        if self.from_id == self.to_id:
            raise ValueError("an edge cannot point at its own resource")
        return self
