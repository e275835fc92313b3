"""The model rejects bad records with errors that name the field and the reason."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.models import Edge, Finding, Permission, Resource, Vulnerability
from tests import factories as f


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return str(exc.value)


def test_good_records_validate() -> None:
    assert f.function().function is not None
    assert f.vuln_finding().finding_id == "wiz:wiz-log4shell"


def test_resource_without_its_details_is_rejected() -> None:
    with pytest.raises(ValidationError) as exc:
        f.function(function=None)
    assert "needs its 'function' details" in _errors(exc)


def test_resource_with_details_of_another_kind_is_rejected() -> None:
    with pytest.raises(ValidationError) as exc:
        f.function(bucket={"encrypted": True})
    assert "cannot carry bucket details" in _errors(exc)


def test_unknown_fields_are_rejected_not_dropped() -> None:
    with pytest.raises(ValidationError) as exc:
        f.function(colour="blue")
    assert "colour" in _errors(exc)


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("cloud", "oracle", "cloud"),
        ("environment", "qa", "environment"),
        ("data_classes", ["SSN"], "data_classes"),
        ("name", "", "name"),
    ],
)
def test_bad_enumerations_and_empty_names(field: str, value: object, says: str) -> None:
    with pytest.raises(ValidationError) as exc:
        f.function(**{field: value})
    assert says in _errors(exc)


def test_function_limits_are_checked() -> None:
    with pytest.raises(ValidationError) as exc:
        f.function(
            function={
                "runtime": "python3.12",
                "memory_mb": 10,
                "timeout_s": 3,
                "package_size_mb": 1,
                "invocations_30d": 0,
            }
        )
    assert "memory_mb" in _errors(exc)


def test_vulnerability_finding_needs_its_vulnerability() -> None:
    with pytest.raises(ValidationError) as exc:
        f.vuln_finding(vulnerability=None)
    assert "carries 'vulnerability'" in _errors(exc)


def test_misconfiguration_cannot_carry_a_vulnerability() -> None:
    with pytest.raises(ValidationError):
        f.misconfig_finding(vulnerability=f.vuln_finding().vulnerability)


def test_time_order_is_checked() -> None:
    with pytest.raises(ValidationError) as exc:
        f.misconfig_finding(last_seen=f.NOW.replace(year=2020))
    assert "last_seen is before first_seen" in _errors(exc)


def test_resolved_needs_resolved_at_and_open_refuses_it() -> None:
    with pytest.raises(ValidationError, match="needs resolved_at"):
        f.misconfig_finding(status="resolved")
    with pytest.raises(ValidationError, match="cannot have resolved_at"):
        f.misconfig_finding(resolved_at=f.NOW)


@pytest.mark.parametrize("cve", ["CVE-21-1", "log4shell", "CVE-2021-44228; DROP TABLE x"])
def test_malformed_cve_ids_are_rejected(cve: str) -> None:
    with pytest.raises(ValidationError):
        Vulnerability(cve_id=cve, package="p", installed_version="1")


def test_scores_out_of_range_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Vulnerability(cve_id="CVE-2021-44228", package="p", installed_version="1", epss=1.5)
    with pytest.raises(ValidationError):
        Vulnerability(cve_id="CVE-2021-44228", package="p", installed_version="1", cvss_score=11)


def test_permission_and_edge_rules() -> None:
    assert Permission(role_id="r", action="*:*").is_admin
    assert Permission(role_id="r", action="s3:*").is_wildcard
    with pytest.raises(ValidationError):
        Permission(role_id="r", action="s3:Get Object")
    with pytest.raises(ValidationError, match="own resource"):
        Edge(from_id="a", to_id="a", relation="triggers")


def test_models_are_frozen() -> None:
    resource = f.role()
    with pytest.raises(ValidationError):
        resource.name = "other"  # type: ignore[misc]


def test_finding_title_is_data_not_code() -> None:
    hostile = "'); DROP TABLE findings; -- <script>alert(1)</script>"
    finding = f.misconfig_finding(title=hostile)
    assert finding.title == hostile
    assert isinstance(finding, Finding)
    assert isinstance(f.function(), Resource)
