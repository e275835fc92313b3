"""An answer's rows as CSV, safe to open in a spreadsheet.

Finding titles and resource names are attacker-controlled; a cell starting with ``=``,
``+``, ``-``, ``@`` or a control character would run as a formula in Excel or Sheets, so
such cells get a leading apostrophe (OWASP's CSV-injection advice).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["EXPORT_LIMIT", "csv_filename", "to_csv"]

EXPORT_LIMIT = 5000  # the SQL guard's row cap
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(v, dict) for v in value) and value:
        text = "; ".join(f"{v.get('name')} {v.get('points')}" for v in value)  # risk factors
    elif isinstance(value, list):
        text = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, sort_keys=True)
    else:
        text = str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A header line and one line per row.

    >>> print(to_csv(["name", "risk"], [["=cmd()", -1.5], ["ok", None]]), end="")
    name,risk
    '=cmd(),-1.5
    ok,
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def csv_filename(question: str) -> str:
    """A short file name from the question.

    >>> csv_filename("Public prod Lambdas touching PII?")
    'posture-public-prod-lambdas-touching-pii.csv'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", question.lower()).strip("-")[:60].rstrip("-")
    return f"posture-{slug or 'answer'}.csv"
