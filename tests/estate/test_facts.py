"""The facts tables: scores match their vectors, lines are well formed, findings obey them."""

from __future__ import annotations

import math
import re

import pytest

from core.models import Severity
from estate import CVES, Estate, PackageLine
from estate.facts_lang import LANG_LINES
from estate.facts_os import OS_LINES

_LINES = [ln for group in (*OS_LINES.values(), *LANG_LINES.values()) for ln in group]
_W = {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2}
_CIA = {"H": 0.56, "L": 0.22, "N": 0.0}


def _roundup(x: float) -> float:
    scaled = round(x * 100_000)
    return scaled / 100_000 if scaled % 10_000 == 0 else (math.floor(scaled / 10_000) + 1) / 10


def cvss31_base(vector: str) -> float:
    """CVSS v3.1 base score, from the FIRST specification's formulas."""
    m = dict(part.split(":") for part in vector.split("/")[1:])
    changed = m["S"] == "C"
    pr = {"N": 0.85, "L": 0.68 if changed else 0.62, "H": 0.5 if changed else 0.27}[m["PR"]]
    iss = 1 - (1 - _CIA[m["C"]]) * (1 - _CIA[m["I"]]) * (1 - _CIA[m["A"]])
    impact = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 if changed else 6.42 * iss
    ac = {"L": 0.77, "H": 0.44}[m["AC"]]
    exploitability = 8.22 * _W[m["AV"]] * ac * pr * {"N": 0.85, "R": 0.62}[m["UI"]]
    if impact <= 0:
        return 0.0
    raw = (impact + exploitability) * (1.08 if changed else 1.0)
    return _roundup(min(raw, 10.0))


@pytest.mark.parametrize("cve", sorted(CVES))
def test_score_matches_vector(cve: str) -> None:
    fact = CVES[cve]
    assert re.fullmatch(r"CVE-\d{4}-\d{4,}", fact.cve_id)
    assert cvss31_base(fact.vector) == fact.cvss
    assert 0 < fact.epss < 1


def test_known_facts_stay_true() -> None:
    log4shell = CVES["CVE-2021-44228"]
    assert (log4shell.cvss, log4shell.kev, log4shell.exploit) == (10.0, True, True)
    assert CVES["CVE-2023-4863"].kev and CVES["CVE-2023-44487"].kev
    assert not CVES["CVE-2024-3094"].kev and CVES["CVE-2024-3094"].cvss == 10.0
    log4j = next(ln for ln in _LINES if ln.packages == ("log4j-core",))
    assert dict(log4j.fixes)["CVE-2021-44228"] == "2.15.0"
    assert [c.cve_id for c, _ in log4j.open_cves("2.14.1")] == [
        "CVE-2021-44228",
        "CVE-2021-45046",
        "CVE-2021-44832",
    ]


def test_facts_cover_ecosystems_and_missing_fixes() -> None:
    assert len(CVES) >= 40
    types = {ln.package_type for ln in _LINES}
    assert {"deb", "apk", "npm", "pypi", "maven", "go"} <= types
    assert any(fixed is None for ln in _LINES for _, fixed in ln.fixes)
    used = {cve for ln in _LINES for cve, _ in ln.fixes}
    assert used == set(CVES)


@pytest.mark.parametrize("ln", _LINES, ids=lambda ln: f"{ln.platform}:{ln.packages[0]}")
def test_lines_are_well_formed(ln: PackageLine) -> None:
    assert len(set(ln.versions)) == len(ln.versions) and ln.packages
    assert 0 < ln.presence <= 1
    for cve, fixed in ln.fixes:
        assert cve in CVES
        assert fixed is None or fixed != ln.versions[0], "the oldest version cannot be a fix"
    if all(fixed in ln.versions for _, fixed in ln.fixes):
        assert ln.open_cves(ln.versions[-1]) == [], "the newest version should be clean"


def _rating(cvss: float) -> Severity:
    if cvss >= 9:
        return Severity.CRITICAL
    if cvss >= 7:
        return Severity.HIGH
    return Severity.MEDIUM if cvss >= 4 else Severity.LOW


def test_vulnerability_findings_carry_their_facts(estate: Estate) -> None:
    for f in estate.findings:
        v = f.vulnerability
        if v is None:
            continue
        fact = CVES[v.cve_id]
        assert (v.cvss_score, v.in_kev, v.exploit_available) == (fact.cvss, fact.kev, fact.exploit)
        assert v.cvss_vector == fact.vector and v.epss == fact.epss
        assert f.severity is _rating(fact.cvss)
