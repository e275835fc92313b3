"""Threat intelligence for vulnerabilities: the CISA KEV catalog and FIRST EPSS scores."""

from connectors.intel.enrich import enrich_store
from connectors.intel.feeds import EPSS_URL, KEV_URL, FeedBytes, fetch_feed
from connectors.intel.parse import parse_epss, parse_kev

__all__ = [
    "EPSS_URL",
    "KEV_URL",
    "FeedBytes",
    "enrich_store",
    "fetch_feed",
    "parse_epss",
    "parse_kev",
]
