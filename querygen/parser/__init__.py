"""The offline parser: a question in plain words -> a QuerySpec, deterministically, offline.

>>> from querygen.catalog import load_catalog
>>> parse_question("public prod lambdas touching PII", load_catalog()).understood
['serverless function', 'public', 'prod', 'AWS Lambda', 'PII']
"""

from __future__ import annotations

from querygen.parser.parse import DEFAULT_THRESHOLD, parse_question
from querygen.parser.result import Candidate, GroundingValues, ParseResult

__all__ = ["DEFAULT_THRESHOLD", "Candidate", "GroundingValues", "ParseResult", "parse_question"]
