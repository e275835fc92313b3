"""The two feeds parsed into Arrow tables, one row per CVE.

KEV: CISA's JSON catalog (``vulnerabilities[].cveID``, ``dateAdded``,
``knownRansomwareCampaignUse``). EPSS: FIRST's CSV, gzipped or not, with an optional
``#model_version:...,score_date:...`` comment line before the ``cve,epss,percentile``
header.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from datetime import datetime

import pyarrow as pa

from core.errors import ValidationFailed
from store import EPSS_SCHEMA, KEV_SCHEMA, FeedInfo

__all__ = ["parse_epss", "parse_kev"]

_CVE = re.compile(r"^CVE-\d{4}-\d{4,}$")
_SCORE_DATE = re.compile(r"score_date:([0-9T:+\-Z.]+)")


def parse_kev(data: bytes, origin: str) -> FeedInfo:
    """The KEV catalog as (cve_id, date_added, ransomware).

    Raises:
        ValidationFailed: not JSON, or no ``vulnerabilities`` list of ``cveID`` entries.
    """
    try:
        doc = json.loads(data.decode("utf-8-sig"))
        entries = doc["vulnerabilities"]
        rows = {
            e["cveID"].strip(): (
                datetime.fromisoformat(e["dateAdded"]) if e.get("dateAdded") else None,
                str(e.get("knownRansomwareCampaignUse", "")).lower() == "known",
            )
            for e in entries
            if _CVE.match(str(e.get("cveID", "")).strip())
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValidationFailed(
            f"{origin} is not a CISA KEV catalog ({type(exc).__name__}).",
            remediation="Pass known_exploited_vulnerabilities.json as CISA publishes it.",
        ) from exc
    table = pa.table(
        {
            "cve_id": list(rows),
            "date_added": [v[0] for v in rows.values()],
            "ransomware": [v[1] for v in rows.values()],
        },
        schema=KEV_SCHEMA,
    )
    return FeedInfo(feed="kev", version=doc.get("catalogVersion"), origin=origin, table=table)


def _text(data: bytes) -> str:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8-sig")


def parse_epss(data: bytes, origin: str) -> FeedInfo:
    """The EPSS CSV as (cve_id, epss, percentile).

    Raises:
        ValidationFailed: not the EPSS columns, or a score outside 0-1.
    """
    try:
        text = _text(data)
        lines = text.splitlines()
        comment = next((ln for ln in lines[:3] if ln.startswith("#")), "")
        body = [ln for ln in lines if ln and not ln.startswith("#")]
        reader = csv.DictReader(io.StringIO("\n".join(body)))
        if not reader.fieldnames or not {"cve", "epss", "percentile"} <= set(reader.fieldnames):
            raise ValueError(f"columns {reader.fieldnames}")
        rows: dict[str, tuple[float, float]] = {}
        for row in reader:
            epss, pct = float(row["epss"]), float(row["percentile"])
            if not (0 <= epss <= 1 and 0 <= pct <= 1):
                raise ValueError(f"score out of range for {row['cve']}")
            rows[row["cve"].strip()] = (epss, pct)
    except (ValueError, OSError, EOFError, csv.Error) as exc:
        raise ValidationFailed(
            f"{origin} is not an EPSS scores CSV ({str(exc)[:120]}).",
            remediation="Pass epss_scores-current.csv(.gz) as FIRST publishes it.",
        ) from exc
    match = _SCORE_DATE.search(comment)
    table = pa.table(
        {
            "cve_id": list(rows),
            "epss": [v[0] for v in rows.values()],
            "percentile": [v[1] for v in rows.values()],
        },
        schema=EPSS_SCHEMA,
    )
    return FeedInfo(
        feed="epss", version=match.group(1)[:10] if match else None, origin=origin, table=table
    )
