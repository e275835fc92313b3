"""Realistic names and places: teams, accounts, regions, clusters, function and app names.

Fixed constants, not random draws, so the demo's account ids and cluster names stay the
same across seeds and read like a real company's estate.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "APPS",
    "APP_QUALIFIERS",
    "BUCKET_PURPOSES",
    "CLUSTERS",
    "ENV_VARS",
    "FUNCTION_WORDS",
    "ORG",
    "PLACES",
    "SECRET_ENV_VARS",
    "TEAMS",
    "THIRD_PARTY",
    "Cluster",
    "Place",
    "UniqueNames",
    "kebab",
]

ORG = "acme"
TEAMS: tuple[str, ...] = ("payments", "identity", "platform", "data", "growth", "search")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a cloud resource lives: one account/subscription/project and its regions."""

    cloud: str
    env: str
    account: str
    regions: tuple[str, ...]


PLACES: tuple[Place, ...] = (
    Place("aws", "prod", "381492058173", ("us-east-1", "eu-west-1", "us-west-2")),
    Place("aws", "prod", "603918274510", ("us-east-1",)),  # the PCI-scoped payments account
    Place("aws", "staging", "527839104662", ("us-east-1", "eu-west-1")),
    Place("aws", "dev", "749201836455", ("us-east-1", "us-west-2")),
    Place("azure", "prod", "8f3c2a71-4b9e-4d2a-9c61-2f7e0b5d4a13", ("westeurope", "eastus")),
    Place("azure", "staging", "c2d9e6b4-7a13-4f08-b5e2-91a4c3d7e860", ("westeurope",)),
    Place("azure", "dev", "5a7e1f93-0c2b-4e6d-8a47-d3b9f2c61e05", ("westeurope",)),
    Place("gcp", "prod", "acme-prod-4821", ("us-central1", "europe-west1")),
    Place("gcp", "staging", "acme-staging-1937", ("us-central1",)),
    Place("gcp", "dev", "acme-dev-7730", ("us-central1",)),
)


@dataclass(frozen=True, slots=True)
class Cluster:
    name: str
    cloud: str
    env: str
    account: str
    region: str


CLUSTERS: tuple[Cluster, ...] = (
    Cluster("prod-eks-use1", "aws", "prod", "381492058173", "us-east-1"),
    Cluster("prod-eks-euw1", "aws", "prod", "381492058173", "eu-west-1"),
    Cluster("staging-eks-use1", "aws", "staging", "527839104662", "us-east-1"),
    Cluster("dev-eks-use1", "aws", "dev", "749201836455", "us-east-1"),
    Cluster("prod-aks-weu", "azure", "prod", "8f3c2a71-4b9e-4d2a-9c61-2f7e0b5d4a13", "westeurope"),
    Cluster("dev-aks-weu", "azure", "dev", "5a7e1f93-0c2b-4e6d-8a47-d3b9f2c61e05", "westeurope"),
    Cluster("prod-gke-usc1", "gcp", "prod", "acme-prod-4821", "us-central1"),
    Cluster("staging-gke-usc1", "gcp", "staging", "acme-staging-1937", "us-central1"),
)

# fmt: off
# verbs x nouns per team; camelCase on AWS (processPayment), kebab noun-verb elsewhere
FUNCTION_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "payments": (
        ("process", "refund", "capture", "authorize", "settle", "reconcile", "validate", "void"),
        ("Payment", "Order", "Invoice", "Card", "Payout", "Chargeback", "Ledger", "Receipt"),
    ),
    "identity": (
        ("verify", "issue", "rotate", "revoke", "sync", "reset", "provision", "expire"),
        ("Token", "Session", "Password", "UserProfile", "MfaDevice", "ApiKey", "Invite", "Consent"),
    ),
    "platform": (
        ("rotate", "cleanup", "tag", "backup", "audit", "drain", "notify", "scan"),
        ("Secrets", "Snapshots", "Logs", "Resources", "Nodes", "Certificates", "DnsRecords"),
    ),
    "data": (
        ("export", "transform", "ingest", "compact", "anonymize", "load", "partition", "validate"),
        ("Events", "Orders", "Clickstream", "Warehouse", "Reports", "Claims", "Records"),
    ),
    "growth": (
        ("send", "track", "score", "enroll", "render", "segment", "schedule", "recommend"),
        ("Email", "Campaign", "Referral", "Coupon", "Attribution", "Experiment", "Push", "Lead"),
    ),
    "search": (
        ("index", "reindex", "suggest", "rank", "crawl", "embed", "purge", "warm"),
        ("Products", "Documents", "Queries", "Synonyms", "Catalog", "Facets", "Vectors"),
    ),
}

# app (repository / workload) base names and their usual stack
APPS: dict[str, tuple[tuple[str, str], ...]] = {
    "payments": (("checkout-api", "java"), ("payment-gateway", "java"), ("refund-worker", "java"),
                 ("ledger-service", "java"), ("invoice-renderer", "node"),
                 ("fraud-scorer", "python"), ("card-vault", "go"), ("payout-scheduler", "java"),
                 ("billing-api", "node")),
    "identity": (("auth-service", "go"), ("user-profile-sync", "node"), ("session-store", "go"),
                 ("oauth-proxy", "go"), ("mfa-service", "java"), ("account-api", "java"),
                 ("password-reset-worker", "python"), ("scim-connector", "node")),
    "platform": (("ops-portal", "node"), ("cost-reporter", "python"), ("backup-runner", "go"),
                 ("config-service", "java"), ("legacy-web-proxy", "nginx"),
                 ("ci-runner", "tooling")),
    "data": (("etl-runner", "python"), ("kafka-connect", "java"), ("airflow-scheduler", "python"),
             ("airflow-worker", "python"), ("dbt-runner", "python"), ("cdc-streamer", "java"),
             ("warehouse-loader", "python"), ("report-builder", "java")),
    "growth": (("email-sender", "node"), ("campaign-api", "node"), ("referral-service", "node"),
               ("ab-test-engine", "go"), ("push-notifier", "node"),
               ("recommendation-api", "python"), ("landing-renderer", "node"),
               ("coupon-service", "java")),
    "search": (("search-indexer", "java"), ("search-api", "java"), ("query-suggest", "python"),
               ("ranking-service", "python"), ("crawler", "go"), ("embedding-worker", "python"),
               ("catalog-sync", "node")),
}

# third-party platform software: (workload, registry/repository, tag, os, namespace, type)
THIRD_PARTY: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("nginx-ingress", "registry.k8s.io/ingress-nginx/controller", "v1.9.4", "alpine 3.18",
     "ingress-nginx", "Deployment"),
    ("cert-manager", "quay.io/jetstack/cert-manager-controller", "v1.13.2", "debian 12",
     "cert-manager", "Deployment"),
    ("external-dns", "registry.k8s.io/external-dns/external-dns", "v0.14.0", "alpine 3.18",
     "kube-system", "Deployment"),
    ("fluent-bit", "cr.fluentbit.io/fluent/fluent-bit", "2.2.0", "debian 12", "logging",
     "DaemonSet"),
    ("node-exporter", "quay.io/prometheus/node-exporter", "v1.7.0", "debian 12", "monitoring",
     "DaemonSet"),
    ("prometheus", "quay.io/prometheus/prometheus", "v2.48.0", "debian 12", "monitoring",
     "StatefulSet"),
)

APP_QUALIFIERS = ("worker", "consumer", "cron", "admin", "internal", "v2", "eu", "batch")

# bucket purpose per team, with the data classes it holds
BUCKET_PURPOSES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "payments": (("card-vault", ("PCI", "PII")), ("invoices", ("PII",)),
                 ("settlement-reports", ("PCI",)), ("receipts", ("PII",)), ("payout-exports", ())),
    "identity": (("user-avatars", ("PII",)), ("kyc-documents", ("PII",)),
                 ("medical-consents", ("PHI", "PII")), ("audit-trail", ())),
    "platform": (("access-logs", ()), ("terraform-state", ()), ("db-backups", ("PII",)),
                 ("cloudtrail-archive", ()), ("artifacts", ())),
    "data": (("lake-raw", ("PII",)), ("lake-curated", ("PII",)), ("claims-archive", ("PHI", "PII")),
             ("clickstream", ("PII",)), ("ml-features", ())),
    "growth": (("campaign-assets", ()), ("email-templates", ()), ("leads-export", ("PII",)),
               ("experiment-results", ())),
    "search": (("index-snapshots", ()), ("query-logs", ("PII",)), ("crawl-cache", ())),
}

ENV_VARS = ("LOG_LEVEL", "POWERTOOLS_SERVICE_NAME", "TABLE_NAME", "BUCKET_NAME", "QUEUE_URL",
            "STAGE", "REGION", "TIMEOUT_MS", "FEATURE_FLAGS", "OTEL_EXPORTER_OTLP_ENDPOINT")
SECRET_ENV_VARS = ("STRIPE_SECRET_KEY", "DB_PASSWORD", "SENDGRID_API_KEY", "AWS_SECRET_ACCESS_KEY",
                   "GITHUB_TOKEN", "JWT_SIGNING_SECRET", "OPENSEARCH_PASSWORD", "SLACK_WEBHOOK_URL")
# fmt: on


def kebab(camel: str) -> str:
    """``UserProfile`` -> ``user-profile``.

    >>> kebab("syncUserProfile")
    'sync-user-profile'
    """
    out = [("-" + ch.lower()) if ch.isupper() else ch for ch in camel]
    return "".join(out).lstrip("-")


class UniqueNames:
    """Hands out names unique per kind, suffixing a counter once a name is taken.

    The taken-set is only ever probed, never iterated, so it cannot leak hash order.
    """

    def __init__(self) -> None:
        self._taken: dict[str, set[str]] = {}

    def reserve(self, kind: str, name: str) -> None:
        self._taken.setdefault(kind, set()).add(name)

    def is_free(self, kind: str, name: str) -> bool:
        return name not in self._taken.get(kind, set())

    def claim(self, kind: str, name: str) -> str:
        """Return ``name`` or the first free ``name-2``, ``name-3`` ... and take it."""
        taken = self._taken.setdefault(kind, set())
        candidate, n = name, 1
        while candidate in taken:
            n += 1
            candidate = f"{name}-{n}"
        taken.add(candidate)
        return candidate
