"""Every finding type the demo estate emits has a drafter or a deliberate no-fix, and
one open finding of each type drafts from the demo store end to end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from core.errors import ValidationFailed
from core.query import ValidatedQuery
from estate.issues import CHECKS
from posture_cli.remediation_commands import register
from remediation import DRAFTERS, NO_AUTOMATIC_FIX, NoAutomaticFix, Remediation, draft_fix
from remediation.context import load_context, select_where
from store import FindingsStore

ESTATE_TYPES = {*CHECKS, "vulnerable_package"}


def test_every_estate_type_is_served_or_deliberately_left() -> None:
    assert ESTATE_TYPES <= set(DRAFTERS) | set(NO_AUTOMATIC_FIX)
    assert not set(DRAFTERS) & set(NO_AUTOMATIC_FIX)


def test_the_store_emits_no_type_the_registry_does_not_know(demo_store: FindingsStore) -> None:
    rows = demo_store.query(ValidatedQuery(sql="SELECT DISTINCT type FROM main.findings"))
    assert {r[0] for r in rows.rows} <= set(DRAFTERS) | set(NO_AUTOMATIC_FIX)


def _open_findings(store: FindingsStore, per: int = 1) -> list[tuple[str, str, str]]:
    """The first ``per`` open findings of each (type, cloud), by id."""
    sql = (
        "SELECT type, cloud, finding_id FROM main.findings WHERE status = 'open' "
        f"QUALIFY row_number() OVER (PARTITION BY type, cloud ORDER BY finding_id) <= {per} "
        "ORDER BY ALL"
    )
    return [(str(a), str(b), str(c)) for a, b, c in store.query(ValidatedQuery(sql=sql)).rows]


def test_one_open_finding_per_type_and_cloud_drafts_end_to_end(demo_store: FindingsStore) -> None:
    fixed: set[str] = set()
    for ftype, _, finding_id in _open_findings(demo_store, per=4):
        out = draft_fix(load_context(demo_store, finding_id))
        if isinstance(out, Remediation):
            assert out.validated and out.validation and out.finding_id == finding_id
            fixed.add(ftype)
        else:
            assert out.reason and "did not validate" not in out.reason, (finding_id, out)
    assert set(DRAFTERS) <= fixed  # every drafter produced at least one validated fix


@pytest.mark.parametrize("bad", ["wiz:x' OR 1=1 --", "nope", "wiz:a\nb", "wiz:a\n", "wiz:\x00", ""])
def test_malformed_or_unknown_ids_are_refused(demo_store: FindingsStore, bad: str) -> None:
    with pytest.raises(ValidationFailed):
        load_context(demo_store, bad)


def test_ids_are_placed_in_sql_as_literals() -> None:
    assert select_where("findings", finding_id="a'; DROP") == (
        "SELECT * FROM main.findings WHERE finding_id = 'a''; DROP'"
    )


def test_cli_fix_prints_the_draft_as_text_and_json(
    demo_store: FindingsStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a copy: DuckDB will not open a second handle on the session store in one process
    shutil.copy(demo_store.path, tmp_path / "posture.duckdb")
    monkeypatch.setenv("POSTURE_HOME", str(tmp_path))
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # a second command keeps `fix` a subcommand
    finding = next(f for t, _, f in _open_findings(demo_store) if t == "public_function_url")
    text = CliRunner().invoke(app, ["fix", finding])
    assert text.exit_code == 0, text.output
    assert "AWS_IAM" in text.output and "Before rollout:" in text.output
    as_json = CliRunner().invoke(app, ["fix", finding, "--json"])
    payload = json.loads(as_json.output)
    assert payload["kind"] == "fix" and payload["validated"] is True
    missing = CliRunner().invoke(app, ["fix", "wiz:does-not-exist"])
    assert missing.exit_code == 1


def test_runtime_threats_get_guidance_not_a_change(demo_store: FindingsStore) -> None:
    finding = next(f for t, _, f in _open_findings(demo_store) if t == "crypto_miner")
    out = draft_fix(load_context(demo_store, finding))
    assert isinstance(out, NoAutomaticFix) and "Isolate" in " ".join(out.guidance)


def test_ids_with_spaces_and_quotes_load(demo_store: FindingsStore) -> None:
    sql = "SELECT min(finding_id) FROM main.findings WHERE contains(finding_id, ' ')"
    spaced = str(demo_store.query(ValidatedQuery(sql=sql)).rows[0][0])
    assert load_context(demo_store, spaced).finding.finding_id == spaced
