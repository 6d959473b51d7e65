"""Per-object rules: each object (and its holes) kept or painted one colour, chosen by one of its properties.

"The largest object turns red", "objects with a hole become blue, the rest stay", "every shape seen twice
is erased", "boxes of even side are filled with 2, odd ones with 7": the output equals the state except on
whole objects and their holes, each of which is either unchanged or painted a single colour (the
background colour erases an object). A rule is a table from one property value
(programs.object_properties: colour, size rank, shape, holes, touching the edge, ...) to that action,
read off the demonstrations. It counts only if it is consistent on every demonstration object and knows
the value of every test object, and no colour map does the same; the smallest tables come first, and
they cost about as much as a cell rule (they generalise about as well).

    .venv/bin/python -m pytest tests/test_synthesis_object_rules.py -q
"""
from __future__ import annotations

import numpy as np

from .. import programs as P
from .program import Finish, TaskInfo

KEEP = -1
CONNECTIVITY = ((False, True), (True, True), (True, False))  # (diagonal, one colour per object)


def _actions(state: np.ndarray, output: np.ndarray, objs: list[P.Obj], bg: int) -> list[tuple] | None:
    """What happened to each object: (its cells, its holes), each KEEP or the one colour they were
    painted; None when the change is not object-wise (a cell outside every object and hole changed,
    or an object or its holes came out in several new colours)."""
    b = P.resolve_bg(state, bg)
    touched = np.zeros(state.shape, bool)
    acts = []
    for o in objs:
        h, w = o.shape
        region = (slice(o.top, o.top + h), slice(o.left, o.left + w))
        holes = P.hole_mask(o) & (state[region] == b)
        act = []
        for part in (o.mask, holes):
            touched[region] |= part
            got = output[region][part]
            if not part.any() or np.array_equal(got, state[region][part]):
                act.append(KEEP)
            elif (got == got[0]).all():
                act.append(int(got[0]))
            else:
                return None
        acts.append(tuple(act))
    if not np.array_equal(state[~touched], output[~touched]):
        return None
    return acts


def paint_objects(g: np.ndarray, objs: list[P.Obj], acts: list[tuple], bg: int) -> np.ndarray:
    """Each object's cells and holes painted as `acts` says (KEEP leaves them)."""
    b = P.resolve_bg(g, bg)
    out = g.copy()
    for o, (body, hole) in zip(objs, acts):
        h, w = o.shape
        region = (slice(o.top, o.top + h), slice(o.left, o.left + w))
        if hole != KEEP:
            out[region][P.hole_mask(o) & (g[region] == b)] = hole
        if body != KEEP:
            out[region][o.mask] = body
    return out


def learn_object_rule(states, outputs, tests, info: TaskInfo, max_rules: int = 2) -> list[Finish]:
    if any(s.shape != o.shape for s, o in zip(states, outputs)):
        return []
    if P.learn_colour_map(zip(states, outputs)) is not None:
        return []  # a colour map says it more simply (and the colour-map finisher tries it)
    return best_rules(_rules_for, states, outputs, tests, info, max_rules)


def grid_objects(grids: list[np.ndarray], bg: int, diag: bool, by_colour: bool, most: int) -> list | None:
    """Each grid's objects; None when a grid has none, or more than `most` (texture, not objects)."""
    objs = [P.objects(g, bg, diag, by_colour) for g in grids]
    return objs if all(objs) and all(len(os) <= most for os in objs) else None


def best_rules(rules_for, states, outputs, tests, info: TaskInfo, max_rules: int) -> list[Finish]:
    """The cheapest of the rules that rules_for(states, outputs, tests, bg, diag, by_colour) finds under
    every background choice and connectivity."""
    found = []
    for bg in info.bgs:
        for diag, by_colour in CONNECTIVITY:
            found += rules_for(states, outputs, tests, bg, diag, by_colour)
    found.sort(key=lambda f: f.cost)
    return found[:max_rules]


def _rules_for(states, outputs, tests, bg: int, diag: bool, by_colour: bool) -> list[Finish]:
    objs = grid_objects(states, bg, diag, by_colour, 60)
    if objs is None:
        return []
    acts = []
    for s, o, os in zip(states, outputs, objs):
        a = _actions(s, o, os, bg)
        if a is None:
            return []
        acts.append(a)
    if all(a == (KEEP, KEEP) for row in acts for a in row):
        return []
    test_objs = [P.objects(t, bg, diag, by_colour) for t in tests]
    props = [P.object_properties(os, s.shape) for os, s in zip(objs, states)]
    test_props = [P.object_properties(os, t.shape) if os else {} for os, t in zip(test_objs, tests)]
    conn = f"{'8' if diag else '4'}{'' if by_colour else ',multi'}{'' if bg == 0 else ',bg=auto'}"
    out = []
    for name in props[0]:
        table: dict = {}
        ok = True
        for p, row in zip(props, acts):
            for v, a in zip(p[name], row):
                if table.setdefault(v, a) != a:
                    ok = False
                    break
            if not ok:
                break
        if not ok or len(set(table.values())) < 2:
            continue  # inconsistent, or nothing depends on the property (one action for all is another rule)
        read = read_table(table, name, [v for tp in test_props if tp for v in tp[name]], all(test_props))
        if read is None:
            continue
        act, extra, how = read
        desc = ",".join(f"{v if not isinstance(v, bytes) else 'shape'}>{_say(a)}" for v, a in list(table.items())[:6])
        out.append(Finish(f"object_rule({name}:{how}{desc};{conn})", _apply_rule(name, act, bg, diag, by_colour),
                          2.0 + 0.1 * len(table) + extra))
    return out


def read_table(table: dict, name: str, test_values: list, complete: bool = True):
    """(value -> action, extra cost, how) for a table read off the demonstrations over property `name`:
    the table itself when it knows every test value (and `complete`: every test grid had objects), else
    a threshold or "one value against the rest" that answers them; None when neither does."""
    if complete and all(v in table for v in test_values):
        return table.get, 0.0, ""
    act, extra, how = (_by_threshold(table), 0.3, "threshold,") if name in ORDERED else (None, 0.0, "")
    if act is None:
        act, extra, how = _by_exception(table), 0.4, "exception,"
    if act is None or not all(act(v) is not None for v in test_values):
        return None
    return act, extra, how


# Properties whose values are ordered counts: a rule may split them at one threshold ("objects of 4
# cells or more turn red"), which also answers sizes the demonstrations never showed.
ORDERED = ("size", "height", "width", "holes", "n_colours", "colour_count", "shape_count")


def _by_threshold(table: dict):
    """value -> action when the table's actions change exactly once along its sorted values (at or
    below the last value before the change: the first action; at or above the first after it: the
    second; between them, unknown); None when they change more often."""
    keys = sorted(table)
    changes = [i for i in range(1, len(keys)) if table[keys[i]] != table[keys[i - 1]]]
    if len(changes) != 1:
        return None
    lo, hi = keys[changes[0] - 1], keys[changes[0]]
    below, above = table[lo], table[hi]
    return lambda v: table.get(v, below if v <= lo else above if v >= hi else None)


def _by_exception(table: dict):
    """value -> action when one action belongs to a single value and the one other action to several
    ("objects of exactly 6 cells turn red, all others blue"): an unseen value takes the other action;
    None for any other table."""
    by_action: dict = {}
    for v, a in table.items():
        by_action.setdefault(a, []).append(v)
    if len(by_action) != 2:
        return None
    (a1, v1), (a2, v2) = by_action.items()
    if sorted((len(v1), len(v2)))[0] != 1 or max(len(v1), len(v2)) < 2:
        return None
    rest = a1 if len(v1) > 1 else a2
    return lambda v: table.get(v, rest)


def _apply_rule(name: str, act, bg: int, diag: bool, by_colour: bool):
    """The rule as a grid function: `act` maps a property value to its action (None: unknown)."""
    def run(g: np.ndarray) -> np.ndarray | None:
        objs = P.objects(g, bg, diag, by_colour)
        if not objs:
            return None
        acts = [act(v) for v in P.object_properties(objs, g.shape)[name]]
        if any(a is None for a in acts):
            return None
        return paint_objects(g, objs, acts, bg)
    return run


def _say(act: tuple) -> str:
    body, hole = act
    return "/".join(x for x in ("keep" if body == KEEP else str(body), "" if hole == KEEP else f"holes {hole}") if x)
