"""Per-object transforms: each object's box rewritten in place by one transform, the same for every object
or chosen by one of the object's properties.

"Mirror every shape in place", "fill each object's bounding box", "hollow out the squares, leave the
rest", "swap the two colours of every object", "the interiors of large boxes turn 2, of small ones 7",
"every hollow square becomes a red plus", "red cells get a yellow ring", "the lower half of each bar turns
blue": the output equals the state
outside the objects' boxes, and each box equals one transform (TRANSFORMS, some with a colour read off
the output) of the object in it, or a fixed picture seen in the demonstrations; or, when some change
lies outside every box, the regions are the boxes grown by one cell and a halo (the background cells
touching the object painted one colour) may fill that ring. Whole-grid steps cannot say these when the
objects are scattered: a flip of the grid moves them, a fill of the grid reaches between them. The
learner is a finishing stage (chain_search tries it where it tries the object rules, object_rules.py,
which paint whole objects one colour); property tables are read the same way as there.

    .venv/bin/python -m pytest tests/test_synthesis_object_transforms.py -q
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .. import programs as P
from .object_rules import best_rules, grid_objects, read_table
from .program import Finish, TaskInfo

# A transform maps (box of the state, the object's mask in it, background, colour) to the new box, or
# None where it does not apply. The colour is a parameter read off the output for the transforms in
# COLOURED, unused by the others.
Transform = Callable[[np.ndarray, np.ndarray, int, int], "np.ndarray | None"]

MAX_OBJECTS = 30  # per grid: beyond this the objects are noise or texture, and the learner gets slow


def _rigid(f: Callable[[np.ndarray], np.ndarray], square: bool = False) -> Transform:
    """The object's cells replaced by their image under f (a flip or turn of the box), the rest of the
    box kept."""
    def run(box, mask, b, c):
        if square and box.shape[0] != box.shape[1]:
            return None
        out = box.copy()
        out[mask] = b
        moved = f(mask)
        out[moved] = f(box)[moved]
        return out
    return run


def _overlay(f: Callable[[np.ndarray], np.ndarray]) -> Transform:
    """The object made symmetric: background cells of the box take the colour of their image under f."""
    def run(box, mask, b, c):
        out = box.copy()
        img, img_mask = f(box), f(mask)
        add = img_mask & (box == b)
        out[add] = img[add]
        return out
    return run


def _hull(box, mask, b, c):
    out = box.copy()
    out[box == b] = c
    return out


def _paint_interior(box, mask, b, c):
    inner = P.interior_cells(mask)
    if not inner.any():
        return None
    out = box.copy()
    out[inner] = c
    return out


def _paint_edge(box, mask, b, c):
    edge = mask & ~P.interior_cells(mask)
    out = box.copy()
    out[edge] = c
    return out


def _swap(box, mask, b, c):
    cols = np.unique(box[mask])
    if len(cols) != 2:
        return None
    out = box.copy()
    x, y = cols
    out[mask & (box == x)] = y
    out[mask & (box == y)] = x
    return out


def _to_rare(box, mask, b, c):
    """Every cell of the object takes its least common colour (the marker it carries)."""
    vals, counts = np.unique(box[mask], return_counts=True)
    if len(vals) < 2 or (counts == counts.min()).sum() > 1:
        return None
    out = box.copy()
    out[mask] = vals[counts.argmin()]
    return out


def _invert(box, mask, b, c):
    cols = np.unique(box[mask])
    if len(cols) != 1:
        return None
    out = box.copy()
    out[mask] = b
    out[~mask & (box == b)] = cols[0]
    return out


def _half(side: str) -> Transform:
    """The object's cells in one half of its box (the smaller half when a side is odd) painted c."""
    def paint(box, mask, b, c):
        h, w = box.shape
        k = (h if side in ("top", "bottom") else w) // 2
        if k == 0:
            return None
        part = np.zeros(box.shape, bool)
        if side == "top":
            part[:k] = True
        elif side == "bottom":
            part[h - k:] = True
        elif side == "left":
            part[:, :k] = True
        else:
            part[:, w - k:] = True
        out = box.copy()
        out[part & mask] = c
        return out
    return paint


TRANSFORMS: dict[str, Transform] = {
    "flip_lr": _rigid(lambda a: a[:, ::-1]),
    "flip_ud": _rigid(lambda a: a[::-1]),
    "turn180": _rigid(lambda a: a[::-1, ::-1]),
    "transpose": _rigid(lambda a: a.T, square=True),
    "turn90": _rigid(lambda a: np.rot90(a, 1), square=True),
    "turn270": _rigid(lambda a: np.rot90(a, 3), square=True),
    "sym_lr": _overlay(lambda a: a[:, ::-1]),
    "sym_ud": _overlay(lambda a: a[::-1]),
    "sym_180": _overlay(lambda a: a[::-1, ::-1]),
    "swap": _swap,
    "to_rare": _to_rare,
    "invert": _invert,
    "hull": _hull,
    "interior": _paint_interior,
    "edge": _paint_edge,
    "top_half": _half("top"),
    "bottom_half": _half("bottom"),
    "left_half": _half("left"),
    "right_half": _half("right"),
}
COLOURED = ("hull", "interior", "edge", "top_half", "bottom_half", "left_half", "right_half")
RIGID = ("flip_lr", "flip_ud", "turn180", "transpose", "turn90", "turn270")
KEEP = ("keep", -1)


def _region(o: P.Obj, shape: tuple[int, int], grow: int = 1) -> tuple[tuple[slice, slice], tuple[slice, slice]]:
    """The object's box grown by `grow` cells each way (within the grid: a halo lies there), and where
    the box lies inside it."""
    h, w = o.shape
    y0, x0 = max(0, o.top - grow), max(0, o.left - grow)
    y1, x1 = min(shape[0], o.top + h + grow), min(shape[1], o.left + w + grow)
    inner = slice(o.top - y0, o.top - y0 + h), slice(o.left - x0, o.left - x0 + w)
    return (slice(y0, y1), slice(x0, x1)), inner


def _halo(ext: np.ndarray, inner: tuple[slice, slice], mask: np.ndarray, b: int, c: int) -> np.ndarray:
    """Background cells touching the object (diagonals included) painted c."""
    on = np.zeros(ext.shape, bool)
    on[inner] = mask
    out = ext.copy()
    out[P.grow_mask(on) & ~on & (ext == b)] = c
    return out


def _consistent(ext: np.ndarray, inner: tuple[slice, slice], mask: np.ndarray, b: int, want_ext: np.ndarray,
                only: set | None = None) -> set:
    """The actions that turn this object's region `ext` (its box and the ring around it) into `want_ext`:
    ("keep", -1), ("halo", colour), (transform, colour) of the box and ("as", picture) for the box seen as
    a fixed picture (the box's transforms and pictures leave the ring as it was); of the transforms, only
    those in `only` when given."""
    ring = np.ones(ext.shape, bool)
    ring[inner] = False
    if not np.array_equal(ext[ring], want_ext[ring]):
        colours = np.unique(want_ext[ext != want_ext]).tolist()
        if len(colours) == 1 and (only is None or ("halo", colours[0]) in only) \
                and np.array_equal(_halo(ext, inner, mask, b, colours[0]), want_ext):
            return {("halo", colours[0])}
        return set()
    box, want = ext[inner], want_ext[inner]
    acts = {("as", bytes(want.shape) + want.tobytes())}
    same = np.array_equal(box, want)
    if same:
        acts.add(KEEP)
    if only is not None:
        tries = [a for a in only if a[0] in TRANSFORMS]
    else:
        diff = want != box
        colours = np.unique(want[diff]).tolist()
        # what each kind of transform can change (cheap tests that skip most of them): rigid ones keep
        # the colour counts, overlays and the hull paint background cells, the rest the object's cells
        possible = set(TRANSFORMS)
        if not np.array_equal(np.bincount(box.ravel(), minlength=10), np.bincount(want.ravel(), minlength=10)):
            possible -= set(RIGID)
        if not (box[diff] == b).all():
            possible -= {"sym_lr", "sym_ud", "sym_180", "hull"}
        if not mask[diff].all():
            possible -= {"interior", "edge", "swap", "to_rare"}
        if len(colours) != 1:
            possible -= set(COLOURED)
        tries = [(name, c) for name in TRANSFORMS if name in possible
                 for c in (colours if name in COLOURED else [-1])]
    for name, c in tries:
        got = TRANSFORMS[name](box, mask, b, c)
        if got is not None and np.array_equal(got, want):
            acts.add((name, c))
    if only is not None and same:  # a halo with nowhere to go (the object fills its surroundings)
        acts |= {a for a in only if a[0] == "halo" and np.array_equal(_halo(ext, inner, mask, b, a[1]), ext)}
    return acts


def _cost(act: tuple) -> float:
    """Keep first, then transforms in TRANSFORMS order, fixed pictures last (they generalise least)."""
    if act == KEEP:
        return 0.0
    if act[0] == "as":
        return 2.0
    if act[0] == "halo":
        return 1.0
    return 1.0 + 0.01 * list(TRANSFORMS).index(act[0])


def _say(act: tuple) -> str:
    name, c = act
    return "picture" if name == "as" else name if c < 0 else f"{name} {c}"


def paint(g: np.ndarray, objs: list[P.Obj], acts: list[tuple], b: int) -> np.ndarray | None:
    """Each object's box rewritten by its action, every box computed from `g`."""
    out = g.copy()
    for o, (name, c) in zip(objs, acts):
        region, inner = _region(o, g.shape)
        if name == "keep":
            continue
        if name == "halo":
            new = _halo(g[region], inner, o.mask, b, c)
            out[region][new != g[region]] = c
            continue
        if name == "as":
            h, w = c[0], c[1]
            if (h, w) != o.shape:
                return None
            new = np.frombuffer(c[2:], np.uint8).reshape(h, w)
        else:
            new = TRANSFORMS[name](g[region][inner], o.mask, b, c)
            if new is None:
                return None
        out[region][inner] = new
    return out


def learn_object_transform(states, outputs, tests, info: TaskInfo, max_rules: int = 2) -> list[Finish]:
    if any(s.shape != o.shape for s, o in zip(states, outputs)):
        return []
    return best_rules(_rules_for, states, outputs, tests, info, max_rules)


def _rules_for(states, outputs, tests, bg: int, diag: bool, by_colour: bool) -> list[Finish]:
    objs = grid_objects(states, bg, diag, by_colour, MAX_OBJECTS)
    if objs is None:
        return []
    # Regions are the objects' boxes when every change lies in one (neighbours' changes then never spill
    # into an object's ring), else the boxes grown by one, for halos
    for grow in (0, 1):
        regions = [[_region(o, s.shape, grow) for o in os] for s, os in zip(states, objs)]
        if all(_only_inside(s, out, rs) for s, out, rs in zip(states, outputs, regions)):
            break
    else:
        return []
    changed = [[not np.array_equal(s[r], out[r]) for r, _ in rs] for s, out, rs in zip(states, outputs, regions)]
    if not any(map(any, changed)):
        return []
    # per demonstration, per object: the set of actions that explain its region; an unchanged object is
    # only tried with the transforms that explain some changed one
    def explain(k: int, i: int, only: set | None) -> set:
        s, (r, inner) = states[k], regions[k][i]
        return _consistent(s[r], inner, objs[k][i].mask, P.resolve_bg(s, bg), outputs[k][r], only)

    cons = [[set()] * len(os) for os in objs]
    every = [(k, i) for k, os in enumerate(objs) for i in range(len(os))]
    tried: set = set()
    for k, i in every:
        if changed[k][i]:
            cons[k][i] = explain(k, i, None)
            tried |= cons[k][i]
    for k, i in every:
        if not changed[k][i]:
            cons[k][i] = explain(k, i, tried)
    flat = [a for row in cons for a in row]
    test_objs = [P.objects(t, bg, diag, by_colour) for t in tests]
    if not all(test_objs) or any(len(os) > MAX_OBJECTS for os in test_objs):
        return []
    conn = f"{'8' if diag else '4'}{'' if by_colour else ',multi'}{'' if bg == 0 else ',bg=auto'}"
    out = []
    common = set.intersection(*flat) - {KEEP}
    if common:
        act = min(common, key=_cost)
        if act[0] != "as":
            # objects the transform leaves as they were fit it by accident: the split into objects under
            # which it changes them all is the likelier one
            idle = sum(not c for row in changed for c in row) / len(flat)
            out.append(Finish(f"each_object({_say(act)};{conn})", _apply(None, lambda v, a=act: a, bg, diag, by_colour),
                              1.6 + _cost(act) * 0.2 + 0.1 * idle))
    props = [P.object_properties(os, s.shape) for os, s in zip(objs, states)]
    test_props = [P.object_properties(os, t.shape) for os, t in zip(test_objs, tests)]
    for name in props[0]:
        groups: dict = {}
        seen: dict = {}
        for p, row in zip(props, cons):
            for v, a in zip(p[name], row):
                groups[v] = groups[v] & a if v in groups else set(a)
                seen[v] = seen.get(v, 0) + 1
        # a fixed picture is learned from one value only when two objects showed it (else any lone
        # object's output "explains" it)
        table = {v: min((x for x in a if x[0] != "as" or seen[v] > 1), key=_cost, default=None)
                 for v, a in groups.items()}
        if None in table.values():
            continue
        if len(set(table.values())) < 2:
            continue  # one action for all is the rule above
        read = read_table(table, name, [v for tp in test_props for v in tp[name]])
        if read is None:
            continue
        act, extra, how = read
        desc = ",".join(f"{v if not isinstance(v, bytes) else 'shape'}>{_say(a)}" for v, a in list(table.items())[:6])
        out.append(Finish(f"object_transform({name}:{how}{desc};{conn})", _apply(name, act, bg, diag, by_colour),
                          2.2 + 0.1 * len(table) + extra))
    return out


def _only_inside(s: np.ndarray, out: np.ndarray, regions: list) -> bool:
    """Whether every cell that changes lies in one of the regions."""
    inside = np.zeros(s.shape, bool)
    for r, _ in regions:
        inside[r] = True
    return np.array_equal(s[~inside], out[~inside])


def _apply(name: str | None, act, bg: int, diag: bool, by_colour: bool):
    """The rule as a grid function: `act` maps an object's value of property `name` (None: no
    property) to its action (None: unknown)."""
    def run(g: np.ndarray) -> np.ndarray | None:
        objs = P.objects(g, bg, diag, by_colour)
        if not objs or len(objs) > MAX_OBJECTS:
            return None
        values = P.object_properties(objs, g.shape)[name] if name else [None] * len(objs)
        acts = [act(v) for v in values]
        if any(a is None for a in acts):
            return None
        return paint(g, objs, acts, P.resolve_bg(g, bg))
    return run
