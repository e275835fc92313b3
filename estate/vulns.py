"""Vulnerability findings: from the package versions built into images and functions.

Every finding's CVE, package, versions, CVSS, KEV and exploit flag come from the facts
tables; severity is the CVSS rating. An image scanned by two platforms (Trivy in CI and
a CNAPP, say) gets most of its vulnerabilities reported twice.
"""

from __future__ import annotations

from core.models import FindingCategory, Resource, Source
from estate.emit import Emitter, Issue
from estate.facts_lang import LANG_LINES
from estate.functions import runtime_family
from estate.history import severity_for_cvss
from estate.sources import CAN_REPORT
from estate.world import Installed

__all__ = ["function_vulns", "image_vulns"]

_VULN = FindingCategory.VULNERABILITY
_STACK_OF_FAMILY = {
    "python": "python",
    "nodejs": "node",
    "java": "java",
    "go": "go",
    "dotnet": "dotnet",
}
_WITH_FIX = (0.74, 0.19, 0.07)
_NO_FIX = (0.76, 0.1, 0.14)  # nothing to upgrade to, so more risk acceptances


def _scanners(em: Emitter, resource: Resource, dual_p: float) -> tuple[Source, Source | None]:
    """The platform that scans this artefact, and maybe a second one."""
    found = [s for s in resource.sources if s in CAN_REPORT[_VULN]]
    primary = em.world.rand.pick(found)
    others = [s for s in found if s is not primary]
    partner = em.world.rand.pick(others) if others and em.world.rand.chance(dual_p) else None
    return primary, partner


def _report(em: Emitter, resource: Resource, installed: list[Installed], dual_p: float) -> None:
    if not installed or not any(s in CAN_REPORT[_VULN] for s in resource.sources):
        return
    primary, partner = _scanners(em, resource, dual_p)
    for line, version in installed:
        for cve, fixed in line.open_cves(version):
            for package in line.packages:
                vuln = em.vulnerability(cve, package, line.package_type, version, fixed)
                issue = Issue(
                    resource,
                    _VULN,
                    "vulnerable_package",
                    severity_for_cvss(cve.cvss),
                    f"{cve.cve_id} in {package} {version}",
                    cve.cve_id,
                    cve.summary,
                    vuln,
                    _WITH_FIX if fixed else _NO_FIX,
                )
                second = partner is not None and em.world.rand.chance(0.93)
                em.emit(issue, [primary, partner] if second and partner else [primary])


def image_vulns(em: Emitter, image: Resource) -> None:
    """Every open CVE of every package version the image was built with."""
    _report(em, image, em.world.installed.get(image.resource_id, []), dual_p=0.85)


def function_vulns(em: Emitter, function: Resource) -> None:
    """Dependencies bundled in a function's deployment package, staler on old runtimes."""
    details = function.function
    if details is None:
        return
    stack = _STACK_OF_FAMILY.get(runtime_family(details.runtime))
    if stack is None:
        return
    r = em.world.rand
    staleness = 0.85 if details.runtime_deprecated else r.uniform(0.05, 0.75)
    installed: list[Installed] = []
    for line in LANG_LINES[stack]:
        if r.chance(line.presence):
            installed.append((line, line.versions[r.skewed_index(len(line.versions), staleness)]))
    em.world.installed[function.resource_id] = installed
    _report(em, function, installed, dual_p=0.5)
