"""Risk: a pure, documented 0-10 score per open finding, with the factors behind it."""

from risk.score import SCALE, WEIGHTS, RiskFactor, RiskScore, RiskSignals, risk_score

__all__ = ["SCALE", "WEIGHTS", "RiskFactor", "RiskScore", "RiskSignals", "risk_score"]
