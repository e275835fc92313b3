"""Buckets: encryption at rest, no public access, versioning.

``unencrypted_storage_write`` is raised on the function that writes; the fix is on the
bucket its title names. Encryption comes with a bucket policy refusing uploads that ask
for weaker encryption, linted with parliament like any IAM document.
"""

from __future__ import annotations

import json
import re

from remediation.context import FixContext
from remediation.drafters.common import finish, no_fix, tf_name
from remediation.models import NoAutomaticFix, Remediation, RemediationCode
from remediation.validate import check_iam_policy, check_terraform

__all__ = ["draft", "encryption_policy"]


def encryption_policy(bucket: str) -> dict[str, object]:
    """Deny uploads asking for anything but SSE-KMS, and any plain-HTTP access.

    >>> encryption_policy("b")["Statement"][0]["Resource"]
    'arn:aws:s3:::b/*'
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyWeakerEncryption",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
                "Condition": {
                    "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}
                },
            },
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }


def _bucket(ctx: FixContext) -> str:
    if ctx.finding.resource_kind == "function" or ctx.resource.runtime:
        match = re.search(r"unencrypted bucket (\S+)", ctx.finding.title)
        return match.group(1) if match else "BUCKET"
    return ctx.resource.name


def _encrypt(bucket: str, label: str) -> tuple[str, str, list[str]]:
    policy = json.dumps(encryption_policy(bucket), indent=2)
    check_iam_policy(policy)
    body = "\n".join(f"    {line}" for line in policy.splitlines())
    tf = (
        f'resource "aws_kms_key" "{label}" {{\n  enable_key_rotation = true\n}}\n\n'
        f'resource "aws_s3_bucket_server_side_encryption_configuration" "{label}" {{\n'
        f'  bucket = "{bucket}"\n  rule {{\n    apply_server_side_encryption_by_default {{\n'
        f'      sse_algorithm     = "aws:kms"\n'
        f"      kms_master_key_id = aws_kms_key.{label}.arn\n    }}\n"
        f"    bucket_key_enabled = true\n  }}\n}}\n\n"
        f'resource "aws_s3_bucket_policy" "{label}" {{\n  bucket = "{bucket}"\n'
        f"  policy = <<-EOT\n{body}\n  EOT\n}}\n"
    )
    cli = (
        f"aws s3api put-bucket-encryption --bucket {bucket} --server-side-encryption-"
        'configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":'
        '{"SSEAlgorithm":"aws:kms"},"BucketKeyEnabled":true}]}\''
    )
    return tf, cli, ["bucket policy JSON parses; parliament finds nothing"]


def _public(bucket: str, label: str, cloud: str) -> tuple[str, str]:
    if cloud == "azure":
        return (
            f'resource "azurerm_storage_account" "{label}" {{\n  # only the arguments '
            f"that change\n  allow_nested_items_to_be_public = false\n}}\n",
            f"az storage account update --name {bucket} --allow-blob-public-access false",
        )
    if cloud == "gcp":
        return (
            f'resource "google_storage_bucket" "{label}" {{\n  name = "{bucket}"\n'
            f'  public_access_prevention = "enforced"\n}}\n',
            f"gcloud storage buckets update gs://{bucket} --public-access-prevention",
        )
    flags = "".join(
        f"  {k} = true\n"
        for k in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        )
    )
    return (
        f'resource "aws_s3_bucket_public_access_block" "{label}" {{\n'
        f'  bucket = "{bucket}"\n{flags}}}\n',
        f"aws s3api put-public-access-block --bucket {bucket} --public-access-block-"
        "configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,"
        "RestrictPublicBuckets=true",
    )


def _versioning(bucket: str, label: str, cloud: str) -> tuple[str, str]:
    if cloud == "azure":
        return (
            f'resource "azurerm_storage_account" "{label}" {{\n  blob_properties {{\n'
            f"    versioning_enabled = true\n  }}\n}}\n",
            f"az storage account blob-service-properties update --account-name {bucket} "
            "--enable-versioning true",
        )
    if cloud == "gcp":
        return (
            f'resource "google_storage_bucket" "{label}" {{\n  name = "{bucket}"\n'
            f"  versioning {{\n    enabled = true\n  }}\n}}\n",
            f"gcloud storage buckets update gs://{bucket} --versioning",
        )
    return (
        f'resource "aws_s3_bucket_versioning" "{label}" {{\n  bucket = "{bucket}"\n'
        f'  versioning_configuration {{\n    status = "Enabled"\n  }}\n}}\n',
        f"aws s3api put-bucket-versioning --bucket {bucket} "
        "--versioning-configuration Status=Enabled",
    )


def draft(ctx: FixContext) -> Remediation | NoAutomaticFix:
    """The bucket setting that closes the finding, as Terraform and a CLI call.

    Raises:
        DraftInvalid: the Terraform or the bucket policy failed a check.
    """
    ftype, cloud = ctx.finding.type, ctx.resource.cloud
    bucket = _bucket(ctx)
    label = tf_name(bucket)
    validation: list[str] = []
    if ftype in ("unencrypted_bucket", "unencrypted_storage_write"):
        if cloud != "aws":
            return no_fix(
                ctx,
                "Azure and GCP storage is always encrypted at rest.",
                "Use customer-managed keys if policy requires them.",
            )
        tf, cli, validation = _encrypt(bucket, label)
        what, checks = (
            "encrypt new objects with SSE-KMS by default",
            [
                "Existing objects stay as they are: re-copy them if they must be KMS-encrypted",
                "Writers' roles need kms:GenerateDataKey on the key",
                "Uploads that ask for other encryption will be refused: check clients first",
            ],
        )
    elif ftype == "public_bucket":
        tf, cli = _public(bucket, label, cloud)
        what, checks = (
            "block public access",
            [
                "Find who reads it anonymously first (server access logs); serve them through "
                "a CDN with origin access control or presigned URLs"
            ],
        )
    else:
        tf, cli = _versioning(bucket, label, cloud)
        what, checks = (
            "keep object versions",
            ["Add a lifecycle rule expiring noncurrent versions, or storage costs grow"],
        )
    check_terraform(tf)
    return finish(
        ctx,
        "bucket_settings",
        summary=f"Change bucket {bucket} to {what}.",
        recommendation=f"Apply this to {bucket} in its IaC so the next deploy keeps it.",
        code=RemediationCode(cli=cli, terraform=tf),
        checks=[*checks, "Apply in a non-prod account first if the bucket is shared"],
        validation=["Terraform parses (python-hcl2)", *validation],
    )
