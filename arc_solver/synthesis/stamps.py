"""Stamps: every object of a kind paints a fixed pattern around itself.

"Each red pixel gets yellow corners, each blue one an orange cross", "every 2x2 square gets four
coloured corners", "each grey pixel is replaced by a ring": the output equals the state except near
objects, and what is painted around an object depends only on its kind (its colour, or its colour and
shape). Stamps paint the object's own box and the background around it, never other objects. The
stamp of a kind is read off the demonstrations cell by cell, relative to the object's box:
an offset belongs to it when every demonstration object of that kind sees the same output colour
there (inside the grid) and that colour differs from the state at least twice (a change seen once
may be a neighbour's stamp). Stamps are painted
over the state (kinds in colour order); the finisher counts only when the painted states equal every
demonstration output. A test object of a kind never shown gets no stamp, and only when some shown kinds
had none.

    .venv/bin/python -m pytest tests/test_synthesis_stamps.py -q
"""
from __future__ import annotations

import numpy as np

from .. import programs as P
from .program import Finish, TaskInfo

MAX_OBJECTS = 150  # per demonstration grid

# (name, diagonal connectivity, key of an object's kind)
KINDS = (
    ("colour", True, lambda o: o.colour),
    ("shape", True, lambda o: (o.colour, o.shape_key())),
    ("shape4", False, lambda o: (o.colour, o.shape_key())),
    ("cell", False, None),  # every cell is its own object: stamps around single cells of a colour
)


def _objects(grid: np.ndarray, bg: int, diag: bool, key) -> list[tuple[object, int, int, int, int]]:
    """(kind, top, left, height, width) of each object, or of each non-background cell when key is None."""
    if key is None:
        ys, xs = np.nonzero(grid != bg)
        return [(int(grid[y, x]), int(y), int(x), 1, 1) for y, x in zip(ys, xs)]
    return [(key(o), o.top, o.left, o.shape[0], o.shape[1]) for o in P.objects(grid, bg, diag, True)]


def learn_stamps(states, outputs, tests, info: TaskInfo, radius: int = 2) -> list[Finish]:
    if any(s.shape != o.shape for s, o in zip(states, outputs)):
        return []
    if all(np.array_equal(s, o) for s, o in zip(states, outputs)):
        return []
    found = []
    seen: set = set()
    for b in info.bgs:
        bgs = [P.resolve_bg(s, b) for s in states]
        for name, diag, key in KINDS:
            fin = _learn(states, outputs, tests, bgs, b, diag, key, radius, name)
            if fin is None:
                continue
            preds = tuple(None if (p := fin.fn(t)) is None else p.tobytes() for t in tests)
            if preds not in seen:
                seen.add(preds)
                found.append(fin)
    return found


def _learn(states, outputs, tests, bgs, b, diag, key, radius, name) -> Finish | None:
    # per kind: offset (dy, dx) relative to the box's top-left -> output colours seen / changed anywhere
    seen: dict = {}
    changed: dict = {}
    sizes: dict = {}
    for s, o, bg in zip(states, outputs, bgs):
        h, w = s.shape
        objs = _objects(s, bg, diag, key)
        if len(objs) > MAX_OBJECTS:
            return None  # a texture, not objects with stamps (and the loops below are Python)
        for kind, top, left, oh, ow in objs:
            if sizes.setdefault(kind, (oh, ow)) != (oh, ow):
                return None  # a kind of several box sizes has no single stamp
            table = seen.setdefault(kind, {})
            ch = changed.setdefault(kind, {})
            for dy in range(-radius, oh + radius):
                y = top + dy
                if not 0 <= y < h:
                    continue
                for dx in range(-radius, ow + radius):
                    x = left + dx
                    if not 0 <= x < w:
                        continue
                    inside = 0 <= dy < oh and 0 <= dx < ow
                    if not inside and s[y, x] != bg:
                        continue  # stamps paint the background around an object, never other objects
                    v = int(o[y, x])
                    prev = table.get((dy, dx))
                    if prev is None:
                        table[(dy, dx)] = v
                    elif prev != v:
                        table[(dy, dx)] = -1  # inconsistent: not part of the stamp
                    if v != s[y, x]:
                        ch[(dy, dx)] = ch.get((dy, dx), 0) + 1
    stamps = {}
    for kind, table in seen.items():
        # a change seen once may belong to a neighbour's stamp: an offset needs two changes to count
        cells = [(dy, dx, v) for (dy, dx), v in table.items() if v >= 0 and changed[kind].get((dy, dx), 0) >= 2]
        if cells:
            stamps[kind] = cells
    if not stamps:
        return None
    # A kind the demonstrations never showed has an unknown stamp; it is taken to have none only when
    # the demonstrations had kinds without one (some kinds just sit there).
    if len(stamps) == len(seen):
        for t in tests:
            tb = P.resolve_bg(t, b)
            if any(k not in seen for k, *_ in _objects(t, tb, diag, key)):
                return None

    def paint(g, stamps=stamps):
        bg = P.resolve_bg(g, b)
        out = g.copy()
        h, w = g.shape
        objs = sorted(_objects(g, bg, diag, key), key=lambda r: str(r[0]))
        for kind, top, left, oh, ow in objs:
            for dy, dx, v in stamps.get(kind, ()):
                y, x = top + dy, left + dx
                inside = 0 <= dy < oh and 0 <= dx < ow
                if 0 <= y < h and 0 <= x < w and (inside or g[y, x] == bg):
                    out[y, x] = v
        return out

    if not all(np.array_equal(paint(s), o) for s, o in zip(states, outputs)):
        return None
    n = sum(len(c) for c in stamps.values())
    return Finish(f"stamps({name},{len(stamps)} kinds,{n} cells{',bg=auto' if b == -1 else ''})", paint,
                  2.0 + 0.02 * n)
