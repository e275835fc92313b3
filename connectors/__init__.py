"""CNAPP sources: one client per platform, a local simulator, and the sync engine.

``run_sync`` pulls Wiz, Prisma Cloud, Lacework and Orca into the findings store page by
page, resumably; ``Simulator`` serves the demo estate through all four APIs on loopback;
``sync_demo_from_simulator`` builds the demo store by syncing from it.
"""

from connectors.demo import sync_demo_from_simulator
from connectors.registry import SOURCES, build_connector
from connectors.report import SourceReport, SyncReport
from connectors.sync import run_sync

__all__ = [
    "SOURCES",
    "SourceReport",
    "SyncReport",
    "build_connector",
    "run_sync",
    "sync_demo_from_simulator",
]
