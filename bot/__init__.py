"""The Slack surface (issue 4): Bolt app, listeners, Block Kit views."""
