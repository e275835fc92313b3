"""Parse every drafted artefact back and check it; a draft that fails is never shown.

Each checker returns what it parsed (so callers can assert on content, not just syntax)
and raises ``DraftInvalid`` with the parser's own message otherwise.
"""

from __future__ import annotations

import functools
import gc
import importlib
import json
import re
import textwrap
import warnings
from types import ModuleType
from typing import Any

import hcl2
import kubernetes_validate  # type: ignore[import-untyped]
import yaml

from remediation.models import DraftInvalid

__all__ = [
    "K8S_VERSION",
    "DOCKERFILE_INSTRUCTIONS",
    "check_dockerfile",
    "check_iam_policy",
    "check_k8s",
    "check_terraform",
    "check_yaml",
    "cfn_yaml_load",
    "hcl_string",
    "parliament_issues",
]

K8S_VERSION = "1.31.0"  # the oldest Kubernetes minor still in EKS / AKS / GKE standard support
DOCKERFILE_INSTRUCTIONS = frozenset(
    "FROM RUN CMD LABEL EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG ONBUILD "
    "STOPSIGNAL HEALTHCHECK SHELL MAINTAINER".split()
)


@functools.cache
def _parliament() -> ModuleType:
    """Parliament, imported once; its import leaves two files open, so close them here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        module = importlib.import_module("parliament")
        gc.collect()  # finalise the leaked handles while the warning is ignored
    return module


def parliament_issues(policy: dict[str, Any]) -> set[str]:
    """Parliament's findings on a policy, as ``ISSUE`` keys (details vary with formatting).

    >>> parliament_issues({"Version": "2012-10-17", "Statement": [
    ...     {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]})
    {'UNKNOWN_ACTION'}
    """
    analysed = _parliament().analyze_policy_string(json.dumps(policy))
    return {str(f.issue) for f in analysed.findings}


def check_iam_policy(text: str, baseline: set[str] | None = None) -> dict[str, Any]:
    """A policy JSON that parses, has statements, and adds no parliament finding.

    Args:
        text: the policy document as drafted.
        baseline: parliament's issues on today's policy; only new ones fail.

    Raises:
        DraftInvalid: it does not parse, or parliament finds something new.
    """
    try:
        policy = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DraftInvalid(f"The drafted policy is not JSON: {exc}") from exc
    if not isinstance(policy, dict) or not policy.get("Statement"):
        raise DraftInvalid("The drafted policy has no statements.")
    new = parliament_issues(policy) - (baseline or set())
    if new:
        raise DraftInvalid("Parliament flags the drafted policy.", errors=sorted(new))
    return policy


def check_terraform(text: str) -> dict[str, Any]:
    """HCL that python-hcl2 parses.

    Raises:
        DraftInvalid: it does not parse.
    """
    try:
        parsed: dict[str, Any] = hcl2.loads(text)
    except Exception as exc:  # lark raises several unrelated types; all mean "bad HCL"
        raise DraftInvalid(f"The drafted Terraform does not parse: {exc}".strip()) from exc
    return parsed


def hcl_string(value: object) -> str:
    """A python-hcl2 string value without its quotes (heredocs without their markers).

    >>> hcl_string('"AWS_IAM"'), hcl_string('"<<-EOT\\n  {}\\nEOT"')
    ('AWS_IAM', '{}')
    """
    text = str(value)
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    heredoc = re.match(r"^<<-?(\w+)\n(.*)\n\s*\1$", text, re.S)
    if heredoc:
        return textwrap.dedent(heredoc.group(2)).strip()
    return text


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation short tags (!Ref, !Sub ...) as plain values."""


def _cfn_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        return {name: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {name: loader.construct_sequence(node, deep=True)}
    return {name: loader.construct_mapping(node, deep=True)}  # type: ignore[arg-type]


_CfnLoader.add_multi_constructor("!", _cfn_tag)


def cfn_yaml_load(text: str) -> Any:
    """Load YAML that may use CloudFormation intrinsic short tags.

    >>> cfn_yaml_load("A: !Ref B")
    {'A': {'Ref': 'B'}}
    """
    return yaml.load(text, Loader=_CfnLoader)  # noqa: S506 - a SafeLoader subclass


def check_yaml(text: str, *, cfn: bool = False) -> list[Any]:
    """Every document of a YAML stream, parsed (CloudFormation tags allowed if ``cfn``).

    Raises:
        DraftInvalid: it does not parse or is empty.
    """
    try:
        docs = (
            list(yaml.load_all(text, Loader=_CfnLoader)) if cfn else list(yaml.safe_load_all(text))
        )
    except yaml.YAMLError as exc:
        raise DraftInvalid(f"The drafted YAML does not parse: {exc}") from exc
    docs = [d for d in docs if d is not None]
    if not docs:
        raise DraftInvalid("The drafted YAML is empty.")
    return docs


def check_k8s(doc: dict[str, Any]) -> None:
    """A Kubernetes object that the API schema of ``K8S_VERSION`` accepts (strict).

    Raises:
        DraftInvalid: the schema rejects it.
    """
    try:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
    except kubernetes_validate.ValidationError as exc:
        where = "/".join(str(p) for p in exc.path)
        raise DraftInvalid(
            f"The patched manifest fails Kubernetes {K8S_VERSION} validation at {where}: "
            f"{exc.message}"
        ) from exc
    except kubernetes_validate.SchemaNotFoundError as exc:
        raise DraftInvalid(f"No Kubernetes schema for {doc.get('kind')}: {exc}") from exc


def check_dockerfile(text: str) -> list[tuple[str, str]]:
    """(instruction, arguments) pairs of a Dockerfile whose first instruction is FROM/ARG.

    >>> check_dockerfile("FROM debian:12\\nUSER 10001")
    [('FROM', 'debian:12'), ('USER', '10001')]
    """
    joined = re.sub(r"\\\n", " ", text)
    steps: list[tuple[str, str]] = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word.upper() not in DOCKERFILE_INSTRUCTIONS:
            raise DraftInvalid(f"The drafted Dockerfile has an unknown instruction: {word}")
        steps.append((word.upper(), rest.strip()))
    if not steps or steps[0][0] not in ("FROM", "ARG"):
        raise DraftInvalid("The drafted Dockerfile does not start with FROM.")
    return steps
