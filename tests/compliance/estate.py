"""A hand-counted estate for the compliance tests (tests/factories.py models).

Resources (6): processPayment function (prod, payments, public), devReport function
(dev, data), processPayment-role (no environment, payments), cards-vault bucket (prod,
no team), checkout-api image (runs in prod via the workload), checkout-api workload
(prod, payments). No containers, no triggers.

Findings (7), sources wiz + prowler (so those two are the synced sources):
  1 public_function_url  processPayment   prowler  open
  2 vulnerable_package   checkout-api img wiz      open
  3 public_bucket        cards-vault      prowler  open   <- hostile title
  4 unencrypted_bucket   cards-vault      prowler  resolved
  5 admin_access         role             wiz      open
  6 run_as_root          workload         wiz      suppressed
  7 deprecated_runtime   devReport        prowler  open
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.models import Finding
from store.batch import Batch
from tests import factories as f

DEV_FN = "arn:aws:lambda:us-east-1:111122223333:function:devReport"
HOSTILE = "<script>alert('x')</script> =HYPERLINK(\"http://evil\") | **bold**"


def _finding(**over: Any) -> Finding:
    base: dict[str, Any] = {
        "source": "prowler",
        "category": "misconfiguration",
        "severity": "high",
        "first_seen": f.NOW - timedelta(days=5),
        "last_seen": f.NOW,
    }
    return Finding.model_validate(base | over)


def findings(bucket_resolved: bool = False) -> tuple[Finding, ...]:
    bucket_status: dict[str, Any] = (
        {"status": "resolved", "resolved_at": f.NOW} if bucket_resolved else {}
    )
    return (
        f.misconfig_finding(),
        f.vuln_finding("wiz"),
        _finding(
            source_id="pb-1",
            resource_id=f.BUCKET,
            type="public_bucket",
            title=HOSTILE,
            **bucket_status,
        ),
        _finding(
            source_id="ub-1",
            resource_id=f.BUCKET,
            type="unencrypted_bucket",
            title="Bucket not encrypted",
            status="resolved",
            resolved_at=f.NOW,
        ),
        _finding(
            source="wiz",
            source_id="adm-1",
            resource_id=f.ROLE,
            type="admin_access",
            category="permissions",
            title="Role grants *:*",
        ),
        _finding(
            source="wiz",
            source_id="root-1",
            resource_id=f.WORKLOAD,
            type="run_as_root",
            title="Runs as root",
            status="suppressed",
        ),
        _finding(
            source_id="dr-1",
            resource_id=DEV_FN,
            type="deprecated_runtime",
            title="python3.8 is deprecated",
            severity="medium",
        ),
    )


def resources() -> tuple[Any, ...]:
    dev_fn = f.function(
        resource_id=DEV_FN,
        name="devReport",
        environment="dev",
        owner_team="data",
        is_public=False,
        exposure=None,
        data_classes=[],
    )
    return (f.function(), dev_fn, f.role(), f.bucket(), f.image(), f.workload())


def batch(bucket_resolved: bool = False) -> Batch:
    return Batch(
        resources=resources(),
        findings=findings(bucket_resolved),
        permissions=tuple(f.permissions()),
        edges=tuple(f.edges()),
    )
