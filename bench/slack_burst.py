"""The Slack side of the ack benchmark's load, as its own process.

    python -m bench.slack_burst PORT REQUESTS_FILE CONCURRENCY

Reads pre-signed raw HTTP requests (a JSON list of latin-1 strings), sends them to
``127.0.0.1:PORT`` with at most CONCURRENCY in flight, from one asyncio loop, and
prints one JSON line: ``[[started_monotonic, seconds, status], ...]`` in request order.
A separate process, so the fake Slack receiving the answers (in the parent) does not
share a GIL with the clock that times the acks; the monotonic clock is system-wide.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

__all__ = ["burst", "main"]


async def _send(port: int, raw: bytes) -> tuple[float, float, int]:
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(raw)
        await writer.drain()
        response = await reader.read()  # the request says connection: close
    finally:
        writer.close()
        await writer.wait_closed()
    status = int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/") else 0
    return started, time.monotonic() - started, status


async def burst(port: int, raws: list[bytes], concurrency: int) -> list[tuple[float, float, int]]:
    """Every request, at most ``concurrency`` at once; results in request order."""
    gate = asyncio.Semaphore(concurrency)

    async def one(raw: bytes) -> tuple[float, float, int]:
        async with gate:
            return await _send(port, raw)

    return list(await asyncio.gather(*(one(r) for r in raws)))


def main(argv: list[str] | None = None) -> int:
    port, path, concurrency = (argv if argv is not None else sys.argv[1:])[:3]
    raws = [r.encode("latin-1") for r in json.loads(Path(path).read_text("utf-8"))]
    print(json.dumps(asyncio.run(burst(int(port), raws, int(concurrency)))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
