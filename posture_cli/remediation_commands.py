"""`posture fix FINDING_ID`: print the drafted fix for one finding (read-only).

``remediation`` (policy_sentry's IAM data, hcl2, kubernetes-validate: ~0.7 s of imports)
loads when a fix is drafted, not whenever the CLI starts (`posture serve` never needs it).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from core.query import ValidatedQuery
from core.settings import Settings
from posture_cli.errors import exits_cleanly
from store import FindingsStore

if TYPE_CHECKING:
    from remediation import NoAutomaticFix, Remediation

__all__ = ["demo_fix_text", "format_fix", "register"]


def format_fix(result: Remediation | NoAutomaticFix) -> str:
    """The draft as plain text for a terminal: summary, code blocks, diff, checks."""
    from remediation import NoAutomaticFix

    if isinstance(result, NoAutomaticFix):
        lines = [f"No automatic fix for {result.finding_id}: {result.reason}"]
        return "\n".join([*lines, *(f"  - {g}" for g in result.guidance)]) + "\n"
    out = [
        f"Fix for {result.finding_id} ({result.finding_type}, drafter {result.drafter})",
        result.summary,
        "",
        result.recommendation,
        "",
    ]
    code = result.code
    blocks = [
        ("CLI", code.cli),
        ("Terraform", code.terraform),
        *code.native_iac.items(),
        ("Other", code.other),
        ("Diff", result.diff),
    ]
    for title, body in blocks:
        if body:
            out += [f"--- {title} ---", body.rstrip("\n"), ""]
    out += ["Before rollout:", *(f"  - {c}" for c in result.checks)]
    out += ["Validated:", *(f"  - {v}" for v in result.validation)]
    return "\n".join(out) + "\n"


_DEMO_FIX_SQL = (
    "SELECT finding_id FROM findings WHERE status = 'open' AND type = 'privileged_container' "
    "ORDER BY risk_score DESC, finding_id LIMIT 1"
)


def demo_fix_text(store: FindingsStore) -> str:
    """What `posture demo` shows of fixes: the riskiest privileged container's patch."""
    rows = store.query(ValidatedQuery(sql=_DEMO_FIX_SQL)).rows
    if not rows:
        return ""
    finding_id = str(rows[0][0])
    from remediation import draft_fix, load_context

    draft = draft_fix(load_context(store, finding_id))
    return f"\n> posture fix {finding_id}\n{format_fix(draft)}"


def register(app: typer.Typer) -> None:
    """Add the ``fix`` command to the ``posture`` app."""

    @app.command()
    @exits_cleanly
    def fix(
        finding_id: str = typer.Argument(..., help="A finding id, e.g. wiz:abc123."),
        as_json: bool = typer.Option(False, "--json", help="Print the draft as JSON."),
    ) -> None:
        """Draft a fix for one finding; nothing is changed anywhere."""
        from pipeline.services import llm_fix_drafter
        from remediation import Remediation, draft_fix, load_context

        settings = Settings()
        with FindingsStore(settings.store_path, read_only=True) as store:
            result = draft_fix(load_context(store, finding_id), llm=llm_fix_drafter(settings))
        if as_json:
            payload = {
                "kind": "fix" if isinstance(result, Remediation) else "no_fix",
                **result.model_dump(mode="json"),
            }
            typer.echo(json.dumps(payload, indent=2))
        else:
            typer.echo(format_fix(result), nl=False)
