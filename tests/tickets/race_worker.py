"""One delivery in its own process, for the cross-process race test (not a test module).

Usage: python -m tests.tickets.race_worker DB_PATH JIRA_URL START_AT
Prints the receipt as JSON.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from core.settings import Settings
from tests.fakes import jira_server
from tests.tickets.conftest import FAST, TEAM, request
from tickets import TicketDesk
from workflow import WorkflowDB


def main() -> None:
    db_path, jira_url, start_at = sys.argv[1], sys.argv[2], float(sys.argv[3])
    settings = Settings(
        teams={"payments": TEAM},
        jira={"base_url": jira_url, "email": jira_server.EMAIL, "api_token": jira_server.TOKEN},
    )
    with (
        WorkflowDB(Path(db_path)) as db,
        TicketDesk.from_settings(settings, db, policy=FAST) as desk,
    ):
        time.sleep(max(0.0, start_at - time.time()))  # all workers start together
        print(desk.deliver(request()).model_dump_json())


if __name__ == "__main__":
    main()
