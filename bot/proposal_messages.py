"""Every word the proposal flow shows in Slack (kept beside ``bot.messages``, which holds
the answer path's wording, so the two flows can change without touching each other)."""

from __future__ import annotations

__all__ = [
    "APPROVE",
    "CUT_NOTE",
    "DELIVERED",
    "DELIVERED_EXISTING",
    "DRAFT_ASK",
    "DRAFT_EXISTING",
    "DRAFT_POSTED",
    "EDIT",
    "EDIT_LABEL_NOTES",
    "EDIT_SUBMIT",
    "EDIT_TITLE",
    "EDIT_TOO_LONG",
    "EDITED",
    "FAILED",
    "HEADER",
    "MENU_DRAFT_FIX",
    "MENU_DRAFT_TICKET",
    "MENU_SUPPRESS",
    "NOT_SET_UP",
    "REFUSED",
    "REJECT",
    "REJECT_LABEL",
    "REJECT_SUBMIT",
    "REJECT_TITLE",
    "REQUESTED",
    "RETRY",
    "ROW_GONE",
    "STATE",
    "SUPPRESS_EXPIRY",
    "SUPPRESS_KIND",
    "SUPPRESS_KINDS",
    "SUPPRESS_REASON",
    "SUPPRESS_SUBMIT",
    "SUPPRESS_TITLE",
    "TARGETS",
    "TOO_LATE",
]

MENU_DRAFT_FIX = "Draft fix"
MENU_DRAFT_TICKET = "Draft ticket"
MENU_SUPPRESS = "Suppress…"

HEADER = {
    "fix": "Proposed fix: {summary}",
    "ticket": "Proposed ticket: {summary}",
    "suppression": "Proposed suppression: {summary}",
}
TARGETS = {"jira": "a Jira issue", "servicenow": "a ServiceNow incident", "github": "a GitHub PR"}
REQUESTED = "Requested by <@{user}> · `{id}` · {drafter}"
STATE = {
    "pending": ":hourglass_flowing_sand: Waiting for an approver of *{team}*.",
    "approved": ":white_check_mark: Approved by <@{by}>.",
    "delivered": ":white_check_mark: Approved by <@{by}> · delivered as <{url}|{key}>.",
    "failed": ":warning: Approved by <@{by}>, but delivery failed: {reason}",
    "rejected": ":no_entry_sign: Rejected by <@{by}>: {reason}",
    "closed": ":checkered_flag: Closed: {reason}.",
    "expired": ":alarm_clock: Expired: the finding ranks again.",
}
CUT_NOTE = "_(cut to fit Slack; Edit shows the whole draft)_"
APPROVE = "Approve"
REJECT = "Reject"
EDIT = "Edit"
RETRY = "Retry delivery"

DRAFT_POSTED = "Drafted `{id}` and posted it for approval in <#{channel}>."
DRAFT_EXISTING = "`{id}` already proposes this ({state}); see <#{channel}>."
DRAFT_ASK = "Could not draft that: {message} {hint}"
NOT_SET_UP = "Proposals are not set up in this workspace (no workflow database)."
ROW_GONE = "I could not find that row any more; ask the question again."
REFUSED = ":lock: {reason}"
TOO_LATE = "`{id}` is already {state}{by}."
DELIVERED = ":package: Delivered as <{url}|{key}> (approved by <@{by}>)."
DELIVERED_EXISTING = (
    ":package: Added to the open <{url}|{key}> for this finding (approved by <@{by}>)."
)
FAILED = ":warning: Delivery to {target} failed: {reason} An approver can press Retry."
EDITED = ":pencil2: <@{user}> edited the draft; it was re-validated."

REJECT_TITLE = "Reject proposal"
REJECT_LABEL = "Why is it rejected?"
REJECT_SUBMIT = "Reject"
EDIT_TITLE = "Edit draft"
EDIT_SUBMIT = "Save"
EDIT_LABEL_NOTES = "Notes for the ticket"
EDIT_TOO_LONG = "{part} is too long to edit in Slack ({length:,} characters); use the CLI."
SUPPRESS_TITLE = "Suppress finding"
SUPPRESS_KIND = "Why may it be ignored?"
SUPPRESS_KINDS = {"accept_risk": "Accept the risk", "false_positive": "False positive"}
SUPPRESS_REASON = "Reason"
SUPPRESS_EXPIRY = "Until"
SUPPRESS_SUBMIT = "Propose"
