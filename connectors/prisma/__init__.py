"""The Prisma Cloud connector: its API client and its mappers."""

from connectors.prisma.client import PrismaClient

__all__ = ["PrismaClient"]
