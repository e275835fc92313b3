"""Hand-written phrases for operators: comparisons, negation, counting, grouping, order.

Also the words that carry no meaning of their own (``STOPWORDS``, never counted as used
or unused) and the ones that are understood but add nothing (``FILLERS``, counted as
used): "show me all ..." and "lambdas touching PII" lose nothing when those go.
"""

from __future__ import annotations

__all__ = [
    "FILLERS",
    "NEVER_CORRECT",
    "OPERATORS",
    "SOFT",
    "STOPWORDS",
    "TIME_WORDS",
    "YES_NO_STARTS",
]

OPERATORS: dict[str, str] = {
    "search for": "filler",
    "look for": "filler",
    "looking for": "filler",
    "more than": "compare gt",
    "greater than": "compare gt",
    "over": "compare gt",
    "above": "compare gt",
    "exceeding": "compare gt",
    "exceeds": "compare gt",
    "larger than": "compare gt",
    "bigger than": "compare gt",
    "higher than": "compare gt",
    "longer than": "compare gt",
    "in excess of": "compare gt",
    ">": "compare gt",
    "at least": "compare gte",
    "no less than": "compare gte",
    "minimum of": "compare gte",
    ">=": "compare gte",
    "fewer than": "compare lt",
    "less than": "compare lt",
    "under": "compare lt",
    "below": "compare lt",
    "lower than": "compare lt",
    "smaller than": "compare lt",
    "shorter than": "compare lt",
    "<": "compare lt",
    "at most": "compare lte",
    "no more than": "compare lte",
    "up to": "compare lte",
    "<=": "compare lte",
    "exactly": "compare eq",
    "equal to": "compare eq",
    "=": "compare eq",
    "without": "negate",
    "not": "negate",
    "no": "negate",
    "lack": "negate",
    "lacks": "negate",
    "lacking": "negate",
    "missing": "negate",
    "missing from": "negate",
    "non": "negate",
    "never": "negate",
    "absent": "negate",
    "except": "negate",
    "how many": "count",
    "number of": "count",
    "count": "count",
    "count of": "count",
    "total number of": "count",
    "how much": "count",
    "tally": "count",
    "average": "agg avg",
    "avg": "agg avg",
    "mean": "agg avg",
    "total": "agg sum",
    "sum of": "agg sum",
    "maximum": "agg max",
    "max": "agg max",
    "minimum": "agg min",
    "min": "agg min",
    "per": "group",
    "by": "group",
    "each": "group",
    "for each": "group",
    "for every": "group",
    "grouped by": "group",
    "broken down by": "group",
    "split by": "group",
    "breakdown by": "group",
    "across": "group",
    "every": "group",
    "top": "top",
    "first": "top",
    "riskiest": "order risk",
    "most risky": "order risk",
    "highest risk": "order risk",
    "highest risk score": "order risk",
    "most dangerous": "order risk",
    "worst": "order risk",
    "oldest": "order oldest",
    "earliest": "order oldest",
    "longest open": "order oldest",
    "newest": "order newest",
    "latest": "order newest",
    "most recent": "order newest",
    "most recently": "order newest",
    "the most": "most",
    "most": "most",
    "highest number of": "most",
    "largest number of": "most",
    "the highest number of": "most",
    "biggest": "most",
    "largest": "most",
    "highest": "most",
    "the least": "least",
    "fewest": "least",
    "least": "least",
    "lowest": "least",
    "smallest": "least",
    "found": "history",
    "new": "history",
    "discovered": "history",
    "detected": "history",
    "first seen": "history",
    "appeared": "history",
    "introduced": "history",
    "opened": "history",
    "where": "where",
    "where are": "where",
    "soc 2": "unsupported compliance",
    "soc2": "unsupported compliance",
    "cis": "unsupported compliance",
    "iso 27001": "unsupported compliance",
    "iso27001": "unsupported compliance",
    "compliance": "unsupported compliance",
    "control": "unsupported compliance",
    "controls": "unsupported compliance",
    "benchmark": "unsupported compliance",
    "pci dss": "unsupported compliance",
    "nist": "unsupported compliance",
    "hipaa compliance": "unsupported compliance",
    "failing control": "unsupported compliance",
    "audit": "unsupported compliance",
}

STOPWORDS = frozenset(
    """
a an the all any some me us we our my i you your show list give find get tell display
what which who whose when how is are was were be been being do does did have has had having
that this these those there here of in on at to for from with within into onto about as and or
but please it its their them they still currently right now can could would should will
just also only them there's let lets see return fetch s one ones whats available whether
any very much many such than then so if yet got gets getting become became ever
""".split()
)

FILLERS = frozenset(
    """
touching touch touches handling handle handles handled process processes processing store
stores storing stored hold holds holding use uses using used run runs running ran execute
affected impacted grant grants granted granting contain contains containing mount mounts
mounting own owns owned listed flagged reported appear appears seen volume volumes data
access accessing reading read reads infra infrastructure deployed deploy exist exists
currently variable variables var vars configured configuration set setup raised
expose exposes exposing allow allows sensitive kubernetes k8s level reported
ago whose rated score scores version versions installed environments
""".split()
)

# Words of time phrases and numbers (read by timewords/quantities, not the lexicon).
TIME_WORDS = frozenset(
    """
last past previous within since before after until today yesterday this week weeks month
months day days hour hours year years minute minutes second seconds quarter ago recent
recently monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december jan feb mar apr jun jul aug
sep sept oct nov dec two three four five six seven eight nine ten eleven twelve fifteen
twenty thirty forty fifty sixty ninety hundred dozen thousand gigabytes megabytes
milliseconds gb mb ms
""".split()
)

# Operator words that mean nothing when they operate on nothing ("affected by CVE-...").
SOFT = frozenset(
    {
        "by",
        "per",
        "each",
        "every",
        "across",
        "top",
        "first",
        "most",
        "over",
        "under",
        "above",
        "below",
        "count",
        "total",
        "max",
        "min",
        "mean",
    }
)

# Ordinary words a fuzzy match must leave alone, even when close to a lexicon word.
NEVER_CORRECT = frozenset(
    """
ignore ignoring previous instructions instruction system prompt table tables drop select
delete update insert union where from into values truncate alter create grant revoke
execute exec script shell password passwords token tokens output print forget pretend
role-play assistant human user users admin please respond reply answer answers
""".split()
)

YES_NO_STARTS = frozenset("is are does do has have can could was were did will".split())
