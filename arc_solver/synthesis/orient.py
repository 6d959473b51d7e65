"""Orientation-normalised view: every grid turned to the same heading before the search.

"The arrow shoots a ray from its tip", with the arrow pointing right in one demonstration and up in the
next: no chain with fixed directions explains both. Here each pair is turned and mirrored (one of the
eight dihedral images) so that its input's rarest colour lies right of its figure's centre, and below
it as far as a mirror allows; the search runs on the turned task, and each answer is turned back by its
own test input's transform. Tried, like the other views (chain_search.search), only when the task as
given yields nothing, and only when the inputs do not all turn alike.

    .venv/bin/python -m pytest tests/test_synthesis_orient.py -q
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .. import programs as P
from ..tasks import Pair, Task


def _steps(d: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Where transform d takes a step right and a step down, as (dy, dx): read off a 2 x 2 grid of marks."""
    im = P.dihedral(np.array([[0, 1], [2, 3]], np.uint8), d)
    pos = {int(v): (y, x) for (y, x), v in np.ndenumerate(im)}
    (y0, x0), (y1, x1), (y2, x2) = pos[0], pos[1], pos[2]
    return (y1 - y0, x1 - x0), (y2 - y0, x2 - x0)


_STEPS = [_steps(d) for d in range(8)]


def heading(g: np.ndarray) -> int:
    """The dihedral transform d (programs.dihedral) after which the single rarest non-background colour's
    centre lies right of the centre of all non-background cells, and then as far below it as a turn
    allows: the image whose offset (dx, dy) is largest. 0 when no colour is rarest alone, when there is
    one colour only, or when the two centres meet."""
    b = P.most_common(g)
    fg = g != b
    counts = np.bincount(g[fg], minlength=10)
    present = np.nonzero(counts)[0]
    if len(present) < 2:
        return 0
    least = counts[present].min()
    rare = present[counts[present] == least]
    if len(rare) != 1:
        return 0
    ys, xs = np.nonzero(fg)
    ry, rx = np.nonzero(g == rare[0])
    dy, dx = ry.mean() - ys.mean(), rx.mean() - xs.mean()
    if abs(dy) < 1e-9 and abs(dx) < 1e-9:
        return 0
    best, best_d = None, 0
    for d, ((xy, xx), (yy, yx)) in enumerate(_STEPS):
        key = (round(dx * xx + dy * yx, 6), round(dx * xy + dy * yy, 6))  # the offset's image: (x, y)
        if best is None or key > best:
            best, best_d = key, d
    return best_d


def orient_task(task: Task) -> tuple[str, Task, list[Callable], Callable] | None:
    """A view of the task (see chain_search.search): its name, the task with every pair turned by its
    input's heading, per test input a function turning an answer back, and a function turning any grid
    and back around a grid function. None when every input turns alike (nothing the plain search lacks)."""
    ds = [heading(p.input) for p in task.train]
    test_ds = [heading(p.input) for p in task.test]
    if len(set(ds + test_ds)) == 1:
        return None
    pairs = tuple(Pair(P.dihedral(p.input, d), P.dihedral(p.output, d)) for p, d in zip(task.train, ds))
    tests = tuple(Pair(P.dihedral(p.input, d), None) for p, d in zip(task.test, test_ds))
    backs = [lambda r, inv=P.inverse_dihedral(d): P.dihedral(r, inv) for d in test_ds]

    def around(fn: Callable[[np.ndarray], np.ndarray | None]) -> Callable[[np.ndarray], np.ndarray | None]:
        def run(g: np.ndarray) -> np.ndarray | None:
            d = heading(g)
            r = fn(P.dihedral(g, d))
            return None if r is None else P.dihedral(r, P.inverse_dihedral(d))
        return run

    return "oriented", Task(task.id, pairs, tests), backs, around
