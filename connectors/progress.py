"""A progress bar for long syncs: one line per source and stream, records so far."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

__all__ = ["SyncProgress"]


class SyncProgress:
    """Rich progress on stderr; a no-op when disabled (tests, pipes, the demo)."""

    def __init__(self, *, enabled: bool) -> None:
        self._progress: Progress | None = None
        if enabled:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TextColumn("{task.completed:,.0f} records"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            )
        self._tasks: dict[tuple[str, str], TaskID] = {}

    def __enter__(self) -> SyncProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def advance(self, source: str, stream: str, records: int) -> None:
        if self._progress is None:
            return
        key = (source, stream)
        if key not in self._tasks:
            self._tasks[key] = self._progress.add_task(f"{source} {stream}", total=None)
        self._progress.update(self._tasks[key], advance=records)
