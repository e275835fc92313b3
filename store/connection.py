"""Opening the DuckDB file, with DuckDB's errors turned into ones an operator can act on."""

from __future__ import annotations

from pathlib import Path

import duckdb

from core.errors import StoreCorrupt, StoreError, StoreLocked

__all__ = ["open_database"]


# WAL size that triggers a checkpoint. DuckDB's 16MB makes a bulk sync checkpoint (and
# rewrite its growing indexes) every few commits; fewer, larger checkpoints cut a sync's
# merge and commit time by about a third, at the cost of a longer WAL replay after a crash.
CHECKPOINT_THRESHOLD = "256MB"


def open_database(
    path: Path, *, read_only: bool = False, memory_limit: str = "4GB", threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """Open (or create) the store file.

    External access is always off: the product never reads files, URLs or extensions
    through SQL, so a query that slips past the guard still cannot reach the disk or the
    network. Data comes in as Arrow tables registered on the connection.

    Raises:
        StoreLocked: another process holds the file for writing.
        StoreCorrupt: the file is not a DuckDB database (or is damaged).
        StoreError: anything else that stops the file from opening.
    """
    if read_only and not path.exists():
        raise StoreError(
            f"No findings store at {path}.",
            path=str(path),
            remediation="Run `posture demo` or `posture sync` first.",
        )
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config: dict[str, str | bool | int | float | list[str]] = {
        "enable_external_access": False,
        "memory_limit": memory_limit,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
    if not read_only:
        config["checkpoint_threshold"] = CHECKPOINT_THRESHOLD
    if threads:
        config["threads"] = threads
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.Error as exc:
        raise _translate(exc, path) from exc


def _translate(exc: duckdb.Error, path: Path) -> StoreError:
    text = str(exc)
    lowered = text.lower()
    if "lock" in lowered:
        return StoreLocked(f"The findings store {path} is locked.", path=str(path))
    if "not a valid duckdb database" in lowered or "corrupt" in lowered or "checksum" in lowered:
        return StoreCorrupt(f"The findings store {path} is damaged.", path=str(path))
    if "serialization" in lowered or "version" in lowered:
        return StoreCorrupt(
            f"The findings store {path} was written by an incompatible DuckDB.", path=str(path)
        )
    return StoreError(
        f"Cannot open the findings store {path}: {text.splitlines()[0]}", path=str(path)
    )
