"""The risk score: 0-10 for one open finding, with the factors that made it.

Deterministic and pure: the same signals always give the same score. Every factor adds
points to a raw sum; the score is ``10 * (1 - exp(-raw / SCALE))``, which keeps the
order of raw sums, never passes 10, and rarely saturates, so the top of a ranking
stays readable. Adding exposure, KEV, data, prod or privilege never lowers a score.

================================ ============================================ =======
factor                           when                                         points
================================ ============================================ =======
severity                         critical / high / medium / low / info        4/3/1.8/0.8/0.2
cvss                             CVSS x 0.4, when that beats the severity     <= 4
epss                             EPSS probability x 2                         <= 2
kev                              CVE is in CISA's KEV catalog                  2
exploit                          a public exploit exists                      1
fix_available                    a fixed version exists (actionable now)       0.3
public                           the resource is reachable from the internet  1.5
environment                      prod / staging / dev                         1 / 0.3 / 0
data                             PII 0.8, PCI 1, PHI 1, summed                <= 2.8
privilege                        admin role 1.5, else wildcard role 0.8;      <= 2.5
                                 privileged container adds 1
blast_radius                     sensitive resources reachable, 0.5 each      <= 1.5
active_threat                    category runtime_threat                      1.5
================================ ============================================ =======
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["SCALE", "WEIGHTS", "RiskFactor", "RiskScore", "RiskSignals", "risk_score"]

SCALE = 5.0

WEIGHTS: dict[str, float] = {
    "severity.critical": 4.0,
    "severity.high": 3.0,
    "severity.medium": 1.8,
    "severity.low": 0.8,
    "severity.info": 0.2,
    "cvss_per_point": 0.4,
    "epss_max": 2.0,
    "kev": 2.0,
    "exploit": 1.0,
    "fix_available": 0.3,
    "public": 1.5,
    "environment.prod": 1.0,
    "environment.staging": 0.3,
    "data.PII": 0.8,
    "data.PCI": 1.0,
    "data.PHI": 1.0,
    "privilege.admin": 1.5,
    "privilege.wildcard": 0.8,
    "privilege.privileged_container": 1.0,
    "blast_radius_per_resource": 0.5,
    "blast_radius_max": 1.5,
    "active_threat": 1.5,
}


@dataclass(frozen=True, slots=True)
class RiskSignals:
    """Everything the score reads about one finding and its resource."""

    severity: str
    category: str = "misconfiguration"
    cvss: float | None = None
    epss: float | None = None
    in_kev: bool = False
    exploit_available: bool = False
    fix_available: bool = False
    is_public: bool = False
    environment: str | None = None
    data_classes: tuple[str, ...] = ()
    admin_role: bool = False
    wildcard_role: bool = False
    privileged: bool = False
    reachable_sensitive: int = 0


@dataclass(frozen=True, slots=True)
class RiskFactor:
    name: str
    points: float
    detail: str


@dataclass(frozen=True, slots=True)
class RiskScore:
    score: float
    raw: float
    factors: tuple[RiskFactor, ...] = field(default_factory=tuple)

    def top(self, n: int = 3) -> tuple[RiskFactor, ...]:
        """The ``n`` factors that added most, largest first."""
        return tuple(sorted(self.factors, key=lambda f: (-f.points, f.name))[:n])


def _severity_factor(s: RiskSignals) -> RiskFactor:
    by_severity = WEIGHTS.get(f"severity.{s.severity}", WEIGHTS["severity.info"])
    by_cvss = (s.cvss or 0.0) * WEIGHTS["cvss_per_point"]
    if by_cvss > by_severity:
        return RiskFactor("cvss", round(by_cvss, 3), f"CVSS {s.cvss:g}")
    return RiskFactor("severity", by_severity, f"{s.severity} severity")


def _exploitability(s: RiskSignals) -> list[RiskFactor]:
    out: list[RiskFactor] = []
    if s.epss:
        out.append(RiskFactor("epss", round(s.epss * WEIGHTS["epss_max"], 3), f"EPSS {s.epss:.2f}"))
    if s.in_kev:
        out.append(RiskFactor("kev", WEIGHTS["kev"], "in CISA KEV (known exploited)"))
    if s.exploit_available:
        out.append(RiskFactor("exploit", WEIGHTS["exploit"], "public exploit available"))
    if s.fix_available:
        out.append(RiskFactor("fix_available", WEIGHTS["fix_available"], "fix available"))
    if s.category == "runtime_threat":
        out.append(RiskFactor("active_threat", WEIGHTS["active_threat"], "runtime threat seen"))
    return out


def _exposure(s: RiskSignals) -> list[RiskFactor]:
    out: list[RiskFactor] = []
    if s.is_public:
        out.append(RiskFactor("public", WEIGHTS["public"], "reachable from the internet"))
    env_points = WEIGHTS.get(f"environment.{s.environment}", 0.0)
    if env_points:
        out.append(RiskFactor("environment", env_points, f"runs in {s.environment}"))
    data = sorted(set(s.data_classes))
    data_points = sum(WEIGHTS.get(f"data.{d}", 0.0) for d in data)
    if data_points:
        out.append(RiskFactor("data", data_points, "handles " + ", ".join(data)))
    return out


def _privilege(s: RiskSignals) -> list[RiskFactor]:
    out: list[RiskFactor] = []
    if s.admin_role:
        out.append(RiskFactor("privilege", WEIGHTS["privilege.admin"], "admin role"))
    elif s.wildcard_role:
        out.append(RiskFactor("privilege", WEIGHTS["privilege.wildcard"], "wildcard permissions"))
    if s.privileged:
        points = WEIGHTS["privilege.privileged_container"]
        out.append(RiskFactor("privileged_container", points, "privileged container"))
    if s.reachable_sensitive > 0:
        points = min(
            WEIGHTS["blast_radius_max"],
            s.reachable_sensitive * WEIGHTS["blast_radius_per_resource"],
        )
        detail = f"reaches {s.reachable_sensitive} sensitive resource(s)"
        out.append(RiskFactor("blast_radius", points, detail))
    return out


def risk_score(signals: RiskSignals) -> RiskScore:
    """Score one open finding.

    Args:
        signals: what is known about the finding and its resource.

    Returns:
        The 0-10 score (two decimals), the raw sum and each contributing factor.

    >>> risk_score(RiskSignals(severity="critical", in_kev=True, is_public=True)).score
    7.77
    >>> risk_score(RiskSignals(severity="low")).score
    1.48
    """
    factors = [_severity_factor(signals)]
    factors += _exploitability(signals)
    factors += _exposure(signals)
    factors += _privilege(signals)
    raw = sum(f.points for f in factors)
    score = round(10.0 * (1.0 - math.exp(-raw / SCALE)), 2)
    return RiskScore(score=score, raw=round(raw, 3), factors=tuple(factors))
