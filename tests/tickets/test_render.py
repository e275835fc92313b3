"""Ticket text from the templates, and the ADF built from it."""

from __future__ import annotations

import json

from tests.tickets.conftest import fix, request
from tickets.adf import adf_problems, markdown_to_adf
from tickets.render import fix_files, render_comment, render_ticket


def test_markdown_body_has_every_section_in_order() -> None:
    body = render_ticket(request(), "md")
    headings = [line for line in body.splitlines() if line.startswith("#")]
    assert headings == [
        "## Summary",
        "## Risk",
        "## Evidence",
        "## Fix",
        "### Terraform",
        "### template.yaml",
        "### CLI",
        "### Before rollout",
        "## Rollout",
        "## Verification",
        "## Links",
    ]
    assert '```hcl\nresource "aws_lambda_function_url"' in body
    assert "## Evidence\n\n- Function URL AuthType is NONE\n- Role has iam:* on *\n\n" in body
    assert "## Rollout\n\n1. Deploy to staging\n1. Watch 4xx for an hour\n1. Deploy" in body
    assert "risk score 9.4" in body
    assert "approved by U0ALICE" in body


def test_untrusted_text_cannot_inject_markup_or_links() -> None:
    body = render_ticket(
        request(
            title="x <img src=y>",
            evidence=("line\n# fake heading",),
            console_url="javascript:alert(1)",
        ),
        "md",
    )
    assert "<img" not in body and "&lt;img src=y&gt;" in body
    assert "\n# fake heading" not in body
    assert "](#)" in body and "javascript:" not in body


def test_code_with_backtick_fences_stays_inside_its_block() -> None:
    tricky = fix(code=fix().code.model_copy(update={"cli": "echo ```\n## not a heading"}))
    doc = markdown_to_adf(render_ticket(request(fix=tricky), "md"))
    blocks = [n for n in doc["content"] if n["type"] == "codeBlock"]
    assert any("## not a heading" in b["content"][0]["text"] for b in blocks)
    headings = [n["content"][0]["text"] for n in doc["content"] if n["type"] == "heading"]
    assert "not a heading" not in headings


def test_plain_text_for_servicenow_has_no_markdown() -> None:
    text = render_ticket(request(), "txt")
    assert "RISK\nPublic prod function" in text
    assert "--- Terraform ---" in text and "```" not in text and "##" not in text
    assert "EVIDENCE\n- Function URL AuthType is NONE\n- Role has iam:* on *\n\nFIX\n" in text
    assert "ROLLOUT\n1. Deploy to staging\n2. Watch 4xx for an hour\n3. Deploy to prod\n" in text


def test_investigate_ticket_without_fix() -> None:
    body = render_ticket(request(fix=None), "md")
    assert "No validated fix was drafted" in body
    assert fix_files(request(fix=None), "f") == {}


def test_fix_files_only_for_a_validated_fix() -> None:
    files = fix_files(request(), "security-fixes/abc")
    assert sorted(files) == [
        "security-fixes/abc/README.md",
        "security-fixes/abc/fix.sh",
        "security-fixes/abc/main.tf",
        "security-fixes/abc/template.yaml",
    ]
    assert all(text.endswith("\n") for text in files.values())
    assert fix_files(request(fix=fix(validated=False)), "x") == {}


def test_adf_of_a_full_ticket_is_valid_and_json() -> None:
    doc = markdown_to_adf(render_ticket(request(), "md"))
    assert adf_problems(doc) == []
    assert doc["version"] == 1 and doc["type"] == "doc"
    assert json.loads(json.dumps(doc)) == doc
    kinds = {n["type"] for n in doc["content"]}
    assert {"heading", "paragraph", "bulletList", "codeBlock", "rule"} <= kinds
    lists = [n for n in doc["content"] if n["type"] in ("bulletList", "orderedList")]
    sizes = [(n["type"], len(n["content"])) for n in lists]
    assert sizes[:1] == [("bulletList", 2)] and ("orderedList", 3) in sizes
    languages = {n["attrs"]["language"] for n in doc["content"] if n["type"] == "codeBlock"}
    assert {"hcl", "yaml", "bash"} <= languages


def test_adf_marks_follow_the_rules() -> None:
    doc = markdown_to_adf("**bold `code`** and [a `link`](https://x.test)")
    texts = doc["content"][0]["content"]
    code = next(t for t in texts if t["text"] == "code")
    assert code["marks"] == [{"type": "code"}]  # strong dropped: code goes with link only
    linked = next(t for t in texts if t["text"] == "link")
    assert {m["type"] for m in linked["marks"]} == {"link", "code"}
    assert adf_problems(doc) == []


def test_adf_checker_catches_what_jira_refuses() -> None:
    bad = {
        "version": 2,
        "type": "doc",
        "content": [
            {"type": "heading", "attrs": {"level": 9}, "content": [{"type": "text", "text": "h"}]},
            {
                "type": "codeBlock",
                "content": [{"type": "text", "text": "x", "marks": [{"type": "strong"}]}],
            },
            {"type": "bulletList", "content": [{"type": "paragraph"}]},
            {"type": "paragraph", "content": [{"type": "text", "text": ""}]},
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": "a", "marks": [{"type": "code"}, {"type": "em"}]}
                ],
            },
            {"type": "table"},
        ],
    }
    problems = adf_problems(bad)
    assert "root: version must be 1" in problems
    assert any("heading level" in p for p in problems)
    assert any("no marks" in p for p in problems)
    assert any("paragraph is not allowed in bulletList" in p for p in problems)
    assert any("non-empty" in p for p in problems)
    assert any("combines with link only" in p for p in problems)
    assert any("table is not allowed in doc" in p for p in problems)


def test_comment_names_the_new_proposal() -> None:
    body = render_comment(request(idempotency_key="prop-0002"), "md")
    assert "proposal `prop-0002`" in body and "## Fix" in body
    assert adf_problems(markdown_to_adf(body)) == []


def test_adf_matches_the_real_jira_sample_shape(shared_dir) -> None:  # type: ignore[no-untyped-def]
    sample = json.loads(
        (shared_dir / "realdata/ticketing/jira/get-issue-response.json").read_text()
    )["fields"]["description"]
    assert adf_problems(sample) == []
    ours = markdown_to_adf("Test description")
    assert ours == sample
