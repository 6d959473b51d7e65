"""Per-object rules: each object keeps its colours or is painted one colour, chosen by one of its properties.

"The largest object turns red", "objects with a hole become blue, the rest stay", "every shape seen twice
is erased": the output equals the state except on whole objects, each of which is either unchanged or
painted a single colour (the background colour erases it). A rule is a table from one property value
(programs.object_properties: colour, size rank, shape, holes, touching the edge, ...) to that action,
read off the demonstrations. It counts only if it is consistent on every demonstration object and knows
the value of every test object; the smallest tables come first.

    .venv/bin/python -m pytest tests/test_synthesis_object_rules.py -q
"""
from __future__ import annotations

import numpy as np

from .. import programs as P
from .program import Finish, TaskInfo

KEEP = -1
CONNECTIVITY = ((False, True), (True, True), (True, False))  # (diagonal, one colour per object)


def _actions(state: np.ndarray, output: np.ndarray, objs: list[P.Obj]) -> list[int] | None:
    """What happened to each object (KEEP or the colour it was painted), or None when the change is not
    object-wise (a cell outside every object changed, or an object came out in several new colours)."""
    touched = np.zeros(state.shape, bool)
    acts = []
    for o in objs:
        h, w = o.shape
        region = (slice(o.top, o.top + h), slice(o.left, o.left + w))
        got = output[region][o.mask]
        touched[region] |= o.mask
        if np.array_equal(got, state[region][o.mask]):
            acts.append(KEEP)
        elif (got == got[0]).all():
            acts.append(int(got[0]))
        else:
            return None
    if not np.array_equal(state[~touched], output[~touched]):
        return None
    return acts


def learn_object_rule(states, outputs, tests, info: TaskInfo, max_rules: int = 2) -> list[Finish]:
    if any(s.shape != o.shape for s, o in zip(states, outputs)):
        return []
    found = []
    for bg in info.bgs:
        for diag, by_colour in CONNECTIVITY:
            found += _rules_for(states, outputs, tests, bg, diag, by_colour)
    found.sort(key=lambda f: f.cost)
    return found[:max_rules]


def _rules_for(states, outputs, tests, bg: int, diag: bool, by_colour: bool) -> list[Finish]:
    objs = [P.objects(s, bg, diag, by_colour) for s in states]
    if not all(objs) or any(len(os) > 60 for os in objs):
        return []
    acts = []
    for s, o, os in zip(states, outputs, objs):
        a = _actions(s, o, os)
        if a is None:
            return []
        acts.append(a)
    if all(a == KEEP for row in acts for a in row):
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
        if not all(tp and all(v in table for v in tp[name]) for tp in test_props):
            continue
        desc = ",".join(f"{v if not isinstance(v, bytes) else 'shape'}>{'keep' if a == KEEP else a}"
                        for v, a in list(table.items())[:6])
        out.append(Finish(f"object_rule({name}:{desc};{conn})", _apply_rule(name, table, bg, diag, by_colour),
                          1.2 + 0.1 * len(table)))
    return out


def _apply_rule(name: str, table: dict, bg: int, diag: bool, by_colour: bool):
    def run(g: np.ndarray) -> np.ndarray | None:
        objs = P.objects(g, bg, diag, by_colour)
        if not objs:
            return None
        values = P.object_properties(objs, g.shape)[name]
        if any(v not in table for v in values):
            return None
        return P.recolour_objects(g, objs, [None if table[v] == KEEP else table[v] for v in values])
    return run
