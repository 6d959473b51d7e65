"""The cell view of a task drawn on a lattice: one pixel per cell between separator lines.

"Join the coloured cells of a row", "every cell next to a red one turns red": on a grid cut into cells
by full separator lines, the rule is about cells, not pixels. When every grid of the task (inputs and
outputs) is such a lattice with one colour per cell, and each output keeps its input's lattice, the
search can run on the small grids of cells (chain_search.search tries it when the task as given yields
nothing); an answer is drawn back onto the test input's lattice.

    .venv/bin/python -m pytest tests/test_synthesis_cells.py -q
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .. import programs as P
from ..tasks import Pair, Task


def _lattice(g: np.ndarray) -> tuple[int, list[tuple[int, int]], list[tuple[int, int]]] | None:
    """(separator colour, row runs, column runs) of a lattice whose cells are one colour each."""
    sep = P.separator_lines(g)
    if sep is None:
        return None
    colour, rows, cols = sep
    rr, cc = P.splitting.false_runs(rows), P.splitting.false_runs(cols)
    if len(rr) * len(cc) < 4:
        return None
    for y0, y1 in rr:
        for x0, x1 in cc:
            cell = g[y0:y1, x0:x1]
            if (cell != cell[0, 0]).any():
                return None
    return colour, rr, cc


def _pixels(g: np.ndarray, lat) -> np.ndarray:
    _, rr, cc = lat
    return np.array([[g[y0, x0] for x0, _ in cc] for y0, _ in rr], np.uint8)


def _draw(pixels: np.ndarray, like: np.ndarray, lat) -> np.ndarray | None:
    """The lattice of `like` with its cells painted from `pixels` (one per cell)."""
    _, rr, cc = lat
    if pixels.shape != (len(rr), len(cc)):
        return None
    out = like.copy()
    for i, (y0, y1) in enumerate(rr):
        for j, (x0, x1) in enumerate(cc):
            out[y0:y1, x0:x1] = pixels[i, j]
    return out


def cell_task(task: Task) -> tuple[str, Task, list[Callable], Callable] | None:
    """A view of the task (see chain_search.search): name, the task on cells, per test input a function
    drawing an answer back on its lattice, and a wrapper running a cell-grid function on any grid."""
    pairs = []
    for p in task.train:
        lat = _lattice(p.input)
        out_lat = _lattice(p.output) if lat is not None and p.output.shape == p.input.shape else None
        if out_lat is None or out_lat[1:] != lat[1:]:
            return None  # the output keeps its input's lattice
        pairs.append(Pair(_pixels(p.input, lat), _pixels(p.output, lat)))
    tests, answers = [], []
    for p in task.test:
        lat = _lattice(p.input)
        if lat is None:
            return None
        tests.append(Pair(_pixels(p.input, lat), None))
        answers.append(lambda r, g=p.input, lat=lat: _draw(r, g, lat))

    def around(fn: Callable[[np.ndarray], np.ndarray | None]) -> Callable[[np.ndarray], np.ndarray | None]:
        def run(g: np.ndarray) -> np.ndarray | None:
            lat = _lattice(g)
            r = None if lat is None else fn(_pixels(g, lat))
            return None if r is None else _draw(r, g, lat)
        return run

    return "cells", Task(task.id, tuple(pairs), tuple(tests)), answers, around
