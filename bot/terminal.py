"""`posture chat`: the Slack answers, block for block, in a terminal.

The desk builds the very same Block Kit messages as in Slack; this module renders them
with rich (headers, mrkdwn, code blocks, context lines) and turns every button, menu
option and feedback button into a numbered choice the person types.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.emoji import Emoji
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from bot import messages
from bot.desk import AnswerDesk
from bot.replies import Reply, Upload
from pipeline import Copilot

__all__ = ["Choice", "TerminalChat", "prompt_lines", "render_blocks", "run_scripted_chat"]

_FENCE = re.compile(r"```(.*?)```", re.S)
_INLINE = re.compile(r"`([^`]+)`|\*([^*\n]+)\*|_([^_\n]+)_")
_EXIT = {"quit", "exit", "bye", ":q"}


@dataclass(frozen=True)
class Choice:
    label: str
    action_id: str
    value: str


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _inline(text: str, style: str = "") -> Text:
    out = Text(style=style)
    at = 0
    for match in _INLINE.finditer(text):
        out.append(_unescape(Emoji.replace(text[at : match.start()])))
        code, bold, italic = match.groups()
        if code is not None:
            out.append(_unescape(code), style="cyan")
        elif bold is not None:
            out.append(_unescape(Emoji.replace(bold)), style="bold")
        else:
            out.append(_unescape(Emoji.replace(italic)), style="italic")
        at = match.end()
    out.append(_unescape(Emoji.replace(text[at:])))
    return out


def _mrkdwn(console: Console, text: str, style: str = "") -> None:
    at = 0
    for match in _FENCE.finditer(text):
        if text[at : match.start()].strip():
            console.print(_inline(text[at : match.start()].strip("\n"), style))
        console.print(Panel(Text(_unescape(match.group(1))), expand=False, border_style="dim"))
        at = match.end()
    if text[at:].strip():
        console.print(_inline(text[at:].strip("\n"), style))


def _label(element: dict[str, Any]) -> str:
    return str((element.get("text") or {}).get("text") or element.get("action_id"))


def _element_choices(element: dict[str, Any], about: str = "") -> list[Choice]:
    kind = element.get("type")
    if kind == "button":
        return [Choice(_label(element), str(element["action_id"]), str(element.get("value")))]
    if kind == "overflow":
        return [
            Choice(f"{_label(o)}: {about}".rstrip(": "), str(element["action_id"]), str(o["value"]))
            for o in element.get("options", [])
        ]
    if kind == "feedback_buttons":
        good, bad = element["positive_button"], element["negative_button"]
        return [
            Choice(f"👍 {_label(good)}", str(element["action_id"]), str(good["value"])),
            Choice(f"👎 {_label(bad)}", str(element["action_id"]), str(bad["value"])),
        ]
    return []


def _first_line(text: str) -> str:
    return _unescape(text.split("\n", 1)[0].strip("*_ "))


def render_blocks(console: Console, blocks: Iterable[dict[str, Any]]) -> list[Choice]:
    """Print the blocks; return the choices they offer, in order."""
    choices: list[Choice] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            console.print(Rule(Text(str(block["text"]["text"]), style="bold"), align="left"))
        elif kind == "section":
            text = str((block.get("text") or {}).get("text") or "")
            _mrkdwn(console, text)
            for field in block.get("fields") or []:
                _mrkdwn(console, str(field.get("text")))
            if block.get("accessory"):
                choices += _element_choices(block["accessory"], _first_line(text))
        elif kind == "context":
            for element in block.get("elements", []):
                if "text" in element:
                    _mrkdwn(console, str(element["text"]), style="dim")
        elif kind == "divider":
            console.print(Rule(style="dim"))
        elif kind in ("actions", "context_actions"):
            for element in block.get("elements", []):
                choices += _element_choices(element)
    return choices


class TerminalChat:
    """One person's chat: questions, `/posture …` commands and numbered choices.

    Args:
        desk: the same desk the Slack app uses.
        console: where to print.
        export_dir: where Export CSV writes its file.
        user: who the audit trail records.
    """

    def __init__(
        self, desk: AnswerDesk, console: Console, *, export_dir: Path, user: str = "terminal"
    ) -> None:
        self.desk, self.console, self.export_dir, self.user = desk, console, export_dir, user
        self.choices: list[Choice] = []

    def handle(self, line: str) -> bool:
        """Answer one line; False when the person wants to leave."""
        text = line.strip()
        if not text:
            return True
        if text.lower() in _EXIT:
            return False
        self.show(self._reply(text))
        return True

    def _reply(self, text: str) -> Reply:
        if text.isdigit():
            number = int(text)
            if not 1 <= number <= len(self.choices):
                return Reply(text=messages.CHAT_NO_CHOICE.format(number=number))
            choice = self.choices[number - 1]
            if choice.action_id == "ask_open_modal":
                return Reply(text=messages.CHAT_MODAL)
            return self.desk.act(choice.action_id, choice.value, user=self.user)
        if text.lower() in ("help", "status") or text.startswith("/posture"):
            return self.desk.command(text.removeprefix("/posture"), user=self.user)
        return self.desk.ask(text, user=self.user)

    def show(self, reply: Reply) -> None:
        """Print a reply; its choices replace the last ones (a reply without any keeps
        them, so "Show SQL" does not lose the answer's "Show more")."""
        if reply.upload is not None:
            self._save(reply.upload)
            return
        if not reply.blocks:
            self.console.print(reply.text)
            return
        choices = render_blocks(self.console, reply.blocks)
        if choices:
            self.choices = choices
            self._print_choices()

    def _save(self, upload: Upload) -> None:
        """Write the upload's files where Slack would have shared them."""
        self.export_dir.mkdir(parents=True, exist_ok=True)
        if len(upload.files) == 1 and isinstance(upload.content, str):
            path = self.export_dir / upload.filename
            path.write_text(upload.content, encoding="utf-8")
            self.console.print(messages.CHAT_FILE_SAVED.format(rows=upload.rows, path=path))
            return
        self.console.print(upload.comment)
        for f in upload.files:
            path = self.export_dir / Path(f.filename).name
            if isinstance(f.content, bytes):
                path.write_bytes(f.content)
            else:
                path.write_text(f.content, encoding="utf-8")
            self.console.print(messages.CHAT_FILE_WRITTEN.format(path=path))

    def _print_choices(self) -> None:
        line = Text(f"{messages.CHAT_CHOICES}: ", style="dim")
        for number, choice in enumerate(self.choices, start=1):
            line.append(f"[{number}] ", style="bold")
            line.append(f"{choice.label}   ")
        self.console.print(line)

    def run(self, lines: Iterable[str], *, echo: bool = False) -> None:
        """Answer lines until they run out or the person leaves."""
        for line in lines:
            if not line.strip():
                continue
            if echo:
                self.console.print(
                    Text(f"\n{messages.CHAT_PROMPT}> {line.strip()}", style="bold green")
                )
            if not self.handle(line):
                return


def run_scripted_chat(
    copilot: Copilot,
    questions: Iterable[str],
    out: TextIO,
    *,
    export_dir: Path | None = None,
    width: int = 100,
) -> None:
    """The demo's ending: each question asked and answered as the chat shows it.

    Args:
        copilot: the question path over the store.
        questions: one question (or choice number, or `/posture …`) per item.
        out: where to write; colours only when it is a terminal.
        export_dir: where an exported CSV goes (default: a ``exports`` dir beside the cwd).
        width: the rendering width in characters.
    """
    console = Console(file=out, width=width, soft_wrap=False)
    desk = AnswerDesk(copilot, audit=copilot.audit)
    chat = TerminalChat(desk, console, export_dir=export_dir or Path.cwd() / "exports", user="demo")
    chat.run(questions, echo=True)


def prompt_lines(console: Console) -> Iterator[str]:
    """Lines typed at the prompt, until end of input or Ctrl-C."""
    console.print(messages.CHAT_WELCOME, style="dim")
    while True:
        try:
            yield console.input(f"[bold green]{messages.CHAT_PROMPT}>[/] ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
