"""Fakes of external services: real HTTP servers on loopback, on free ports."""
