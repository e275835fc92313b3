"""Which source watches which account, what each can report, and its ID and URL formats.

Each source's ``source_id`` looks like that platform's own: Wiz issue UUIDs, Prisma
Cloud ``_P-`` alert numbers, Lacework numeric alert ids, Orca ``orca-`` ids, and for the
scanners (which have no ids) a key built from what they report, as a connector would.
"""

from __future__ import annotations

from core.models import FindingCategory, Source
from estate.rand import Rand

__all__ = [
    "ACCOUNT_SOURCES",
    "CAN_REPORT",
    "REGISTRY_ACCOUNT",
    "SourceIds",
    "console_url",
]

_W, _P, _L, _O, _T, _PR = (
    Source.WIZ,
    Source.PRISMA,
    Source.LACEWORK,
    Source.ORCA,
    Source.TRIVY,
    Source.PROWLER,
)

REGISTRY_ACCOUNT = "214365870912"  # shared-services account that hosts ECR

# which platforms are connected to which account / subscription / project
ACCOUNT_SOURCES: dict[str, tuple[Source, ...]] = {
    "381492058173": (_W, _P, _PR),
    "603918274510": (_W, _O, _PR),
    "527839104662": (_W, _L, _PR),
    "749201836455": (_L, _PR),
    REGISTRY_ACCOUNT: (_W, _P),
    "8f3c2a71-4b9e-4d2a-9c61-2f7e0b5d4a13": (_W, _P, _PR),
    "c2d9e6b4-7a13-4f08-b5e2-91a4c3d7e860": (_P, _O, _PR),
    "5a7e1f93-0c2b-4e6d-8a47-d3b9f2c61e05": (_O, _PR),
    "acme-prod-4821": (_W, _L, _PR),
    "acme-staging-1937": (_P, _PR),
    "acme-dev-7730": (_L, _PR),
}

CAN_REPORT: dict[FindingCategory, frozenset[Source]] = {
    FindingCategory.VULNERABILITY: frozenset((_W, _P, _L, _O, _T)),
    FindingCategory.MISCONFIGURATION: frozenset((_W, _P, _L, _O, _T, _PR)),
    FindingCategory.PERMISSIONS: frozenset((_W, _P, _L, _O, _PR)),
    FindingCategory.RUNTIME_THREAT: frozenset((_W, _P, _L)),
    FindingCategory.SECRET: frozenset((_W, _P, _O, _T, _PR)),
    FindingCategory.COLD_START: frozenset((_W, _P, _L, _O)),
}


class SourceIds:
    """Issues ``source_id`` values in each platform's shape, never the same one twice."""

    def __init__(self, rand: Rand) -> None:
        self._rand = rand
        self._next = {
            _P: 1_200_000 + rand.randint(0, 99_999),
            _L: 180_000 + rand.randint(0, 9_999),
            _O: 3_400_000 + rand.randint(0, 99_999),
        }
        self._natural: set[str] = set()

    def issue(self, source: Source, natural: str) -> str:
        """A new id; ``natural`` is used by the scanners (Trivy, Prowler) that have none."""
        if source is _W:
            return self._rand.uuid()
        if source in self._next:
            value = self._next[source]
            self._next[source] = value + self._rand.randint(1, 4)
            return {_P: f"P-{value}", _L: str(value), _O: f"orca-{value}"}[source]
        key, n = natural, 1
        while key in self._natural:
            n += 1
            key = f"{natural}#{n}"
        self._natural.add(key)
        return key


def console_url(source: Source, source_id: str, *, cve: str | None, check: str) -> str:
    """Where an engineer would open the finding in that platform's console."""
    if source is _W:
        page = "vulnerability-findings" if cve else "issues"
        return f"https://app.wiz.io/{page}#~(issue~'{source_id})"
    if source is _P:
        return f"https://app.prismacloud.io/alerts/overview?alertId={source_id}"
    if source is _L:
        return f"https://acme.lacework.net/ui/investigation/monitor/AlertInbox/{source_id}/details"
    if source is _O:
        return f"https://app.orcasecurity.io/alerts/{source_id}"
    if source is _T:
        return f"https://avd.aquasec.com/{'nvd/' + cve.lower() if cve else 'misconfig/' + check}"
    return f"https://hub.prowler.com/check/{check}"
