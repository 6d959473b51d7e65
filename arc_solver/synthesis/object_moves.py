"""Per-object moves: each object shifted by a displacement that one of its properties decides.

"Every shape rises by its own height", "the pieces on the floor go up by their cell count, the floor
stays", "red cells step two left, blue ones one right": the output is the state with the moving objects
lifted off and painted again at their new places (clipped at the edge). A move is a direction (one of 8)
times a measure of the object (1, 2, 3 cells, its height, width or cell count, or as far as the edge
allows), one step towards the nearest cell of anything else or a slide that way up to it,
or staying put. Which move an object makes is a table over one object property
(programs.object_properties), read off the demonstrations the way the object rules read theirs
(object_rules.read_table). Whole-grid steps cannot say this: a shift moves everything by one amount, and
gravity moves everything to the wall.

    .venv/bin/python -m pytest tests/test_synthesis_object_moves.py -q
"""
from __future__ import annotations

import numpy as np

from .. import programs as P
from .object_rules import best_rules, grid_objects, read_table
from .program import Finish, TaskInfo

STAY = "stay"
TOWARD = "toward"  # a move's direction: towards the nearest cell of anything else, per object
MEASURES = ("1", "2", "3", "height", "width", "size", "edge")
MAX_OBJECTS = 30  # per grid: beyond this the objects are texture, and every move is tried on each


def _distance(o: P.Obj, measure: str, d: tuple[int, int], shape: tuple[int, int]) -> int:
    """How many steps of direction `d` the measure asks of object `o` (for "edge": as many as keep its box
    inside the grid)."""
    if measure in ("1", "2", "3"):
        return int(measure)
    if measure == "height":
        return o.height
    if measure == "width":
        return o.width
    if measure == "size":
        return o.size
    room = [shape[0] - o.top - o.height if d[0] > 0 else o.top if d[0] < 0 else 10 ** 6,
            shape[1] - o.left - o.width if d[1] > 0 else o.left if d[1] < 0 else 10 ** 6]
    return min(room)


def _offset(o: P.Obj, move, grid: np.ndarray, b: int, toward: tuple[int, int] | None = None) -> tuple[int, int]:
    """The object's displacement under `move` in `grid` (background colour b); `toward`: the object's
    _toward direction when the caller has it already."""
    if move == STAY:
        return 0, 0
    d, measure = move
    if d == TOWARD:
        d = _toward(o, grid, b) if toward is None else toward
        if d == (0, 0):
            return d
    n = _free_steps(o, d, grid, b) if measure == "contact" else _distance(o, measure, d, grid.shape)
    return d[0] * n, d[1] * n


def _toward(o: P.Obj, grid: np.ndarray, b: int) -> tuple[int, int]:
    """The direction (each coordinate -1, 0 or 1) from the object to the nearest cell of anything else (the
    closest pair of cells by straight-line distance); (0, 0) when there is nothing else, or too much."""
    ys, xs, _ = _cells(o)
    others = grid != b
    others[ys, xs] = False
    oy, ox = np.nonzero(others)
    if not len(oy) or len(oy) * len(ys) > 100_000:
        return 0, 0
    dist = (oy[None, :] - ys[:, None]) ** 2 + (ox[None, :] - xs[:, None]) ** 2
    i, j = np.unravel_index(int(np.argmin(dist)), dist.shape)
    return int(np.sign(oy[j] - ys[i])), int(np.sign(ox[j] - xs[i]))


def _free_steps(o: P.Obj, d: tuple[int, int], grid: np.ndarray, b: int) -> int:
    """How many steps of direction d the object slides before it would cover a cell of anything else or
    leave the grid."""
    ys, xs, _ = _cells(o)
    free = grid == b
    free[ys, xs] = True
    n = 0
    while True:
        ys, xs = ys + d[0], xs + d[1]
        if ys.min() < 0 or xs.min() < 0 or ys.max() >= grid.shape[0] or xs.max() >= grid.shape[1] \
                or not free[ys, xs].all():
            return n
        n += 1


def _cells(o: P.Obj) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The object's cells as grid rows, columns and colours."""
    ys, xs = np.nonzero(o.mask)
    return ys + o.top, xs + o.left, o.patch[ys, xs]


def _lands(cells: tuple[np.ndarray, np.ndarray, np.ndarray], offsets: list[tuple[int, int]],
           output: np.ndarray) -> np.ndarray:
    """Per offset, whether the cells shifted by it match the output wherever they stay inside it (and at
    least one does): every offset at once."""
    ys, xs, colours = cells
    off = np.array(offsets, np.int64).reshape(-1, 2)
    ys, xs = ys[None, :] + off[:, :1], xs[None, :] + off[:, 1:]
    inside = (ys >= 0) & (ys < output.shape[0]) & (xs >= 0) & (xs < output.shape[1])
    seen = output[np.where(inside, ys, 0), np.where(inside, xs, 0)]
    return inside.any(axis=1) & ((seen == colours[None, :]) | ~inside).all(axis=1)


def move_objects(g: np.ndarray, objs: list[P.Obj], offsets: list[tuple[int, int]], bg: int) -> np.ndarray:
    """The grid with every object of nonzero offset lifted off (its cells become the background) and painted
    again that far away, clipped at the edge; objects later in the list are painted over earlier ones."""
    b = P.resolve_bg(g, bg)
    out = g.copy()
    moving = [(o, off) for o, off in zip(objs, offsets) if off != (0, 0)]
    for o, _ in moving:
        out[o.top:o.top + o.height, o.left:o.left + o.width][o.mask] = b
    for o, (oy, ox) in moving:
        ys, xs, colours = _cells(o)
        ys, xs = ys + oy, xs + ox
        inside = (ys >= 0) & (ys < g.shape[0]) & (xs >= 0) & (xs < g.shape[1])
        out[ys[inside], xs[inside]] = colours[inside]
    return out


MOVES = [STAY] + [(d, m) for m in MEASURES for d in P.DIRECTIONS8] + [(TOWARD, "1"), (TOWARD, "contact")]


def _say(move) -> str:
    if move == STAY:
        return "stay"
    d, m = move
    return f"{d if d == TOWARD else '%d,%d' % d}x{m}"


def _cost(move) -> float:
    """Stay, then unit steps, then measured ones: the order in which an object's possible moves are
    preferred when several fit."""
    if move == STAY:
        return 0.0
    d, m = move
    if d == TOWARD:
        return 2.0 if m == "1" else 8.0
    return 1.0 + MEASURES.index(m) + (0.5 if 0 not in d else 0.0)


def learn_object_moves(states, outputs, tests, info: TaskInfo, max_rules: int = 2) -> list[Finish]:
    """The cheapest per-object move rules (see the module) that reproduce every demonstration and answer
    every test, under each background and connectivity."""
    if any(s.shape != o.shape for s, o in zip(states, outputs)):
        return []
    # Moving cells makes no new ones: past the background, no output colour may outnumber its state's.
    for s, o in zip(states, outputs):
        more = np.bincount(o.ravel(), minlength=10) > np.bincount(s.ravel(), minlength=10)
        if np.array_equal(s, o) or more.sum() > 1:
            return []
    return best_rules(_rules_for, states, outputs, tests, info, max_rules)


def _rules_for(states, outputs, tests, bg: int, diag: bool, by_colour: bool) -> list[Finish]:
    objs = grid_objects(states, bg, diag, by_colour, MAX_OBJECTS)
    if objs is None:
        return []
    # per object, the moves whose landing place agrees with the output (a necessary condition; the
    # finished rule is checked on whole grids)
    fits = []
    for s, out, os in zip(states, outputs, objs):
        row = []
        b = P.resolve_bg(s, bg)
        for o in os:
            cells = _cells(o)
            toward = _toward(o, s, b)  # once for both moves towards the nearest thing
            offsets = {m: _offset(o, m, s, b, toward) for m in MOVES}
            places = list(set(offsets.values()))  # many moves, fewer places
            lands = dict(zip(places, _lands(cells, places, out)))
            row.append({m for m in MOVES if lands[offsets[m]]})
            if not row[-1]:
                return []
        fits.append(row)
    if all(STAY in f for row in fits for f in row):
        return []
    test_objs = grid_objects(tests, bg, diag, by_colour, MAX_OBJECTS)
    if test_objs is None:
        return []
    props = [P.object_properties(os, s.shape) for os, s in zip(objs, states)]
    test_props = [P.object_properties(os, t.shape) for os, t in zip(test_objs, tests)]
    conn = f"{'8' if diag else '4'}{'' if by_colour else ',multi'}{'' if bg == 0 else ',bg=auto'}"
    out = []
    for name in props[0]:
        allowed: dict = {}
        for p, row in zip(props, fits):
            for v, f in zip(p[name], row):
                allowed[v] = allowed.get(v, f) & f
        if any(not f for f in allowed.values()):
            continue
        table = {v: min(f, key=_cost) for v, f in allowed.items()}
        if all(m == STAY for m in table.values()):
            continue
        if not all(np.array_equal(_render(s, os, [table[v] for v in p[name]], bg), o_)
                   for s, o_, os, p in zip(states, outputs, objs, props)):
            continue
        read = read_table(table, name, [v for tp in test_props for v in tp[name]])
        if read is None:
            continue
        act, extra, how = read
        desc = ",".join(f"{v if not isinstance(v, bytes) else 'shape'}>{_say(m)}" for v, m in list(table.items())[:6])
        moves = len(set(table.values()) - {STAY})
        out.append(Finish(f"object_moves({name}:{how}{desc};{conn})", _apply(name, act, bg, diag, by_colour),
                          2.0 + 0.3 * moves + 0.1 * len(table) + extra))
    return out


def _apply(name: str, act, bg: int, diag: bool, by_colour: bool):
    def run(g: np.ndarray) -> np.ndarray | None:
        objs = P.objects(g, bg, diag, by_colour)
        if not objs or len(objs) > MAX_OBJECTS:
            return None
        moves = [act(v) for v in P.object_properties(objs, g.shape)[name]]
        if any(m is None for m in moves):  # a value the table cannot answer
            return None
        return _render(g, objs, moves, bg)
    return run


def _render(g: np.ndarray, objs: list[P.Obj], moves: list, bg: int) -> np.ndarray:
    b = P.resolve_bg(g, bg)
    return move_objects(g, objs, [_offset(o, m, g, b) for o, m in zip(objs, moves)], bg)
