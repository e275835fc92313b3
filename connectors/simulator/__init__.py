"""A local stand-in for Wiz, Prisma Cloud, Lacework and Orca serving the demo estate."""

from connectors.simulator.faults import FAULT_KINDS, FaultPlan
from connectors.simulator.server import Credentials
from connectors.simulator.simulator import PUBLISHED_LIMITS, Simulator

__all__ = ["FAULT_KINDS", "PUBLISHED_LIMITS", "Credentials", "FaultPlan", "Simulator"]
