"""The Block Kit builders: every kind of answer, within Slack's limits, untrusted text
escaped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from slack_sdk.models.blocks import Block

from bot import messages, proposal_messages
from bot.desk import AnswerDesk
from bot.views import answer_blocks, help_examples, status_blocks
from bot.views.common import MAX_BLOCKS, finish, section
from pipeline import Answer, Clarification
from querygen.catalog import load_catalog
from querygen.parser import parse_question
from querygen.spec import QuerySpec
from store import StoreStatus
from tests.bot.conftest import texts

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def valid(blocks: list[dict]) -> list[dict]:
    """Round-trip through slack_sdk's models: parses, and re-validates every limit."""
    assert 0 < len(blocks) <= MAX_BLOCKS
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, block
        assert parsed.to_dict() == block
    return blocks


@pytest.mark.parametrize(
    "question, kind",
    [
        ("public prod Lambdas touching PII", "rows"),
        ("how many critical findings are open?", "count"),
        ("open critical findings per team", "groups"),
        ("is processPayment exposed to the internet?", "yes_no"),
        ("stuff things", "clarify"),
        ("top 10 riskiest findings", "rows"),
        ("privileged workloads in prod", "rows"),
        ("known exploited vulnerabilities", "rows"),
    ],
)
def test_every_kind_of_answer_renders_within_limits(copilot, question, kind):
    reply = AnswerDesk(copilot).ask(question, user="U1")
    valid(reply.blocks)
    assert reply.blocks[0]["type"] == "header"
    assert reply.blocks[-1]["type"] == "context_actions"
    assert reply.tail == reply.blocks[2:] and reply.lead


def test_the_last_page_is_clamped_and_says_how_much_was_listed(copilot):
    desk = AnswerDesk(copilot)
    answer = desk.with_row_keys(copilot.ask("lambdas"))
    blocks = valid(answer_blocks(answer, answer_id="a1", catalog=copilot.catalog, now=NOW, page=99))
    body = texts(blocks)
    assert "191–200 of 292" in body and "I list the first 200" in body
    assert "answer_page_next" not in str(blocks)


def _answer(**kw) -> Answer:
    base = dict(question="q", path="parser", kind="rows", summary="s")
    return Answer(**{**base, **kw})


def test_untrusted_text_cannot_mention_or_link():
    answer = _answer(
        question="<!channel> " + "long " * 60,
        summary="Riskiest: <!here> & <https://x|y>",
        spec=QuerySpec(view="findings"),
        columns=["title", "risk_score"],
        rows=[["<@U123> <https://evil.example|click> *bold*", 9.1]],
        row_count=1,
        total=1,
    )
    blocks = valid(answer_blocks(answer, answer_id="a1", catalog=load_catalog(), now=NOW))
    body = texts(blocks)
    assert "<!" not in body.replace(blocks[0]["text"]["text"], "")  # header is plain text
    assert "&lt;!here&gt; &amp; &lt;https://x|y&gt;" in body
    assert "&lt;@U123&gt; &lt;https://evil.example|click&gt;" in body
    assert len(blocks[0]["text"]["text"]) <= 150


def test_an_empty_answer_says_so_and_suggests_a_broader_question(copilot):
    reply = AnswerDesk(copilot).ask("public prod buckets with PHI in azure", user="U1")
    body = texts(valid(reply.blocks))
    assert "No buckets match. Try a broader question." in body
    assert messages.EMPTY_HINT.format(chip="Azure") in body
    assert "answer_csv" not in str(reply.blocks) and "row_menu" not in str(reply.blocks)


def test_clarification_buttons_fit_slack_and_carry_the_answer_id():
    long = "a reading with a very long description " * 4
    answer = _answer(
        kind="clarify",
        summary="Did you mean?",
        clarifications=[
            Clarification(label=long, spec=QuerySpec(view="functions")),
            Clarification(label="buckets", spec=QuerySpec(view="buckets")),
        ],
    )
    blocks = valid(answer_blocks(answer, answer_id="abc", catalog=load_catalog(), now=NOW))
    [actions] = [b for b in blocks if b.get("block_id") == "clarify"]
    assert [e["value"] for e in actions["elements"]] == ["abc:0", "abc:1"]
    assert all(len(e["text"]["text"]) <= 75 for e in actions["elements"])


def test_feedback_uses_slacks_feedback_buttons_element():
    blocks = answer_blocks(_answer(), answer_id="abc", catalog=load_catalog(), now=NOW)
    assert blocks[-1] == {
        "type": "context_actions",
        "block_id": "feedback",
        "elements": [
            {
                "type": "feedback_buttons",
                "action_id": "answer_feedback",
                "positive_button": {
                    "text": {"type": "plain_text", "text": "Helpful", "emoji": True},
                    "accessibility_label": messages.FEEDBACK_GOOD_LABEL,
                    "value": "good:abc",
                },
                "negative_button": {
                    "text": {"type": "plain_text", "text": "Not helpful", "emoji": True},
                    "accessibility_label": messages.FEEDBACK_BAD_LABEL,
                    "value": "bad:abc",
                },
            }
        ],
    }


def test_finding_row_menus_offer_explain_and_drafts_within_option_limits(copilot):
    reply = AnswerDesk(copilot).ask("top 10 riskiest findings", user="U1")
    menus = [b["accessory"] for b in reply.blocks if b.get("accessory")]
    assert len(menus) == 10
    for menu in menus:
        labels = [o["text"]["text"] for o in menu["options"]]
        assert labels == [
            messages.MENU_EXPLAIN,
            proposal_messages.MENU_DRAFT_FIX,
            proposal_messages.MENU_DRAFT_TICKET,
            proposal_messages.MENU_SUPPRESS,
        ]
        assert all(len(o["value"]) <= 150 for o in menu["options"])  # Slack's option limit


def test_rows_of_other_views_only_offer_explain(copilot):
    reply = AnswerDesk(copilot).ask("public prod Lambdas touching PII", user="U1")
    menus = [b["accessory"] for b in reply.blocks if b.get("accessory")]
    assert menus and all(len(m["options"]) == 1 for m in menus)


def test_help_examples_come_from_the_catalog_and_parse(copilot):
    catalog = load_catalog()
    examples = help_examples(catalog)
    assert 4 <= len(examples) <= 5
    for question in examples:
        parsed = parse_question(question, catalog, grounding=copilot.grounding, now=NOW)
        assert parsed.spec is not None and parsed.confidence >= 0.9, question


def test_status_without_sources_says_what_to_do():
    status = StoreStatus(
        path="x",
        size_bytes=0,
        schema_version=1,
        origins=[],
        resources_by_kind={},
        findings=0,
        open_findings=0,
        open_by_severity={},
        vulnerabilities=0,
        sources=[],
        last_load_at=None,
    )
    body = texts(valid(status_blocks(status, now=NOW)))
    assert messages.STATUS_NO_SOURCES in body


def test_more_than_fifty_blocks_is_a_bug_caught_before_slack():
    with pytest.raises(ValueError, match="51 blocks"):
        finish([section("x")] * 51)
