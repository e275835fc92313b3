"""Permission rows per cloud: the vocabulary of IAM actions the estate's roles grant.

AWS actions look like ``s3:GetObject``, Azure like
``Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read`` and GCP like
``storage.objects.get``; admin is ``*:*`` / ``*`` on ``*`` everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.models import EdgeRelation, Resource
from estate.names import kebab
from estate.rand import Rand

__all__ = [
    "Grant",
    "bucket_rows",
    "compute_base",
    "extras",
    "gcp_sa_name",
    "managed_for",
    "risky",
    "storage_wildcard",
]

_BLOB = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs"
_READ, _WRITE = EdgeRelation.CAN_READ, EdgeRelation.CAN_WRITE


@dataclass(frozen=True, slots=True)
class Grant:
    """One action on one resource pattern, how likely it is to be used, what it reaches."""

    action: str
    pattern: str
    use_p: float = 0.8
    bucket_id: str | None = None
    relation: EdgeRelation = _READ
    reaches_all_storage: bool = False


def gcp_sa_name(name: str) -> str:
    """A GCP service-account id: lowercase, dashes, at most 30 characters.

    >>> gcp_sa_name("syncUserProfileWithALongName")
    'sync-user-profile-with-a-long'
    """
    return kebab(name)[:29].rstrip("-")


def compute_base(cloud: str, account: str, region: str, log_group: str) -> list[Grant]:
    """What every function or workload identity needs to log (to ``log_group`` on AWS)."""
    if cloud == "aws":
        group = f"arn:aws:logs:{region}:{account}:log-group:{log_group}:*"
        return [
            Grant("logs:CreateLogGroup", f"arn:aws:logs:{region}:{account}:*", 0.97),
            Grant("logs:CreateLogStream", group, 0.97),
            Grant("logs:PutLogEvents", group, 0.97),
        ]
    if cloud == "azure":
        return [Grant("Microsoft.Insights/telemetry/action", f"/subscriptions/{account}", 0.95)]
    return [Grant("logging.logEntries.create", f"projects/{account}", 0.97)]


def bucket_rows(cloud: str, bucket: Resource, write: bool) -> list[Grant]:
    """Read (and maybe write) access to one bucket, each row an edge to it."""
    bid = bucket.resource_id
    if cloud == "aws":
        rows = [
            Grant("s3:GetObject", f"{bid}/*", 0.85, bid, _READ),
            Grant("s3:ListBucket", bid, 0.7, bid, _READ),
        ]
        write_row = Grant("s3:PutObject", f"{bid}/*", 0.75, bid, _WRITE)
    elif cloud == "azure":
        rows = [Grant(f"{_BLOB}/read", bid, 0.85, bid, _READ)]
        write_row = Grant(f"{_BLOB}/write", bid, 0.75, bid, _WRITE)
    else:
        rows = [
            Grant("storage.objects.get", bid, 0.85, bid, _READ),
            Grant("storage.objects.list", bid, 0.7, bid, _READ),
        ]
        write_row = Grant("storage.objects.create", bid, 0.75, bid, _WRITE)
    return rows + [write_row] if write else rows


# everyday grants: (action, resource template, probability it is used)
# fmt: off
_EXTRA_TEMPLATES: dict[str, tuple[tuple[str, str, float], ...]] = {
    "aws": (
        ("dynamodb:GetItem", "arn:aws:dynamodb:{region}:{account}:table/{team}-records", 0.8),
        ("dynamodb:PutItem", "arn:aws:dynamodb:{region}:{account}:table/{team}-records", 0.8),
        ("sqs:SendMessage", "arn:aws:sqs:{region}:{account}:{team}-events", 0.8),
        ("sns:Publish", "arn:aws:sns:{region}:{account}:{team}-alerts", 0.5),
        ("kms:Decrypt", "arn:aws:kms:{region}:{account}:alias/{team}", 0.8),
        ("secretsmanager:GetSecretValue",
         "arn:aws:secretsmanager:{region}:{account}:secret:{team}/*", 0.8),
        ("ssm:GetParameter", "arn:aws:ssm:{region}:{account}:parameter/{team}/*", 0.6),
        ("xray:PutTraceSegments", "*", 0.5),
        ("cloudwatch:PutMetricData", "*", 0.6),
    ),
    "azure": (
        ("Microsoft.KeyVault/vaults/secrets/getSecret/action",
         "{rg}/providers/Microsoft.KeyVault/vaults/kv-{team}", 0.8),
        ("Microsoft.ServiceBus/namespaces/queues/send/action",
         "{rg}/providers/Microsoft.ServiceBus/namespaces/sb-{team}", 0.6),
        ("Microsoft.DocumentDB/databaseAccounts/readMetadata",
         "{rg}/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-{team}", 0.8),
    ),
    "gcp": (
        ("pubsub.topics.publish", "projects/{account}/topics/{team}-events", 0.8),
        ("secretmanager.versions.access", "projects/{account}/secrets/{team}-api-key", 0.8),
        ("bigquery.tables.getData", "projects/{account}/datasets/{team}", 0.6),
        ("cloudsql.instances.connect", "projects/{account}/instances/{team}-db", 0.7),
    ),
}
# fmt: on


def _extra_pool(cloud: str, account: str, region: str, team: str) -> list[Grant]:
    rg = f"/subscriptions/{account}/resourceGroups/rg-{team}"
    return [
        Grant(action, pattern.format(region=region, account=account, team=team, rg=rg), use_p)
        for action, pattern, use_p in _EXTRA_TEMPLATES[cloud]
    ]


def extras(rand: Rand, cloud: str, account: str, region: str, team: str) -> list[Grant]:
    """Zero to three everyday grants on non-storage services."""
    return rand.sample(_extra_pool(cloud, account, region, team), rand.randint(0, 3))


def storage_wildcard(cloud: str, use_p: float = 0.15) -> Grant:
    """``s3:*`` and its Azure/GCP equivalents on every resource."""
    action = {"aws": "s3:*", "azure": "Microsoft.Storage/*", "gcp": "storage.*"}[cloud]
    return Grant(action, "*", use_p, reaches_all_storage=True)


def risky(rand: Rand, cloud: str, wildcard_p: float, admin_p: float) -> list[Grant]:
    """Sometimes a wildcard grant, rarely full admin: the over-privilege findings' source."""
    rows: list[Grant] = []
    if rand.chance(wildcard_p):
        rows.append(storage_wildcard(cloud))
        if rand.chance(0.5):
            other = {"aws": "dynamodb:*", "azure": "Microsoft.ServiceBus/*", "gcp": "pubsub.*"}
            rows.append(Grant(other[cloud], "*", 0.2))
    if rand.chance(admin_p):
        action = "*:*" if cloud == "aws" and rand.chance(0.5) else "*"
        rows.append(Grant(action, "*", 0.1, reaches_all_storage=True))
    return rows


def managed_for(cloud: str, rows: list[Grant]) -> tuple[str, ...]:
    """Managed policies / built-in roles that explain the rows (AdministratorAccess ...)."""
    actions = {g.action for g in rows}
    if cloud == "aws":
        out = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
        if "*" in actions:
            out.append("arn:aws:iam::aws:policy/AdministratorAccess")
        if "s3:*" in actions:
            out.append("arn:aws:iam::aws:policy/AmazonS3FullAccess")
        return tuple(out)
    if cloud == "azure":
        if "*" in actions:
            return ("Owner",)
        return ("Storage Blob Data Contributor",) if "Microsoft.Storage/*" in actions else ()
    if "*" in actions:
        return ("roles/owner",)
    return ("roles/storage.admin",) if "storage.*" in actions else ()
