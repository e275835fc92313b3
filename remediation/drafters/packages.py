"""Vulnerable package -> the upgrade to its fixed version, where the package lives.

OS packages (deb, apk, rpm) are upgraded in the image's Dockerfile, with a base-image
bump when the image's OS release is past end of life; language packages get the
manifest change and the package manager's command. The fixed version must be newer
than the installed one by the ecosystem's own ordering (univers), or nothing is drafted.
"""

from __future__ import annotations

import json
import re

from univers import versions as uv

from remediation.context import FixContext, VulnerabilityRow
from remediation.drafters.common import finish, no_fix, unified_diff
from remediation.models import DraftInvalid, NoAutomaticFix, Remediation, RemediationCode
from remediation.validate import check_dockerfile

__all__ = ["BASE_IMAGE_BUMPS", "draft", "is_upgrade"]

_VERSION_CLASS: dict[str, type[uv.Version]] = {
    "deb": uv.DebianVersion,
    "apk": uv.AlpineLinuxVersion,
    "rpm": uv.RpmVersion,
    "pypi": uv.PypiVersion,
    "npm": uv.SemverVersion,
    "maven": uv.MavenVersion,
    "go": uv.GolangVersion,
    "nuget": uv.NugetVersion,
    "gem": uv.RubygemsVersion,
}
# OS release past end of life (at the time of writing) -> the base image to move to
BASE_IMAGE_BUMPS = {
    "debian 10": "debian:12-slim",
    "debian 11": "debian:12-slim",
    "alpine 3.18": "alpine:3.20",
    "alpine 3.19": "alpine:3.20",
    "ubuntu 20.04": "ubuntu:24.04",
}
_INSTALL = {
    "deb": "apt-get update \\\n && apt-get install -y --no-install-recommends --only-upgrade "
    "{p}={v} \\\n && rm -rf /var/lib/apt/lists/*",
    "apk": "apk add --no-cache --upgrade '{p}>={v}'",
    "rpm": "dnf -y upgrade-minimal {p}-{v} && dnf clean all",
}
_MITIGATIONS = (
    "Check whether the vulnerable code path is reachable (is the package "
    "loaded at all? does the CVE need local access?)",
    "Reduce exposure: no public ingress, least-privilege identity, read-only root filesystem",
    "Watch the vendor advisory and re-scan when a fix ships",
    "If the risk is acceptable, propose a time-boxed risk acceptance",
)


def is_upgrade(package_type: str | None, installed: str, fixed: str) -> bool:
    """True when ``fixed`` sorts after ``installed`` in the ecosystem's version order.

    >>> is_upgrade("deb", "2.5.0-1+deb12u1", "2.5.0-1+deb12u2"), is_upgrade("npm", "2.0.0", "1.9.9")
    (True, False)
    """
    cls = _VERSION_CLASS.get(package_type or "", uv.GenericVersion)
    try:
        return bool(cls(installed) < cls(fixed))
    except Exception:  # an unparsable version in one ecosystem is not an upgrade we trust
        return False


def _language_fix(v: VulnerabilityRow, fixed: str) -> tuple[str, str]:
    """(manifest change, command) per ecosystem; each manifest form parses back."""
    p = v.package
    if v.package_type == "npm":
        other = json.dumps({"overrides": {p: fixed}}, indent=2)
        json.loads(other)
        return f"package.json:\n{other}", f"npm install {p}@{fixed} --save-exact"
    if v.package_type == "pypi":
        return f"requirements.txt:\n{p}>={fixed}", f'pip install "{p}>={fixed}"'
    if v.package_type == "go":
        return f"go.mod: require {p} {fixed}", f"go get {p}@{fixed} && go mod tidy"
    if v.package_type == "nuget":
        return (
            f'*.csproj: <PackageReference Include="{p}" Version="{fixed}" />',
            f"dotnet add package {p} --version {fixed}",
        )
    if v.package_type == "maven":
        return (
            f"pom.xml: {p} -> {fixed}",
            "mvn versions:use-dep-version "
            f"-Dincludes='*:{p}' -DdepVersion={fixed} -DforceVersion=true",
        )
    return f"{p} -> {fixed}", f"upgrade {p} to {fixed}"


def _dockerfile(ctx: FixContext, v: VulnerabilityRow, fixed: str) -> tuple[str, str, str]:
    """(Dockerfile, diff, base-image note): the caller's Dockerfile edited, or a fragment."""
    run = "RUN " + _INSTALL[v.package_type or "deb"].format(p=v.package, v=fixed)
    bump = BASE_IMAGE_BUMPS.get((ctx.resource.os or "").lower())
    before = ctx.artifacts.dockerfile
    if before is None:
        base = bump or (ctx.resource.os or "debian 12").replace(" ", ":")
        text = f"FROM {base}\n{run}\n"
        return text, "", bump or ""
    lines = before.splitlines()
    first_from = next((i for i, line in enumerate(lines) if line.upper().startswith("FROM ")), None)
    if first_from is None:
        raise DraftInvalid("The Dockerfile has no FROM line.")
    if bump:
        lines[first_from] = re.sub(r"^(FROM\s+)\S+", rf"\g<1>{bump}", lines[first_from])
    lines.insert(first_from + 1, run)
    after = "\n".join(lines) + "\n"
    return after, unified_diff(before, after, "Dockerfile"), bump or ""


def draft(ctx: FixContext) -> Remediation | NoAutomaticFix:
    """The upgrade that fixes the CVE, checked to be an upgrade.

    Raises:
        DraftInvalid: the drafted Dockerfile does not parse.
    """
    v = ctx.vulnerability
    if v is None:
        return no_fix(ctx, "The store has no package details for this finding.", *_MITIGATIONS)
    fixed = (v.fixed_version or "").split(",")[0].strip()
    if not fixed:
        return no_fix(
            ctx, f"No fixed version of {v.package} is known for {v.cve_id}.", *_MITIGATIONS
        )
    if not is_upgrade(v.package_type, v.installed_version, fixed):
        return no_fix(
            ctx, f"The recorded fix {fixed} is not newer than {v.installed_version}.", *_MITIGATIONS
        )
    validation = [f"{fixed} > {v.installed_version} in {v.package_type} version order (univers)"]
    checks = [
        "Rebuild, re-scan the new image and confirm the CVE is gone",
        "Run the service's tests against the new build before promoting it",
    ]
    if v.package_type in _INSTALL and ctx.finding.resource_kind != "function":
        text, diff, bump = _dockerfile(ctx, v, fixed)
        check_dockerfile(text)
        validation.append("Dockerfile parses")
        if bump:
            checks.insert(
                0,
                f"The base OS ({ctx.resource.os}) is past end of life: moving to "
                f"{bump} changes glibc/musl and package versions; test fully",
            )
        if ctx.artifacts.dockerfile is None:
            checks.insert(0, "Drafted as a fragment: put the RUN line right after your own FROM")
        code = RemediationCode(native_iac={"Dockerfile": text})
    else:
        other, cli = _language_fix(v, fixed)
        code, diff = RemediationCode(cli=cli, other=other), ""
        validation.append("manifest change parses")
    return finish(
        ctx,
        "package_upgrade",
        summary=f"Upgrade {v.package} {v.installed_version} -> {fixed} to fix {v.cve_id}.",
        recommendation=f"Upgrade {v.package} to {fixed} or later and redeploy {ctx.resource.name}.",
        code=code,
        diff=diff,
        checks=checks,
        validation=validation,
    )
