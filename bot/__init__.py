"""The Slack surface: Bolt app, listeners, Block Kit views, runners, and the terminal chat
that renders the same messages."""

from bot.app import Services, build_app, build_services, web_client
from bot.delivery import Courier, Place
from bot.desk import AnswerDesk
from bot.replies import Reply, Upload
from bot.runners import serve
from bot.terminal import TerminalChat, run_scripted_chat

__all__ = [
    "AnswerDesk",
    "Courier",
    "Place",
    "Reply",
    "Services",
    "TerminalChat",
    "Upload",
    "build_app",
    "build_services",
    "run_scripted_chat",
    "serve",
    "web_client",
]
