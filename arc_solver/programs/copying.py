"""Copying a template: the one shape of a grid pasted onto every group of marker cells.

"Each grey dot becomes a copy of the picture", "each grey box is replaced by the coloured pattern":
the marker colour's 8-connected groups are cleared, and the template (every other non-background
cell, which must form one 8-connected shape) is pasted centred on each group's box.

    .venv/bin/python -m pytest tests/test_programs_copying.py -q
"""
from __future__ import annotations

import numpy as np

from .base import as_grid, resolve_bg
from .colour import keep_colour, remove_colour
from .objects import objects


def paste_on_markers(grid: np.ndarray, marker: int, bg: int = 0) -> np.ndarray | None:
    """The template copied onto every group of `marker` cells, centred on the group's box (the box and
    the template must leave an even margin, so the centres meet); None without markers or without one
    template."""
    b = resolve_bg(grid, bg)
    is_marker = grid == marker
    if marker == b or not is_marker.any():
        return None
    out = remove_colour(grid, marker, b)
    shapes = objects(out, b, True, False)
    if len(shapes) != 1:
        return None
    t = shapes[0]
    th, tw = t.shape
    h, w = grid.shape
    tys, txs = np.nonzero(t.mask)
    colours = t.patch[tys, txs]
    for m in objects(keep_colour(grid, marker, b), b, True, True):
        dy, dx = m.shape[0] - th, m.shape[1] - tw
        if dy % 2 or dx % 2:
            return None
        ys, xs = tys + m.top + dy // 2, txs + m.left + dx // 2
        inside = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
        out[ys[inside], xs[inside]] = colours[inside]
    return as_grid(out)
