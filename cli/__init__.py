"""The `posture` command: a thin shell over the same functions the Slack app calls."""

from cli.main import app

__all__ = ["app"]
