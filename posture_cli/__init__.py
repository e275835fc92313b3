"""The `posture` command: a thin shell over the same functions the Slack app calls."""

from posture_cli.main import app

__all__ = ["app"]
