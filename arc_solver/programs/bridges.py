"""Bars between objects: two objects that face each other across background, along rows or columns, are
joined by a bar of a new colour as wide as the span they share (less an inset at each end).

    .venv/bin/python -m pytest tests/test_programs_bridges.py -q
"""
from __future__ import annotations

import numpy as np

from .base import as_grid, resolve_bg
from .objects import objects

MAX_OBJECTS = 40  # pairs grow as the square: a grid of scattered noise is no task for bars


def _gap(lo1: int, hi1: int, lo2: int, hi2: int) -> tuple[int, int] | None:
    """The cells strictly between two intervals along one axis, or None when they touch or overlap."""
    if hi1 < lo2 - 1:
        return hi1 + 1, lo2 - 1
    if hi2 < lo1 - 1:
        return hi2 + 1, lo1 - 1
    return None


def bridge(grid: np.ndarray, colour: int, rows: bool = True, cols: bool = True, inset: int = 0,
           bg: int = 0) -> np.ndarray | None:
    """Every two objects (4-connected, any colours) whose boxes face each other along rows (`rows`) or
    columns (`cols`) are joined by a bar of `colour` across the gap between them, over the rows (columns)
    both boxes span less `inset` at each end, when that whole gap holds only background: a third object
    in between blocks the bar (d6ad076f with inset 1, ef135b50)."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    objs = objects(g, b, diag=False, by_colour=False)
    if not 2 <= len(objs) <= MAX_OBJECTS:
        return None
    boxes = [(o.top, o.left, o.top + o.height - 1, o.left + o.width - 1) for o in objs]
    out = g.copy()
    for i, (t1, l1, b1, r1) in enumerate(boxes):
        for t2, l2, b2, r2 in boxes[i + 1:]:
            if rows:  # side by side: the bar runs along the rows both span
                lo, hi, gap = max(t1, t2), min(b1, b2), _gap(l1, r1, l2, r2)
                if gap and hi - lo + 1 > 2 * inset and (g[lo:hi + 1, gap[0]:gap[1] + 1] == b).all():
                    out[lo + inset:hi - inset + 1, gap[0]:gap[1] + 1] = colour
            if cols:  # one above the other
                lo, hi, gap = max(l1, l2), min(r1, r2), _gap(t1, b1, t2, b2)
                if gap and hi - lo + 1 > 2 * inset and (g[gap[0]:gap[1] + 1, lo:hi + 1] == b).all():
                    out[gap[0]:gap[1] + 1, lo + inset:hi - inset + 1] = colour
    return None if np.array_equal(out, g) else out
