"""The demo estate: a deterministic, realistic multi-cloud estate to demonstrate on."""

from estate.estate import Estate
from estate.facts import CVES, Cve, PackageLine
from estate.generate import generate_estate

__all__ = ["CVES", "Cve", "Estate", "PackageLine", "generate_estate"]
