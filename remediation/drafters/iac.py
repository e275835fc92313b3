"""Function IaC in its three AWS forms: edit a real file, or draft the changed part.

With a caller's Terraform / SAM / serverless.yml, a change is a textual edit of one
key's value (comments and layout survive), and both versions are parsed to show the
edit took and the file still parses. Without one, a minimal block holding only the
changed arguments is drafted in each form and parsed back.
"""

from __future__ import annotations

import re
from typing import Any

from remediation.context import FixContext
from remediation.drafters.common import dump_yaml, tf_name, unified_diff
from remediation.models import DraftInvalid
from remediation.validate import check_terraform, check_yaml, hcl_string

__all__ = ["Edited", "edit_artifacts", "edit_value", "function_forms", "values_of"]

Edited = tuple[dict[str, str], list[str], str]  # (form -> text, validation lines, diff)


def _parse(form: str, text: str) -> Any:
    return check_terraform(text) if form == "terraform" else check_yaml(text, cfn=True)


def values_of(node: Any, key: str) -> list[str]:
    """Every scalar value stored under ``key`` (any case), quotes removed.

    >>> values_of({"a": [{"Runtime": "'python3.8'"}]}, "runtime")
    ['python3.8']
    """
    found: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if str(k).lower() == key.lower() and not isinstance(v, dict | list):
                found.append(hcl_string(v).strip("'"))
            found += values_of(v, key)
    elif isinstance(node, list):
        for item in node:
            found += values_of(item, key)
    return found


def edit_value(form: str, text: str, key: str, old: str, new: str) -> tuple[str, str]:
    """Replace ``key``'s value ``old`` by ``new`` in a real file and prove it took.

    Returns:
        The edited text and a validation line.

    Raises:
        DraftInvalid: the key/value is not in the file, or a version does not parse.
    """
    sep = r"\s*=\s*" if form == "terraform" else r":\s*"
    pattern = re.compile(
        rf"(?im)^(\s*{re.escape(key)}{sep}[\"']?){re.escape(old)}([\"']?\s*(#.*)?)$"
    )
    after, count = pattern.subn(lambda m: f"{m.group(1)}{new}{m.group(2)}", text)
    if not count:
        raise DraftInvalid(f"The {form} file has no {key} {old} to change.")
    before_values = values_of(_parse(form, text), key)
    after_values = values_of(_parse(form, after), key)
    if old in after_values or new not in after_values or len(before_values) != len(after_values):
        raise DraftInvalid(f"The {form} edit did not change {key} from {old} to {new}.")
    return after, f"{form}: {count} {key} value(s) changed; before and after parse"


def function_forms(
    ctx: FixContext,
    terraform_args: dict[str, Any],
    sam_props: dict[str, Any],
    serverless_props: dict[str, Any],
) -> tuple[dict[str, str], list[str]]:
    """Minimal blocks for one Lambda function in Terraform, SAM and serverless.yml."""
    name = ctx.resource.name
    args = "".join(f"  {k} = {_hcl(v)}\n" for k, v in terraform_args.items())
    terraform = (
        f"# only the arguments that change\n"
        f'resource "aws_lambda_function" "{tf_name(name)}" {{\n'
        f'  function_name = "{name}"\n{args}}}\n'
    )
    sam = dump_yaml(
        {
            "Resources": {
                _logical(name): {"Type": "AWS::Serverless::Function", "Properties": sam_props}
            }
        }
    )
    sls = dump_yaml({"functions": {name: serverless_props}})
    texts = {"terraform": terraform, "template.yaml": sam, "serverless.yml": sls}
    check_terraform(terraform)
    for label in ("template.yaml", "serverless.yml"):
        check_yaml(texts[label])
    return texts, ["Terraform parses (python-hcl2)", "SAM and serverless.yml parse (PyYAML)"]


def _logical(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", name[:1].upper() + name[1:]) or "Function"


def _hcl(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return f'"{value}"'


def edit_artifacts(ctx: FixContext, key: dict[str, str], old: str, new: str) -> Edited | None:
    """Edit whichever real IaC files the caller gave; None when there are none.

    Returns ``terraform`` plus the native files by name (template.yaml, serverless.yml).

    Args:
        key: the key's spelling per form: terraform / sam / serverless.
    """
    given = {
        "terraform": ctx.artifacts.terraform,
        "sam": ctx.artifacts.sam,
        "serverless": ctx.artifacts.serverless,
    }
    texts: dict[str, str] = {}
    validation: list[str] = []
    diff = ""
    for form, text in given.items():
        if not text:
            continue
        after, line = edit_value(form, text, key[form], old, new)
        texts["terraform" if form == "terraform" else _FILE[form]] = after
        diff += unified_diff(text, after, _FILE[form])
        validation.append(line)
    return (texts, validation, diff) if texts else None


_FILE = {"terraform": "main.tf", "sam": "template.yaml", "serverless": "serverless.yml"}
