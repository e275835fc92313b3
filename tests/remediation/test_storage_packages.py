"""Bucket settings and package upgrades (univers-ordered), with their refusals."""

from __future__ import annotations

import json

import pytest

from remediation import Artifacts, NoAutomaticFix, Remediation, draft_fix
from remediation.context import VulnerabilityRow
from remediation.drafters.packages import is_upgrade
from remediation.validate import check_dockerfile, parliament_issues
from tests.remediation.helpers import make_ctx

BUCKET = {"name": "acme-card-vault", "resource_id": "arn:aws:s3:::acme-card-vault"}


@pytest.mark.parametrize(
    "ftype", ["unencrypted_bucket", "public_bucket", "bucket_versioning_disabled"]
)
def test_bucket_fixes_parse(ftype: str) -> None:
    fix = draft_fix(make_ctx(ftype, kind="bucket", resource=BUCKET))
    assert isinstance(fix, Remediation) and "acme-card-vault" in (fix.code.terraform or "")


def test_unencrypted_write_fixes_the_bucket_the_title_names() -> None:
    ctx = make_ctx(
        "unencrypted_storage_write",
        resource={"name": "fn", "runtime": "python3.12"},
        title="fn writes to unencrypted bucket acme-exports",
    )
    fix = draft_fix(ctx)
    assert isinstance(fix, Remediation)
    tf = fix.code.terraform or ""
    assert "aws_s3_bucket_server_side_encryption_configuration" in tf
    policy = json.loads(tf.split("<<-EOT")[1].split("EOT")[0])
    assert policy["Statement"][0]["Resource"] == "arn:aws:s3:::acme-exports/*"
    assert not parliament_issues(policy)


def _vuln(
    ptype: str, installed: str, fixed: str | None, package: str = "libexpat1"
) -> VulnerabilityRow:
    return VulnerabilityRow(
        cve_id="CVE-2024-45491",
        package=package,
        package_type=ptype,
        installed_version=installed,
        fixed_version=fixed,
    )


def test_os_package_gets_a_dockerfile_pin_and_an_eol_base_bump() -> None:
    dockerfile = "FROM debian:11\nCOPY app /app\nUSER 10001\n"
    ctx = make_ctx(
        "vulnerable_package",
        kind="image",
        resource={"name": "api", "os": "debian 11"},
        vulnerability=_vuln("deb", "2.2.10-2+deb11u5", "2.2.10-2+deb11u6"),
        artifacts=Artifacts(dockerfile=dockerfile),
    )
    fix = draft_fix(ctx)
    assert isinstance(fix, Remediation)
    steps = check_dockerfile(fix.code.native_iac["Dockerfile"])
    assert steps[0] == ("FROM", "debian:12-slim")
    assert "libexpat1=2.2.10-2+deb11u6" in steps[1][1]
    assert "+FROM debian:12-slim" in (fix.diff or "")


@pytest.mark.parametrize(
    ("ptype", "installed", "fixed", "expect"),
    [
        ("npm", "6.3.0", "7.5.2", "npm install semver@7.5.2"),
        ("pypi", "2.2.3", "3.0.3", 'pip install "semver>=3.0.3"'),
        ("maven", "5.3.18", "5.3.32", "-DdepVersion=5.3.32"),
        ("go", "v0.7.0", "v0.17.0", "go get semver@v0.17.0"),
    ],
)
def test_language_packages_get_the_manager_command(
    ptype: str, installed: str, fixed: str, expect: str
) -> None:
    ctx = make_ctx(
        "vulnerable_package",
        resource={"name": "fn"},
        vulnerability=_vuln(ptype, installed, fixed, package="semver"),
    )
    fix = draft_fix(ctx)
    assert isinstance(fix, Remediation) and expect in (fix.code.cli or "")


def test_no_fixed_version_or_a_downgrade_gets_mitigations() -> None:
    for fixed in (None, "2.0.0"):
        ctx = make_ctx(
            "vulnerable_package",
            kind="image",
            resource={"name": "api"},
            vulnerability=_vuln("deb", "2.5.0-1", fixed),
        )
        out = draft_fix(ctx)
        assert isinstance(out, NoAutomaticFix) and out.guidance


def test_univers_orders_versions_per_ecosystem() -> None:
    assert is_upgrade("deb", "7.88.1-10+deb12u1", "7.88.1-10+deb12u5")
    assert is_upgrade("apk", "3.1.4-r5", "3.1.7-r0")
    assert not is_upgrade("maven", "5.3.32", "5.3.18")
