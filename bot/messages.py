"""Every sentence, label and hint the Slack app and the terminal chat show to a person.

Kept in one module so wording is reviewed in one place and never assembled from an
exception: errors show an incident id, and the details go to the log.
"""

from __future__ import annotations

APP_NAME = "Posture Copilot"

# --- progress ---------------------------------------------------------------------------
LOOKING = ":hourglass_flowing_sand: Looking into it…"
THINKING = "thinking…"
LOADING_STATUSES = ("Reading the question…", "Querying the findings store…", "Ranking by risk…")
ACK_QUESTION = ":hourglass_flowing_sand: Looking into “{question}”…"
ACK_WORKING = ":hourglass_flowing_sand: Working on it…"

# --- answers ----------------------------------------------------------------------------
UNDERSTOOD = "*Understood as*"
ROWS_RANGE = "{first}–{last} of {total}"
ROWS_CUT = "I list the first {shown:,}; Export CSV has up to {cap:,}."
EMPTY_HINT = "Nothing matched every condition. Try a broader question, e.g. without “{chip}”."
EMPTY_HINT_PLAIN = "Nothing matched. Try a broader question, or `/posture help` for examples."
CLARIFY_HINT = "Pick a reading, or ask again in other words."
UNSUPPORTED_HINT = "`/posture help` lists what I can answer."
DATA_FRESHNESS = "Data: {sources}"
NO_SOURCES = "Data: no source synced yet"
ANSWERED_IN = "answered in {ms:,.0f} ms"
RISK = "risk *{score}*"
YES = ":white_check_mark:"
NO = ":x:"
TABLE_MORE = "… and {more:,} more rows (Export CSV has them all)"
GROUP_VALUE_HEADER = "count"

# --- buttons and menus ------------------------------------------------------------------
BUTTON_SQL = "Show SQL"
BUTTON_NATIVE = "As {platform} filter"
BUTTON_CSV = "Export CSV"
BUTTON_MORE = "Show more"
BUTTON_PREVIOUS = "Previous"
MENU_EXPLAIN = "Explain"
FEEDBACK_GOOD = "Helpful"
FEEDBACK_BAD = "Not helpful"
FEEDBACK_GOOD_LABEL = "Mark this answer as helpful"
FEEDBACK_BAD_LABEL = "Mark this answer as not helpful"
BUTTON_ASK_FORM = "Ask in a form…"
BUTTON_ASK_THIS = "Ask it as a question"

# --- ephemeral details ------------------------------------------------------------------
SQL_TITLE = "*The SQL that ran* (read-only, over the semantic views):"
SQL_NONE = "This answer ran no SQL."
TEXT_CUT = "_(cut to fit Slack; `posture ask --sql` prints it whole)_"
NATIVE_TITLE = "*As a {platform} request* (`{endpoint}`):"
NATIVE_NOTE = "Note: {note}"
NATIVE_NOT_EXPRESSIBLE = "{platform} cannot express this question as a filter: {what}. {hint}"
NATIVE_NO_SPEC = "This answer has no structured reading to translate into a {platform} filter."
CSV_TITLE = "Posture Copilot export: {question}"
CSV_COMMENT = "{rows:,} rows for “{question}”."
CSV_EMPTY = "There are no rows to export."

# --- feedback ---------------------------------------------------------------------------
FEEDBACK_THANKS_GOOD = "Thanks, noted that this answer helped."
FEEDBACK_THANKS_BAD = (
    "Thanks, noted. It helps to ask again in other words, or to say what you expected."
)

# --- explain ----------------------------------------------------------------------------
EXPLAIN_TITLE = "Explain"
EXPLAIN_LOADING = "Working out why this is risky…"
EXPLAIN_WHY = "*Why it ranks high*"
EXPLAIN_SCENARIO = "*A likely attack*"
EXPLAIN_REACH = "*What it can reach*"
EXPLAIN_REACH_NONE = "Nothing sensitive is reachable from it through known edges."
EXPLAIN_REACH_MORE = "… and {more:,} more"
EXPLAIN_FINDINGS = "*Its riskiest open findings*"
EXPLAIN_NO_FACTORS = "It has no open finding with a risk score."
EXPLAIN_NOT_FOUND = "I could not find that row any more; the data may have been re-synced."
EXPLAIN_NOT_RANKED = "Only rows with a risk score can be explained."
CLOSE = "Close"

# --- errors and limits ------------------------------------------------------------------
ERROR = (
    ":warning: Something went wrong on my side, sorry. Try again in a minute; if it keeps "
    "happening, give your admin this incident id: `{incident}`."
)
TOO_LONG = (
    "That question is {length:,} characters long; I read questions of up to {limit:,}. "
    "Could you ask it in fewer words?"
)
EXPIRED = (
    "I no longer have that answer (answers are kept for a day, or until I restart). "
    "Ask the question again and I will answer it afresh."
)
NOT_IN_CHANNEL = (
    "I cannot post in this channel yet. Invite me with `/invite @Posture Copilot`, "
    "or ask me in a direct message."
)
FILE_FAILED = "I could not upload the file here. Try `posture ask --json` in a terminal instead."

# --- /posture ---------------------------------------------------------------------------
UNKNOWN_SUBCOMMAND = "I do not know the subcommand `{word}`. Here is what I understand:"
TOP_BAD_SCOPE = (
    "I know no team or environment called `{word}`. Teams: {teams}. Environments: {envs}."
)
TOP_QUESTION = "top {n} riskiest open findings"
TOP_QUESTION_SCOPED = "top {n} riskiest open findings in {scope}"
TOP_CHIPS = ("finding", "open", "top {n}", "riskiest first")

HELP_HEADER = "What I can answer"
HELP_INTRO = (
    "Ask about your cloud-security findings in plain words: I read the question, run a "
    "read-only query over the findings store, and rank what I find by risk. I always show "
    "how I understood the question and how fresh the data is."
)
HELP_EXAMPLES = "*Try one of these* (drawn from what the store knows):"
HELP_COMMANDS = (
    "*Commands*\n"
    "• `/posture ask <question>`: answer a question here\n"
    "• `/posture top [n] [team|env]`: the riskiest open findings, e.g. `/posture top 5 payments`\n"
    "• `/posture status`: what is in the store and how fresh each source is\n"
    "• `/posture compliance soc2|cis|iso27001 [env] [team]`: a compliance snapshot\n"
    "• `/posture help`: this message\n"
    "Mention me in a channel, or send me a direct message, to ask in a thread."
)
HELP_VIEWS = "*What questions can be about*\n{views}"

STATUS_HEADER = "Findings store status"
STATUS_SUMMARY = (
    "*{resources:,}* resources · *{findings:,}* findings (*{open:,}* open: {severities})"
)
STATUS_SOURCES = "*Sources*"
STATUS_NO_SOURCES = "No source has been synced yet. Run `posture demo` or a sync."
STATUS_COLUMNS = ("source", "findings", "open", "last sync")

# --- /posture compliance ---------------------------------------------------------------
ACK_COMPLIANCE = ":hourglass_flowing_sand: Taking a {framework} snapshot…"
COMPLIANCE_USAGE = (
    "*Compliance snapshots*: `/posture compliance <framework> [env] [team]`, e.g. "
    "`/posture compliance soc2 prod payments`.\nFrameworks: {frameworks}."
)
COMPLIANCE_FRAMEWORK_LINE = "• `{id}`: {name} ({version})"
COMPLIANCE_NO_FRAMEWORK = "Which framework? Here are the ones I can assess:"
COMPLIANCE_BAD_FRAMEWORK = "I do not know the framework `{word}`. Here are the ones I can assess:"
COMPLIANCE_BAD_SCOPE = (
    "I know no environment or team called `{word}` in the findings store. "
    "Environments: {envs}. Teams: {teams}."
)
COMPLIANCE_REPEATED_SCOPE = (
    "`{word}` would be a second {what}; a snapshot covers one at most. "
    "Environments: {envs}. Teams: {teams}."
)
COMPLIANCE_HEADER = "{framework} · {scope}"
COMPLIANCE_RATE = (
    "*Pass rate {rate}*: {passed:,} passed, {failed:,} failed, {not_assessed:,} not assessed "
    "(could not verify), of {total:,} controls."
)
COMPLIANCE_CHANGES = "*Since the last snapshot* ({when}): pass rate {before} → {after}{delta}."
COMPLIANCE_NEWLY_FAILING = "Newly failing: {controls}"
COMPLIANCE_NEWLY_PASSING = "Newly passing: {controls}"
COMPLIANCE_OTHER_CHANGES = "Other changes: {controls}"
COMPLIANCE_UNCHANGED = "No control changed status."
COMPLIANCE_NO_BASELINE = (
    "No stored snapshot of this scope to compare with yet (`posture compliance {framework}` "
    "stores one)."
)
COMPLIANCE_FAILING = "*Failing controls, riskiest first*"
COMPLIANCE_FAILING_LINE = "• *{control}* {title}: risk *{risk}*, {findings} on {resources}"
COMPLIANCE_WORST = "\n    worst: _{finding}_"
COMPLIANCE_FAILING_MORE = "… and {more:,} more failing controls (the evidence export lists all)."
COMPLIANCE_NONE_FAILING = ":white_check_mark: No control fails in this scope."
COMPLIANCE_NOT_ASSESSED = "*Could not verify*: {controls}"
COMPLIANCE_FOOTER = "Snapshot {when} UTC · {sources}"
COMPLIANCE_NO_SOURCES = "no source synced yet"
BUTTON_EXPORT_EVIDENCE = "Export evidence"
BUTTON_EXPORT_MARKDOWN = "Evidence as Markdown"
BUTTON_SHOW_TREND = "Show trend"
BUTTON_DRAFT_TICKETS = "Draft tickets"
EVIDENCE_TITLE = "{framework} evidence · {scope}"
EVIDENCE_COMMENT = (
    "{framework} evidence for {scope}, snapshot {when} UTC: the report and a CSV of "
    "{rows:,} evidence rows."
)
EVIDENCE_RETAKEN = " (I no longer had that snapshot, so this one is new.)"
TREND_TITLE = "{framework} pass rate · {scope}"
TREND_COMMENT = "{framework} pass rate for {scope} over {points:,} snapshots ({first} to {last})."
COMPLIANCE_EXPIRED = (
    "I cannot tell which snapshot that button belongs to. Run `/posture compliance` again."
)
DRAFTS_HEADER = "Ticket drafts · {framework} · {scope}"
DRAFTS_INTRO = "{count} drafts for the riskiest failing controls:"
DRAFT_LINE = "*{n}. {title}*\nPriority *{priority}* · risk {risk} · {findings} on {resources}"
DRAFT_RESOURCES = "Failing resources: {resources}"
DRAFT_RESOURCES_MORE = " and {more:,} more"
DRAFT_FIX = "Fix: {fix}"
DRAFTS_NOTE = (
    "Each draft becomes a proposal for approval: nothing is filed until an approver "
    "accepts it. Drafted by {user}."
)
DRAFTS_NONE = "No control fails in this scope, so there is nothing to draft."
CHAT_FILE_WRITTEN = "Saved {path}"

# --- modals -----------------------------------------------------------------------------
ASK_MODAL_TITLE = "Ask Posture Copilot"
ASK_MODAL_SUBMIT = "Ask"
ASK_MODAL_LABEL = "Your question"
ASK_MODAL_PLACEHOLDER = "e.g. public prod Lambdas touching PII"
ASK_MODAL_EMPTY = "Type a question first."

# --- assistant threads ------------------------------------------------------------------
GREETING = (
    "Hi! Ask me about your cloud-security findings in plain words, e.g. "
    "“public prod Lambdas touching PII”."
)
SUGGESTED_TITLE = "Try asking"

# --- terminal chat ----------------------------------------------------------------------
CHAT_WELCOME = (
    "Posture Copilot: ask a question, type a number to press a button, `help` for "
    "examples, `quit` to leave."
)
CHAT_PROMPT = "you"
CHAT_NO_CHOICE = "There is no choice {number} on the last answer."
CHAT_CHOICES = "Choices"
CHAT_FILE_SAVED = "Saved {rows:,} rows to {path}"
CHAT_MODAL = "(opens a dialog in Slack)"

# proactive alerts from the webhook inbox (a new critical finding on a prod resource)
ALERT_TEXT = ":rotating_light: New critical finding on prod from {platform}: {title}"
ALERT_LEAD = (
    ":rotating_light: *New critical finding on prod* from {platform}, just now\n"
    "*{title}*\n{resource} · team *{team}* · risk *{risk}*"
)
ALERT_FACTORS = "Risk from: {factors}"
ALERT_QUESTION = "open findings on {resource}"
