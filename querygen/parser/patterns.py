"""Shaped values recognised by form: runtimes, CVE ids, regions, accounts, IAM actions, packages.

Each recogniser looks at the lower-cased words from an index and returns the concept it
reads there and how many words it used, or None. They run before the lexicon, so
"python 3.8" is a runtime and not "python" plus a stray number.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["KNOWN_PACKAGES", "RECOGNISERS", "Recognised"]

Recognised = tuple[str, int] | None  # (concept id, words used)

_CVE = re.compile(r"^cve-\d{4}-\d{4,7}$")
_AWS_REGION = re.compile(
    r"^(us|eu|ap|sa|ca|me|af|il|mx)-(gov-)?(north|south|east|west|central|northeast|"
    r"southeast|northwest|southwest)-\d$"
)
_GCP_REGION = re.compile(
    r"^(us|europe|asia|australia|northamerica|southamerica|me|africa)-(north|south|east|west|"
    r"central|northeast|southeast|northwest|southwest)\d{1,2}$"
)
_AZURE_REGIONS = frozenset(
    {
        "eastus",
        "eastus2",
        "westus",
        "westus2",
        "westus3",
        "centralus",
        "northeurope",
        "westeurope",
        "uksouth",
        "ukwest",
        "southeastasia",
        "eastasia",
        "japaneast",
        "australiaeast",
        "germanywestcentral",
    }
)
_ACCOUNT = re.compile(r"^\d{12}$")
_ACTION = re.compile(r"^([a-z0-9-]+|\*):\*$")
_SERVICES = frozenset(
    {
        "s3",
        "dynamodb",
        "ec2",
        "iam",
        "kms",
        "sqs",
        "sns",
        "sts",
        "rds",
        "ecr",
        "secretsmanager",
        "logs",
        "kinesis",
        "cloudwatch",
        "ssm",
    }
)
_WILD = frozenset({"wildcard", "wildcards", "star"})
_FULL_RUNTIME = (
    (re.compile(r"^python(\d)\.(\d{1,2})$"), "python{0}.{1}"),
    (re.compile(r"^nodejs(\d{1,2})(?:\.x)?$"), "nodejs{0}.x"),
    (re.compile(r"^node(\d{1,2})(?:\.x)?$"), "nodejs{0}.x"),
    (re.compile(r"^java(\d{1,2})$"), "java{0}"),
    (re.compile(r"^go(1\.x)$"), "go{0}"),
    (re.compile(r"^dotnet(\d{1,2})$"), "dotnet{0}"),
)
_FAMILY_VERSION = {
    "python": (re.compile(r"^(\d)\.(\d{1,2})$"), "python{0}.{1}"),
    "py": (re.compile(r"^(\d)\.(\d{1,2})$"), "python{0}.{1}"),
    "node": (re.compile(r"^(\d{1,2})(?:\.x)?$"), "nodejs{0}.x"),
    "nodejs": (re.compile(r"^(\d{1,2})(?:\.x)?$"), "nodejs{0}.x"),
    "java": (re.compile(r"^(\d{1,2})$"), "java{0}"),
    "go": (re.compile(r"^(1\.x)$"), "go{0}"),
    "golang": (re.compile(r"^(1\.x)$"), "go{0}"),
    "dotnet": (re.compile(r"^(\d{1,2})$"), "dotnet{0}"),
}
_FAMILY_ALONE = {"node": "nodejs", "javascript": "nodejs", "typescript": "nodejs", "golang": "go"}
_FUNCTION_WORDS = frozenset({"function", "functions", "lambda", "lambdas", "runtime", "runtimes"})
KNOWN_PACKAGES = frozenset(
    {
        "log4j",
        "log4j-core",
        "log4j-api",
        "openssl",
        "libssl",
        "libssl3",
        "libssl1.1",
        "glibc",
        "libc6",
        "curl",
        "libcurl",
        "zlib",
        "libwebp",
        "xz",
        "xz-utils",
        "liblzma",
        "lodash",
        "jackson-databind",
        "spring-core",
        "spring-web",
        "spring-beans",
        "struts",
        "struts2",
        "urllib3",
        "pyyaml",
        "django",
        "flask",
        "express",
        "axios",
        "minimist",
        "node-fetch",
        "busybox",
        "openssh",
        "sudo",
        "libxml2",
        "expat",
        "pillow",
        "jinja2",
        "werkzeug",
        "requests",
        "netty",
        "snakeyaml",
        "tomcat",
        "jquery",
        "protobuf",
        "golang.org/x/net",
    }
)
_UNENCRYPTED = frozenset({"unencrypted", "plaintext", "unencrypt"})
_WRITES = frozenset({"write", "writes", "writing", "written", "upload", "uploads", "uploading"})
_WRITE_OBJECTS = frozenset(
    {"to", "s3", "bucket", "buckets", "storage", "data", "objects", "into", "files"}
)


def _runtime(words: list[str], i: int) -> Recognised:
    word = words[i]
    for pattern, form in _FULL_RUNTIME:
        match = pattern.match(word)
        if match:
            return f"runtime={form.format(*match.groups())}", 1
    if word in _FAMILY_VERSION and i + 1 < len(words):
        pattern, form = _FAMILY_VERSION[word]
        match = pattern.match(words[i + 1])
        if match:
            return f"runtime={form.format(*match.groups())}", 2
    if word in _FAMILY_ALONE:
        return f"runtime_family={_FAMILY_ALONE[word]}", 1
    if word == "go" and i + 1 < len(words) and words[i + 1] in _FUNCTION_WORDS:
        return "runtime_family=go", 1
    return None


def _identifier(words: list[str], i: int) -> Recognised:
    word = words[i]
    if _CVE.match(word):
        return f"cve_id={word.upper()}", 1
    if _AWS_REGION.match(word) or _GCP_REGION.match(word) or word in _AZURE_REGIONS:
        return f"region={word}", 1
    if _ACCOUNT.match(word):
        return f"account={word}", 1
    return None


def _wildcard(words: list[str], i: int) -> Recognised:
    """'s3:*', '*:*', 'wildcard s3', 's3 wildcard', 'wildcard permissions on s3'."""
    match = _ACTION.match(words[i])
    if match:
        return f"wildcard={match.group(1)}", 1
    if words[i] in _WILD:
        for j in range(i + 1, min(i + 4, len(words))):
            if words[j] in _SERVICES:
                return f"wildcard={words[j]}", j - i + 1
    if words[i] in _SERVICES and i + 1 < len(words) and words[i + 1] in _WILD:
        return f"wildcard={words[i]}", 2
    return None


def _package(words: list[str], i: int) -> Recognised:
    word = words[i]
    if word in KNOWN_PACKAGES:
        return f"package={word}", 1
    return None


def _unencrypted_write(words: list[str], i: int) -> Recognised:
    """'write to S3 without encryption', 'unencrypted writes to s3', 'writing unencrypted data'."""
    if words[i] not in _WRITES and words[i] not in _UNENCRYPTED:
        return None
    end = min(len(words), i + 7)
    window = words[i:end]
    has_write = any(w in _WRITES for w in window)
    plain = any(w in _UNENCRYPTED for w in window) or _says_no_encryption(window)
    if not (has_write and plain):
        return None
    last = max(
        k
        for k, w in enumerate(window)
        if w in _WRITES or w in _UNENCRYPTED or w.startswith("encrypt")
    )
    while last + 1 < len(window) and window[last + 1] in _WRITE_OBJECTS:
        last += 1
    return "type=unencrypted_storage_write", last + 1


def _says_no_encryption(window: list[str]) -> bool:
    for k, word in enumerate(window[:-1]):
        if word in ("without", "no", "not") and window[k + 1].startswith("encrypt"):
            return True
    return False


RECOGNISERS: tuple[Callable[[list[str], int], Recognised], ...] = (
    _unencrypted_write,
    _runtime,
    _identifier,
    _wildcard,
    _package,
)
