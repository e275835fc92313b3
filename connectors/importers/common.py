"""What every importer shares: the mapped result, skip reasons, image and ARN identity.

Resource identity is what lets a scanner's finding land on the resource a CNAPP already
described: images are ``registry/repository@sha256:digest`` (``:tag`` when no digest is
known), Kubernetes objects ``k8s://cluster/namespace/Kind/name``, AWS resources their ARN.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from connectors.common import parse_time
from core.models import (
    Cloud,
    Edge,
    Finding,
    ImageDetails,
    Resource,
    ResourceKind,
    Severity,
    Source,
)

__all__ = [
    "ImageRef",
    "Mapped",
    "arn_parts",
    "cloud_of_registry",
    "ecr_image",
    "image_resource",
    "k8s_id",
    "parse_image_ref",
    "severity_of",
]

_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_ARN = re.compile(r"^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$")
_SEVERITIES = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "moderate": Severity.MEDIUM,
    "low": Severity.LOW,
    "negligible": Severity.INFO,
    "informational": Severity.INFO,
    "info": Severity.INFO,
    "unknown": Severity.INFO,
    "none": Severity.INFO,
}


@dataclass
class Mapped:
    """What a report maps to: models to load, and what was left out and why."""

    resources: list[Resource] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    def extend(self, other: Mapped) -> None:
        self.resources += other.resources
        self.findings += other.findings
        self.edges += other.edges
        self.skipped.update(other.skipped)


@dataclass(frozen=True)
class ImageRef:
    registry: str
    repository: str
    tag: str | None
    digest: str | None

    @property
    def resource_id(self) -> str:
        if self.digest:
            return f"{self.registry}/{self.repository}@{self.digest}"
        return f"{self.registry}/{self.repository}:{self.tag or 'latest'}"


def severity_of(label: object) -> Severity:
    """A scanner's severity word in our scale; unknown words are informational.

    >>> severity_of("HIGH"), severity_of("Negligible")
    (<Severity.HIGH: 'high'>, <Severity.INFO: 'info'>)
    """
    return _SEVERITIES.get(str(label or "").strip().lower(), Severity.INFO)


def parse_image_ref(ref: str) -> ImageRef | None:
    """A docker reference split the way registries do (Docker Hub gets ``library/``).

    >>> parse_image_ref("alpine:3.10.2").resource_id
    'docker.io/library/alpine:3.10.2'
    >>> parse_image_ref("gcr.io/google_samples/gb-redis-follower:v2 (debian 10.4)").repository
    'google_samples/gb-redis-follower'
    >>> parse_image_ref("testdata/fixtures/images/alpine-310.tar.gz") is None
    True
    """
    text = ref.strip().split(" (", 1)[0].strip()
    if not text or text.endswith((".tar", ".tar.gz", ".tgz")) or text.startswith(("/", ".")):
        return None
    name, _, digest = text.partition("@")
    tag = None
    head, _, last = name.rpartition("/")
    if ":" in last:
        last, tag = last.split(":", 1)
    path = f"{head}/{last}" if head else last
    first, _, rest = path.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        registry, repository = first, rest
    else:
        registry, repository = "docker.io", path
    if registry == "docker.io" and "/" not in repository:
        repository = f"library/{repository}"
    if not repository or (digest and not _DIGEST.match(digest)):
        return None
    return ImageRef(registry, repository, tag or None, digest or None)


def cloud_of_registry(registry: str) -> tuple[Cloud | None, str | None, str | None]:
    """Cloud, account and region a registry host names (ECR, ACR, Artifact Registry, GCR)."""
    ecr = re.match(r"^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$", registry)
    if ecr:
        return Cloud.AWS, ecr.group(1), ecr.group(2)
    if registry.endswith(".azurecr.io"):
        return Cloud.AZURE, None, None
    gar = re.match(r"^([a-z0-9-]+)-docker\.pkg\.dev$", registry)
    if gar or registry == "gcr.io" or registry.endswith(".gcr.io"):
        return Cloud.GCP, None, gar.group(1) if gar else None
    return None, None, None


def arn_parts(arn: str) -> tuple[str, str | None, str | None, str] | None:
    """(service, region, account, resource) of an AWS ARN, or None.

    >>> arn_parts("arn:aws:eks:us-east-1:576036489467:cluster/monitoring")
    ('eks', 'us-east-1', '576036489467', 'cluster/monitoring')
    """
    m = _ARN.match(arn)
    if not m:
        return None
    return m.group(1), m.group(2) or None, m.group(3) or None, m.group(4)


def k8s_id(cluster: str, namespace: str | None, kind: str, name: str) -> str:
    """The id the estate and the CNAPP mappers give a Kubernetes object."""
    return f"k8s://{cluster}/{namespace or ''}/{kind}/{name}"


def image_resource(
    ref: ImageRef,
    *,
    source: Source,
    default_cloud: Cloud,
    seen_at: datetime,
    os: str | None = None,
    created_at: datetime | None = None,
) -> Resource:
    """An image resource; the cloud is the registry's, else ``default_cloud``."""
    cloud, account, region = cloud_of_registry(ref.registry)
    return Resource(
        resource_id=ref.resource_id,
        kind=ResourceKind.IMAGE,
        cloud=cloud or default_cloud,
        account=account,
        region=region,
        name=ref.repository.rsplit("/", 1)[-1],
        sources=(source,),
        first_seen=seen_at,
        last_seen=seen_at,
        image=ImageDetails(
            registry=ref.registry,
            repository=ref.repository,
            tag=ref.tag or "latest",
            digest=ref.digest,
            os=os,
            created_at=created_at,
        ),
    )


def ecr_image(resource: dict[str, Any], seen_at: datetime) -> Resource | None:
    """An ASFF ``AwsEcrContainerImage`` resource as an image, or None for other types."""
    details = (resource.get("Details") or {}).get("AwsEcrContainerImage") or {}
    region = resource.get("Region")
    if resource.get("Type") != "AwsEcrContainerImage" or not details or not region:
        return None
    registry = f"{details.get('RegistryId')}.dkr.ecr.{region}.amazonaws.com"
    tags = details.get("ImageTags") or [None]
    digest = details.get("ImageDigest")
    ref = ImageRef(
        registry,
        str(details.get("RepositoryName")),
        tags[0],
        digest if digest and _DIGEST.match(digest) else None,
    )
    return image_resource(
        ref,
        source=Source.SECURITYHUB,
        default_cloud=Cloud.AWS,
        seen_at=seen_at,
        created_at=parse_time(details.get("ImagePublishedAt")),
    )
