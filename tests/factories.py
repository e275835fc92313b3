"""Small, readable model builders for tests (a few resources, hand-counted)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from core.models import (
    Edge,
    Finding,
    Permission,
    Resource,
    Vulnerability,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
LAMBDA = "arn:aws:lambda:us-east-1:111122223333:function:processPayment"
ROLE = "arn:aws:iam::111122223333:role/processPayment-role"
BUCKET = "arn:aws:s3:::cards-vault"
IMAGE = "123.dkr.ecr.us-east-1.amazonaws.com/checkout-api@sha256:" + "a" * 64
WORKLOAD = "k8s://prod-eks/payments/Deployment/checkout-api"


def function(**over: Any) -> Resource:
    base: dict[str, Any] = {
        "resource_id": LAMBDA,
        "kind": "function",
        "cloud": "aws",
        "account": "111122223333",
        "region": "us-east-1",
        "name": "processPayment",
        "environment": "prod",
        "owner_team": "payments",
        "is_public": True,
        "exposure": "public function URL",
        "data_classes": ["PII", "PCI"],
        "sources": ["wiz"],
        "first_seen": NOW - timedelta(days=30),
        "last_seen": NOW,
        "function": {
            "runtime": "python3.8",
            "runtime_deprecated": True,
            "memory_mb": 512,
            "timeout_s": 30,
            "package_size_mb": 12.5,
            "invocations_30d": 120000,
            "cold_start_p95_ms": 2400,
            "role_id": ROLE,
        },
    }
    return Resource.model_validate(base | over)


def role(**over: Any) -> Resource:
    base: dict[str, Any] = {
        "resource_id": ROLE,
        "kind": "role",
        "cloud": "aws",
        "name": "processPayment-role",
        "owner_team": "payments",
        "role": {},
    }
    return Resource.model_validate(base | over)


def bucket(**over: Any) -> Resource:
    base: dict[str, Any] = {
        "resource_id": BUCKET,
        "kind": "bucket",
        "cloud": "aws",
        "name": "cards-vault",
        "environment": "prod",
        "data_classes": ["PCI"],
        "bucket": {"encrypted": False},
    }
    return Resource.model_validate(base | over)


def image(**over: Any) -> Resource:
    base: dict[str, Any] = {
        "resource_id": IMAGE,
        "kind": "image",
        "cloud": "aws",
        "name": "checkout-api",
        "owner_team": "payments",
        "image": {
            "registry": "123.dkr.ecr.us-east-1.amazonaws.com",
            "repository": "checkout-api",
            "tag": "1.4.2",
            "digest": "sha256:" + "a" * 64,
            "os": "debian 11",
            "created_at": NOW - timedelta(days=200),
        },
    }
    return Resource.model_validate(base | over)


def workload(**over: Any) -> Resource:
    base: dict[str, Any] = {
        "resource_id": WORKLOAD,
        "kind": "workload",
        "cloud": "aws",
        "name": "checkout-api",
        "environment": "prod",
        "owner_team": "payments",
        "is_public": True,
        "workload": {
            "cluster": "prod-eks",
            "namespace": "payments",
            "image_id": IMAGE,
            "privileged": True,
            "runs_as_root": True,
        },
    }
    return Resource.model_validate(base | over)


def vuln_finding(source: str = "wiz", **over: Any) -> Finding:
    base: dict[str, Any] = {
        "source": source,
        "source_id": f"{source}-log4shell",
        "resource_id": IMAGE,
        "category": "vulnerability",
        "type": "vulnerable_package",
        "title": "CVE-2021-44228 in log4j-core",
        "severity": "critical",
        "first_seen": NOW - timedelta(days=10),
        "last_seen": NOW,
        "vulnerability": Vulnerability(
            cve_id="CVE-2021-44228",
            package="log4j-core",
            package_type="maven",
            installed_version="2.14.1",
            fixed_version="2.17.1",
            cvss_score=10.0,
            epss=0.94,
            in_kev=True,
            exploit_available=True,
        ),
    }
    return Finding.model_validate(base | over)


def misconfig_finding(**over: Any) -> Finding:
    base: dict[str, Any] = {
        "source": "prowler",
        "source_id": "awslambda_function_url_public-processPayment",
        "resource_id": LAMBDA,
        "category": "misconfiguration",
        "type": "public_function_url",
        "title": "Lambda function URL is public",
        "severity": "high",
        "first_seen": NOW - timedelta(days=3),
        "last_seen": NOW,
    }
    return Finding.model_validate(base | over)


def permissions() -> list[Permission]:
    return [
        Permission(role_id=ROLE, action="s3:*", resource_pattern="*", used=False),
        Permission(
            role_id=ROLE,
            action="s3:GetObject",
            resource_pattern=BUCKET + "/*",
            used=True,
            last_used_at=NOW - timedelta(days=1),
        ),
    ]


def edges() -> list[Edge]:
    return [
        Edge(from_id=LAMBDA, to_id=ROLE, relation="assumes_role"),
        Edge(from_id=ROLE, to_id=BUCKET, relation="can_read"),
        Edge(from_id=WORKLOAD, to_id=IMAGE, relation="runs_image"),
    ]
