"""The terminal chat renders the very blocks Slack gets, with buttons as numbers."""

from __future__ import annotations

import io

from rich.console import Console

from bot import messages, run_scripted_chat
from bot.desk import AnswerDesk
from bot.terminal import TerminalChat, render_blocks


def chat(copilot, tmp_path) -> tuple[TerminalChat, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, width=120, color_system=None)
    return TerminalChat(AnswerDesk(copilot), console, export_dir=tmp_path), out


def test_the_scripted_demo_shows_answers_as_slack_would(copilot, tmp_path):
    out = io.StringIO()
    run_scripted_chat(
        copilot,
        ["public prod Lambdas touching PII", "open critical findings per team"],
        out,
        export_dir=tmp_path,
    )
    text = out.getvalue()
    assert "you> public prod Lambdas touching PII" in text
    assert "58 functions. Riskiest: revokeApiKey (risk 9.58)." in text
    assert "Understood as serverless function · public · prod · AWS Lambda · PII" in text
    assert "1. revokeApiKey" in text and "risk 9.58" in text and "*" not in text
    assert "payments    330" in text  # the group table, fenced in a panel
    assert "[11] Show more" in text and "👍 Helpful" in text


def test_numbers_press_buttons_and_details_keep_the_answer_choices(copilot, tmp_path):
    session, out = chat(copilot, tmp_path)
    session.handle("public prod Lambdas touching PII")
    labels = [c.label for c in session.choices]
    more = labels.index(messages.BUTTON_MORE) + 1
    session.handle(str(labels.index(messages.BUTTON_SQL) + 1))
    assert "SELECT" in out.getvalue()
    assert [c.label for c in session.choices] == labels  # SQL has no choices of its own
    session.handle(str(more))
    assert "11–20 of 58" in out.getvalue()


def test_explain_and_export_work_in_the_terminal(copilot, tmp_path):
    session, out = chat(copilot, tmp_path)
    session.handle("lambdas")
    session.handle("1")  # Explain the first row
    assert messages.EXPLAIN_WHY.strip("*") in out.getvalue()
    session.handle("lambdas")
    export = [c.label for c in session.choices].index(messages.BUTTON_CSV) + 1
    session.handle(str(export))
    saved = tmp_path / "posture-lambdas.csv"
    assert saved.read_text().count("\n") == 293
    assert f"Saved 292 rows to {saved}" in out.getvalue()


def test_help_status_and_bad_numbers(copilot, tmp_path):
    session, out = chat(copilot, tmp_path)
    session.handle("help")
    assert "public prod functions with PII" in out.getvalue()
    session.handle("/posture status")
    assert "Findings store status" in out.getvalue()
    session.handle("99")
    assert messages.CHAT_NO_CHOICE.format(number=99) in out.getvalue()
    assert session.handle("quit") is False


def test_mrkdwn_is_rendered_not_shown_raw():
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=None)
    choices = render_blocks(
        console,
        [
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "*bold* `code` _it_ &lt;x&gt; :red_circle:"},
            },
        ],
    )
    assert out.getvalue().strip() == "bold code it <x> 🔴" and choices == []
