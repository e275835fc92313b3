"""The words of a ticket: jinja2 templates rendered from a ``DeliveryRequest``.

Markdown (GitHub bodies, and the source of Jira's ADF) and plain text (ServiceNow) come
from the templates in ``tickets/templates``; no ticket text is written in Python. Every
request is redacted of secrets here, whatever the caller did, because a ticket outlives
the conversation that made it and is read by more people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from governance.redact import Redactor
from tickets.models import DeliveryRequest

__all__ = [
    "CodeBlock",
    "code_blocks",
    "fix_files",
    "redact_request",
    "render_comment",
    "render_ticket",
]

_LANGUAGE_BY_SUFFIX = {
    ".tf": "hcl",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".sh": "bash",
    "dockerfile": "dockerfile",
}


_IDENTITY = frozenset({"idempotency_key", "target", "team", "source", "finding_id"})


@dataclass(frozen=True)
class CodeBlock:
    """One form of the fix: a heading, the code, its language and a file name."""

    title: str
    body: str
    language: str
    filename: str


def code_blocks(request: DeliveryRequest) -> list[CodeBlock]:
    """The fix's code in the order a reviewer reads it; empty without a fix."""
    fix = request.fix
    if fix is None:
        return []
    code = fix.code
    blocks = []
    if code.terraform:
        blocks.append(CodeBlock("Terraform", code.terraform, "hcl", "main.tf"))
    for name, body in sorted(code.native_iac.items()):
        blocks.append(CodeBlock(name, body, _language(name), _safe_name(name)))
    if code.cli:
        blocks.append(CodeBlock("CLI", code.cli, "bash", "fix.sh"))
    if code.other:
        blocks.append(CodeBlock("Other", code.other, "text", "notes.txt"))
    if fix.diff:
        blocks.append(CodeBlock("Diff", fix.diff, "diff", "fix.patch"))
    return blocks


def fix_files(request: DeliveryRequest, folder: str) -> dict[str, str]:
    """The files a pull request commits: each code form, plus a README with the ticket.

    Empty when the request has no validated fix: there is nothing to commit then.
    """
    if request.fix is None or not request.fix.validated:
        return {}
    blocks = code_blocks(request)
    if not blocks:
        return {}
    files = {f"{folder}/{b.filename}": _with_newline(b.body) for b in blocks}
    files[f"{folder}/README.md"] = render_ticket(request, "md")
    return files


def render_ticket(request: DeliveryRequest, kind: str) -> str:
    """The ticket body: ``kind`` is ``"md"`` (markdown) or ``"txt"`` (plain text)."""
    return _render(f"ticket.{kind}.j2", request)


def render_comment(request: DeliveryRequest, kind: str) -> str:
    """What a second proposal adds to the finding's open ticket."""
    return _render(f"comment.{kind}.j2", request)


def redact_request(request: DeliveryRequest, redactor: Redactor | None = None) -> DeliveryRequest:
    """The request with every secret-looking string replaced by ``[REDACTED:kind]``.

    Identifiers (accounts, resource names) stay: the owner team needs them. The keys
    that identify the delivery (proposal, finding, team) are left exactly as they are:
    idempotency and dedupe rest on them.
    """
    redactor = redactor or Redactor(pseudonymise=False)
    data = request.model_dump(mode="python")
    for name, value in data.items():
        if name not in _IDENTITY:
            data[name] = _redact_value(value, redactor)
    return DeliveryRequest.model_validate(data)


def _redact_value(value: Any, redactor: Redactor) -> Any:
    if isinstance(value, str):
        return redactor.redact(value).text
    if isinstance(value, dict):
        return {k: _redact_value(v, redactor) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redact_value(v, redactor) for v in value)
    return value


def _render(template: str, request: DeliveryRequest) -> str:
    text = _ENV.get_template(template).render(r=request, blocks=code_blocks(request))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _md(text: object) -> str:
    """Untrusted text as markdown prose: no raw HTML, no line breaks that start blocks.

    >>> _md("<img src=x> ok\\n# not a heading")
    '&lt;img src=x&gt; ok # not a heading'
    """
    flat = " ".join(str(text).split())
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _code(text: object) -> str:
    """Text for an inline code span (a backtick would close it).

    >>> _code("a`b")
    "a'b"
    """
    return " ".join(str(text).split()).replace("`", "'")


def _fence(body: str, language: str) -> str:
    """A fenced code block whose fence is longer than any backtick run inside.

    >>> print(_fence("echo ```", "bash"))
    ````bash
    echo ```
    ````
    """
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body.rstrip()}\n{fence}"


def _url(value: object) -> str:
    """Only http(s) links, with characters that would end a markdown link escaped.

    >>> _url("javascript:alert(1)"), _url("https://x.test/a b)")
    ('#', 'https://x.test/a%20b%29')
    """
    text = str(value).strip()
    if not re.match(r"^https?://", text, re.IGNORECASE):
        return "#"
    return text.replace(" ", "%20").replace(")", "%29").replace("(", "%28")


def _language(name: str) -> str:
    lowered = name.lower()
    for suffix, language in _LANGUAGE_BY_SUFFIX.items():
        if lowered.endswith(suffix):
            return language
    return "text"


def _safe_name(name: str) -> str:
    """A drafter's file name as a single safe path segment.

    >>> _safe_name("../etc/passwd"), _safe_name("patch.yaml")
    ('..-etc-passwd', 'patch.yaml')
    """
    cleaned = re.sub(r"[^\w.-]", "-", name).strip("-") or "fix.txt"
    return "file" + cleaned if cleaned in {".", ".."} else cleaned


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


_ENV = Environment(
    loader=PackageLoader("tickets", "templates"),
    undefined=StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters.update(md=_md, code=_code, fence=_fence, url=_url)
