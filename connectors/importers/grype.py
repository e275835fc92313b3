"""Grype JSON reports (``grype IMAGE -o json``) of container images.

One finding per ``matches[]`` entry, deduplicated by (vulnerability id, package name,
version): Grype lists one match per matcher and per location of the same package, which
are one vulnerable package to us. EPSS and KEV values Grype adds (0.80+) are kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connectors.common import parse_time
from connectors.importers.common import Mapped, image_resource, parse_image_ref, severity_of
from core.errors import ImportRejected
from core.models import Cloud, Finding, FindingCategory, Source, Vulnerability

__all__ = ["map_grype"]

_TYPES = {
    "deb": "deb",
    "rpm": "rpm",
    "apk": "apk",
    "npm": "npm",
    "python": "pypi",
    "java-archive": "maven",
    "go-module": "go",
    "gem": "gem",
    "rust-crate": "cargo",
    "dotnet": "nuget",
    "php-composer": "composer",
}


def _cvss(vuln: dict[str, Any], related: list[dict[str, Any]]) -> tuple[float | None, str | None]:
    """The highest-version CVSS entry of the match, else of its NVD record."""
    for block in [vuln, *related]:
        entries = sorted(block.get("cvss") or [], key=lambda c: str(c.get("version")), reverse=True)
        for entry in entries:
            score = (entry.get("metrics") or {}).get("baseScore")
            if score is not None:
                return float(score), entry.get("vector")
    return None, None


def _vulnerability(match: dict[str, Any]) -> Vulnerability:
    vuln, artifact = match["vulnerability"], match["artifact"]
    score, vector = _cvss(vuln, match.get("relatedVulnerabilities") or [])
    fix = vuln.get("fix") or {}
    fixed = (fix.get("versions") or [None])[0] if fix.get("state") == "fixed" else None
    epss = [e.get("epss") for e in vuln.get("epss") or [] if e.get("epss") is not None]
    return Vulnerability(
        cve_id=vuln["id"],
        package=artifact["name"],
        package_type=_TYPES.get(artifact.get("type") or ""),
        installed_version=artifact["version"],
        fixed_version=fixed,
        cvss_score=score,
        cvss_vector=vector,
        epss=max(epss) if epss else None,
        in_kev=bool(vuln.get("knownExploited")),
    )


def _image(doc: dict[str, Any], seen: datetime, default_cloud: Cloud) -> Any:
    source = doc.get("source") or {}
    if source.get("type") != "image":
        raise ImportRejected(
            f"This Grype report scanned a {source.get('type') or 'unknown source'}, "
            "not a container image.",
            detected=f"grype {source.get('type')}",
            remediation="Scan the image (`grype IMAGE -o json`) and import that.",
        )
    target = source.get("target") or {}
    tags = [t for t in target.get("tags") or [] if t] + [target.get("userInput") or ""]
    ref = next((r for r in map(parse_image_ref, tags) if r is not None), None)
    if ref is None:
        raise ImportRejected("This Grype report names no image.", detected="grype")
    digest = target.get("manifestDigest")
    if digest:
        ref = parse_image_ref(f"{ref.registry}/{ref.repository}:{ref.tag}@{digest}") or ref
    distro = doc.get("distro") or {}
    os_name = " ".join(str(distro[k]) for k in ("name", "version") if distro.get(k)) or None
    return image_resource(
        ref, source=Source.GRYPE, default_cloud=default_cloud, seen_at=seen, os=os_name
    )


def map_grype(doc: dict[str, Any], *, observed_at: datetime, default_cloud: Cloud) -> Mapped:
    """A Grype image report: the image and one finding per vulnerable package."""
    seen = parse_time((doc.get("descriptor") or {}).get("timestamp")) or observed_at
    image = _image(doc, seen, default_cloud)
    out = Mapped(resources=[image])
    rid = image.resource_id
    for match in doc.get("matches") or []:
        try:
            vuln = _vulnerability(match)
        except (ValueError, KeyError, TypeError):
            out.skipped["match without a usable vulnerability id, package or version"] += 1
            continue
        raw = match["vulnerability"]
        out.findings.append(
            Finding(
                source=Source.GRYPE,
                source_id=f"{vuln.cve_id}:{vuln.package}@{vuln.installed_version}:{rid}",
                resource_id=rid,
                category=FindingCategory.VULNERABILITY,
                type="vulnerable_package",
                title=f"{vuln.cve_id} in {vuln.package} {vuln.installed_version}",
                description=(raw.get("description") or "")[:16384] or None,
                severity=severity_of(raw.get("severity")),
                first_seen=seen,
                last_seen=seen,
                console_url=raw.get("dataSource"),
                vulnerability=vuln,
            )
        )
    return out
