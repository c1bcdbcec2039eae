"""What a claim check returns: :class:`ClaimReport`, its verdict one of :class:`nusym.record.Verdict`."""
from __future__ import annotations

from dataclasses import dataclass

from nusym.record import Verdict

__all__ = ["ClaimReport"]


@dataclass
class ClaimReport:
    """A claim check's outcome: the verdict (holds, refuted or inconclusive), how it was reached, and where it failed."""

    verdict: Verdict
    method: str
    max_rel_deviation: float | None
    counterexample: dict | None
    model: str | None
    assumptions: list
    reason: str = ""
    claim: str = ""
    points: int = 0
    seconds: float = 0.0

    def __post_init__(self):
        self.verdict = Verdict(self.verdict)

    @property
    def exit_status(self) -> int:
        return {Verdict.HOLDS: 0, Verdict.REFUTED: 1, Verdict.INCONCLUSIVE: 3}[self.verdict]

    def as_json(self) -> dict:
        return {"verdict": str(self.verdict), "method": self.method, "max_rel_deviation": self.max_rel_deviation,
                "counterexample": self.counterexample, "model": self.model, "assumptions": self.assumptions,
                "reason": self.reason, "claim": self.claim, "points": self.points,
                "seconds": round(self.seconds, 2)}

    def __str__(self) -> str:
        lines = [f"{self.verdict}: {self.claim}" + (f"  [model {self.model}]" if self.model else ""),
                 f"  method: {self.method}"]
        if self.assumptions:
            lines.append(f"  assuming: {', '.join(self.assumptions)}")
        if self.max_rel_deviation is not None:
            lines.append(f"  max relative deviation: {self.max_rel_deviation:.3g}")
        if self.counterexample:
            lines.append("  counterexample: " + ", ".join(f"{k}={v:.12g}" if isinstance(v, float) else f"{k}={v}"
                                                          for k, v in self.counterexample.items()))
        if self.reason:
            lines.append(f"  {self.reason}")
        return "\n".join(lines)
