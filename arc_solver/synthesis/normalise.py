"""Colour-normalised learning: the same rule with other colours in every demonstration.

"Every other cell of the line turns yellow", with a red line in one demonstration, a maroon one in the
next and a green one in the test: a rule keyed by colour never sees the test's colour. Here each grid's
own colours are renamed by how many cells they have (the background stays; the most common other colour
becomes 1, the next 2, ...), a learner (cell rule, stamps) learns on the renamed grids, and its answer is
named back in the test's own colours. Output colours no input has (a fixed "paint" colour) keep their
names. Tried only when the demonstrations do not all use the same colours.

    .venv/bin/python -m pytest tests/test_synthesis_normalise.py -q
"""
from __future__ import annotations

import numpy as np

from .program import Finish, TaskInfo


def colour_ranks(g: np.ndarray, bg: int) -> np.ndarray | None:
    """Table colour -> name: bg -> bg, other colours by cell count (ties by colour) -> 1, 2, ...;
    255 for colours the grid lacks. None when two colours tie (their names would be a coin toss)."""
    cnt = np.bincount(g.ravel(), minlength=10)
    cols = [c for c in range(10) if cnt[c] and c != bg]
    if len({int(cnt[c]) for c in cols}) != len(cols):
        return None
    table = np.full(10, 255, np.int64)
    table[bg] = bg
    free = [c for c in range(10) if c != bg]
    for i, c in enumerate(sorted(cols, key=lambda c: -cnt[c])):
        table[c] = free[i]
    return table


def learn_normalised(learner, states, outputs, tests, info: TaskInfo) -> list[Finish]:
    if len({tuple(np.unique(s)) for s in states}) == 1:
        return []  # same colours everywhere: the plain learner already sees what there is
    bg = 0 if info.bgs == (0,) else None
    if bg is None:
        return []
    tables = [colour_ranks(s, bg) for s in states]
    if any(t is None for t in tables):
        return []
    in_cols = {int(c) for s in states for c in np.unique(s)}
    fixed = {int(c) for o in outputs for c in np.unique(o)} - in_cols  # paint colours no input has
    ns, no = [], []
    for s, o, t in zip(states, outputs, tables):
        if (fixed & {int(v) for v in t if v != 255} - {bg}):
            return []  # a renamed colour would collide with a paint colour
        tt = t.copy()
        for c in fixed:
            tt[c] = c
        if (tt[o] == 255).any():
            return []
        ns.append(tt[s].astype(np.uint8))
        no.append(tt[o].astype(np.uint8))
    test_tables = [colour_ranks(t, bg) for t in tests]
    if any(t is None for t in test_tables):
        return []
    nt = [t[g].astype(np.uint8) for t, g in zip(test_tables, tests)]
    sub_info = TaskInfo(bgs=(0,), in_colours=tuple(sorted({int(c) for g in ns for c in np.unique(g)})),
                        out_colours=tuple(sorted({int(c) for g in no for c in np.unique(g)})),
                        new_colours=tuple(sorted(fixed)), up=info.up, down=info.down,
                        same_shape=info.same_shape, smaller=info.smaller, larger=info.larger)
    got = learner(ns, no, nt, sub_info)
    got = got if isinstance(got, list) else [got] if got is not None else []
    out = []
    for fin in got:
        def run(g, fin=fin):
            t = colour_ranks(g, bg)
            if t is None or (set(fixed) & {int(v) for v in t if v != 255} - {bg}):
                return None
            back = np.full(256, 255, np.int64)
            for c in range(10):
                if t[c] != 255:
                    back[t[c]] = c
            for c in fixed:
                back[c] = c
            r = fin.fn(t[g].astype(np.uint8))
            if r is None or (back[r] == 255).any():
                return None
            return back[r].astype(np.uint8)

        out.append(Finish(f"normalised({fin.name})", run, fin.cost + 0.3))
    return out
