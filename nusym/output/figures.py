"""Line figures of computed curves (matplotlib's object-oriented API: no pyplot state, no backend switched)."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Curve", "curves", "DPI"]

DPI = 200


@dataclass(frozen=True)
class Curve:
    label: str
    y: list
    color: str = "k"
    style: str = "-"


def curves(path, x, lines, xlabel: str, ylabel: str, title: str, marks=(), loglog: bool = True):
    """Draw ``lines`` (:class:`Curve`) against ``x`` into ``path`` (format by suffix), with vertical ``marks``
    ((x, label, line style), ...); returns ``path``."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=(6.4, 4.8), layout="constrained")
    ax = fig.add_subplot()
    for c in lines:
        ax.plot(x, c.y, color=c.color, ls=c.style, label=c.label)
    if loglog:
        ax.set_xscale("log")
        ax.set_yscale("log")
    for at, label, style in marks:
        ax.axvline(at, color="0.6", lw=0.8, ls=style)
        ax.text(at * 1.1, 0.02, label, transform=ax.get_xaxis_transform(), color="0.4")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize="small")
    fig.savefig(path, dpi=DPI, metadata={"Creator": "nusym"})     # a key PNG, SVG and PDF all accept
    return path
