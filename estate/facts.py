"""Which package versions carry which real CVEs, as data the generator samples from.

A :class:`PackageLine` is one package's version history on one platform (a distro
release or a language ecosystem), oldest first, with the version that fixed each CVE.
An image or function picks one installed version per line, and its vulnerabilities are
exactly the CVEs that version has not fixed yet, so one image never reports two
versions of the same package and a newer build is never more vulnerable than an older.
"""

from __future__ import annotations

from dataclasses import dataclass

from estate.facts_cves import CVES, Cve

__all__ = ["CVES", "Cve", "PackageLine", "line"]


@dataclass(frozen=True, slots=True)
class PackageLine:
    """One package's versions on one platform and the CVEs each version still has.

    ``fixes`` maps a CVE to the first version that fixed it on this line; ``None``
    means no fix exists, and a fixed version that is not in ``versions`` belongs to a
    later branch, so every version listed here is still affected.
    """

    platform: str
    package_type: str
    packages: tuple[str, ...]
    versions: tuple[str, ...]
    fixes: tuple[tuple[str, str | None], ...]
    component: str = "base"
    presence: float = 1.0

    def open_cves(self, installed: str) -> list[tuple[Cve, str | None]]:
        """The CVEs ``installed`` still carries, each with its fixed version.

        >>> ln = line("maven", "maven", ("log4j-core",), ("2.14.1", "2.15.0", "2.17.1"),
        ...           {"CVE-2021-44228": "2.15.0", "CVE-2021-44832": "2.17.1"})
        >>> [c.cve_id for c, _ in ln.open_cves("2.15.0")]
        ['CVE-2021-44832']
        """
        at = self.versions.index(installed)
        out: list[tuple[Cve, str | None]] = []
        for cve_id, fixed in self.fixes:
            if fixed is None or fixed not in self.versions or self.versions.index(fixed) > at:
                out.append((CVES[cve_id], fixed))
        return out


def line(
    platform: str,
    package_type: str,
    packages: tuple[str, ...],
    versions: tuple[str, ...],
    fixes: dict[str, str | None],
    component: str = "base",
    presence: float = 1.0,
) -> PackageLine:
    """Build a line; a short positional form keeps the fact tables readable."""
    return PackageLine(
        platform, package_type, packages, versions, tuple(fixes.items()), component, presence
    )
