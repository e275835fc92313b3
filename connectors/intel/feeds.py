"""Where the threat-intel feeds come from: a local file, or a URL cached under $POSTURE_HOME.

A cached copy younger than ``max_age`` is used as is (both feeds are published daily);
an older one is refreshed, and kept when the refresh fails, saying so.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from core.errors import ConnectorError

__all__ = ["EPSS_URL", "KEV_URL", "FeedBytes", "fetch_feed"]

KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
# FIRST's daily scores; epss.cyentia.com redirects here since 2025
EPSS_URL = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"
DEFAULT_MAX_AGE_S = 24 * 3600


@dataclass(frozen=True)
class FeedBytes:
    data: bytes
    origin: str
    note: str = ""  # "cached 3 h ago", "stale cache: download failed"


def _cache_path(cache_dir: Path, url: str) -> Path:
    name = url.rsplit("/", 1)[-1] or "feed"
    return cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()[:12]}-{name}"


def _download(url: str, client: httpx.Client) -> bytes:
    response = client.get(url, follow_redirects=True)
    response.raise_for_status()
    return response.content


def fetch_feed(
    spec: str,
    *,
    cache_dir: Path,
    client: httpx.Client | None = None,
    max_age_s: float = DEFAULT_MAX_AGE_S,
) -> FeedBytes:
    """The bytes of a feed given as a path or an http(s) URL.

    Raises:
        ConnectorError: the file is missing, or the download failed with no cached copy.
    """
    if not spec.startswith(("http://", "https://")):
        path = Path(spec).expanduser()
        try:
            return FeedBytes(path.read_bytes(), str(path))
        except OSError as exc:
            raise ConnectorError(
                f"Cannot read the feed file {path}: {exc.strerror or exc}.",
                remediation="Check the path, or omit it to download the official feed.",
            ) from exc
    cached = _cache_path(cache_dir, spec)
    age = time.time() - cached.stat().st_mtime if cached.exists() else None
    if age is not None and age < max_age_s:
        return FeedBytes(cached.read_bytes(), spec, f"cached {age / 3600:.1f} h ago")
    owned = client is None
    http = client or httpx.Client(timeout=httpx.Timeout(60.0, connect=10.0))
    try:
        data = _download(spec, http)
    except httpx.HTTPError as exc:
        if age is not None:
            return FeedBytes(cached.read_bytes(), spec, "stale cache: the download failed")
        raise ConnectorError(
            f"Cannot download {spec}: {type(exc).__name__}.",
            remediation="Check the network, or pass a local copy (--kev PATH / --epss PATH).",
        ) from exc
    finally:
        if owned:
            http.close()
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".part")
    tmp.write_bytes(data)
    os.replace(tmp, cached)
    return FeedBytes(data, spec, "downloaded")
