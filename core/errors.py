"""The one error tree of Posture Copilot.

Every error carries a ``remediation`` hint for operators, and structured fields where
there are any. "Your request is invalid" (``QueryRejected``, ``ValidationFailed``) is
kept apart from "execution failed" (``ConnectorError``, ``StoreError``)::

    CopilotError
    ├── ConfigError
    ├── ValidationFailed          a record or input that does not fit the model
    │   └── ImportRejected        a scanner report that cannot be imported as given
    ├── StoreError                the findings store cannot be used
    │   ├── StoreLocked
    │   └── StoreCorrupt
    ├── ConnectorError
    │   ├── AuthError
    │   ├── RateLimited
    │   └── UpstreamError(status, body)
    ├── QueryRejected
    │   ├── ParseFailed
    │   ├── WriteAttempted
    │   ├── UnknownColumn
    │   └── LimitExceeded
    ├── LLMError
    ├── PolicyDenied
    └── TicketingError
"""

from __future__ import annotations

__all__ = [
    "AuthError",
    "ConfigError",
    "ConnectorError",
    "ImportRejected",
    "CopilotError",
    "LLMError",
    "LimitExceeded",
    "ParseFailed",
    "PolicyDenied",
    "QueryRejected",
    "RateLimited",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "TicketingError",
    "UnknownColumn",
    "UpstreamError",
    "ValidationFailed",
    "WriteAttempted",
]


class CopilotError(Exception):
    """Base of every error the product raises on purpose.

    Args:
        message: one line saying what went wrong.
        remediation: one line saying what the operator can do about it.
    """

    default_remediation = "See the logs for details."

    def __init__(self, message: str, *, remediation: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.remediation = remediation or self.default_remediation

    def one_line(self) -> str:
        """The message and the remediation on one line, for a terminal or a log."""
        return f"{self.message} {self.remediation}".strip()


class ConfigError(CopilotError):
    default_remediation = "Check the environment variables described in the README."


class ValidationFailed(CopilotError):
    """A record or an input does not fit the model; nothing was written."""

    default_remediation = "Fix the record named above and load it again."

    def __init__(
        self, message: str, *, errors: list[str] | None = None, remediation: str | None = None
    ) -> None:
        super().__init__(message, remediation=remediation)
        self.errors = errors or []


class ImportRejected(ValidationFailed):
    """A scanner report that is malformed, or not in the format the user named.

    ``detected`` names the format the file looks like, when it looks like one.
    """

    default_remediation = "Check the file is the scanner's JSON output and import it again."

    def __init__(
        self, message: str, *, detected: str | None = None, remediation: str | None = None
    ) -> None:
        super().__init__(message, remediation=remediation)
        self.detected = detected


class StoreError(CopilotError):
    default_remediation = "Check the store path ($POSTURE_HOME) and its permissions."

    def __init__(self, message: str, *, path: str = "", remediation: str | None = None) -> None:
        super().__init__(message, remediation=remediation)
        self.path = path


class StoreLocked(StoreError):
    default_remediation = (
        "Another posture process holds it open for writing: stop that process "
        "(or wait for its sync to finish) and try again."
    )


class StoreCorrupt(StoreError):
    default_remediation = (
        "Move the file aside and rebuild it with `posture demo` or `posture sync --full`."
    )


class ConnectorError(CopilotError):
    default_remediation = "Check the source's base URL and credentials."


class AuthError(ConnectorError):
    default_remediation = "Check the source's credentials; nothing was written."


class RateLimited(ConnectorError):
    def __init__(
        self, message: str, *, retry_after: float | None = None, remediation: str | None = None
    ) -> None:
        super().__init__(message, remediation=remediation)
        self.retry_after = retry_after


class UpstreamError(ConnectorError):
    def __init__(
        self, message: str, *, status: int, body: str = "", remediation: str | None = None
    ) -> None:
        super().__init__(message, remediation=remediation)
        self.status = status
        self.body = body


class QueryRejected(CopilotError):
    default_remediation = "Rephrase the question; `posture help` lists what it understands."


class ParseFailed(QueryRejected):
    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        col: int | None = None,
        remediation: str | None = None,
    ) -> None:
        super().__init__(message, remediation=remediation)
        self.line = line
        self.col = col


class WriteAttempted(QueryRejected):
    pass


class UnknownColumn(QueryRejected):
    def __init__(self, message: str, *, column: str = "", remediation: str | None = None) -> None:
        super().__init__(message, remediation=remediation)
        self.column = column


class LimitExceeded(QueryRejected):
    def __init__(
        self, message: str, *, count: int = 0, limit: int = 0, remediation: str | None = None
    ) -> None:
        super().__init__(message, remediation=remediation)
        self.count = count
        self.limit = limit


class LLMError(CopilotError):
    default_remediation = "The offline parser answers instead; check ANTHROPIC_API_KEY."


class PolicyDenied(CopilotError):
    default_remediation = "Ask an approver listed in the RBAC configuration."


class TicketingError(CopilotError):
    default_remediation = "Check the ticket system's base URL and credentials."
