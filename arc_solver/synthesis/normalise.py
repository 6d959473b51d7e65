"""Colour-normalised learning: the same rule with other colours in every demonstration.

"Every other cell of the line turns yellow", with a red line in one demonstration, a maroon one in the
next and a green one in the test: a rule keyed by colour never sees the test's colour. Here each grid's
own colours are renamed by how many cells they have (the background stays; the most common other colour
becomes 1, the next 2, ...), a learner (cell rule, stamps) learns on the renamed grids, and its answer is
named back in the test's own colours. Output colours no input has (a fixed "paint" colour) keep their
names. Tried only when the demonstrations do not all use the same colours. The same renaming of a
whole task lets the search run again on it (chain_search.search) when the task as given yields nothing;
where two colours of a grid have equal counts, a second form ranks them in reading order, and the search
gives that form its root learners only.

    .venv/bin/python -m pytest tests/test_synthesis_normalise.py -q
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .. import programs as P
from ..tasks import Pair, Task
from .program import Finish, TaskInfo


def colour_ranks(g: np.ndarray, bg: int, avoid: frozenset = frozenset(), ties: bool = False) -> np.ndarray | None:
    """Table colour -> name: bg -> bg, the other colours by cell count -> the smallest free names (not bg,
    not in `avoid`); 255 for colours the grid lacks. None when names run out, or when two colours tie
    (their names would be a coin toss), unless `ties`: then the colour met first in reading order goes
    first (two lone markers: the upper one, then the left one, is 1)."""
    cnt = np.bincount(g.ravel(), minlength=10)
    cols = [c for c in range(10) if cnt[c] and c != bg]
    free = [c for c in range(10) if c != bg and c not in avoid]
    if (not ties and len({int(cnt[c]) for c in cols}) != len(cols)) or len(cols) > len(free):
        return None
    flat = g.ravel()
    first = {c: int(np.argmax(flat == c)) for c in cols} if ties else {}
    table = np.full(10, 255, np.int64)
    table[bg] = bg
    for i, c in enumerate(sorted(cols, key=lambda c: (-cnt[c], first.get(c, 0)))):
        table[c] = free[i]
    return table


def _back(table: np.ndarray, fixed: frozenset) -> np.ndarray:
    """Inverse of a rename table (names -> colours), paint colours kept, 255 for unknown names."""
    back = np.full(256, 255, np.int64)
    for c in range(10):
        if table[c] != 255:
            back[table[c]] = c
    for c in fixed:
        back[c] = c
    return back


def _rename(g: np.ndarray, table: np.ndarray, fixed: frozenset) -> np.ndarray | None:
    t = table.copy()
    for c in fixed:
        t[c] = c
    r = t[g]
    return None if (r == 255).any() else r.astype(np.uint8)


def around(fn: Callable[[np.ndarray], np.ndarray | None], bg: int, fixed: frozenset, ties: bool = False
           ) -> Callable[[np.ndarray], np.ndarray | None]:
    """fn on renamed grids, as a function of grids in their own colours (renamed in, named back out)."""
    def run(g: np.ndarray) -> np.ndarray | None:
        t = colour_ranks(g, bg, fixed, ties)
        r = None if t is None else fn(_rename(g, t, fixed))
        if r is None:
            return None
        out = _back(t, fixed)[r]
        return None if (out == 255).any() else out.astype(np.uint8)
    return run


def _rename_all(states, outputs, tests, bg: int, fixed: frozenset, ties: bool = False):
    """(states, outputs, tests, test tables) each renamed by its own input's colour ranks, or None when a
    grid's colours tie (unless `ties`) or an output has a colour its input lacks."""
    tables = [colour_ranks(s, bg, fixed, ties) for s in states]
    test_tables = [colour_ranks(t, bg, fixed, ties) for t in tests]
    if any(t is None for t in tables + test_tables):
        return None
    ns = [_rename(s, t, fixed) for s, t in zip(states, tables)]
    no = [_rename(o, t, fixed) for o, t in zip(outputs, tables)]
    if any(g is None for g in ns + no):
        return None
    return ns, no, [_rename(g, t, fixed) for g, t in zip(tests, test_tables)], test_tables


def _plan(task: Task) -> tuple[int, frozenset] | None:
    """(background, paint colours) when the task is worth renaming: background 0 everywhere and the
    demonstrations' inputs not all of the same colours."""
    ins = [p.input for p in task.train + task.test]
    if any(P.most_common(g) != 0 for g in ins) or len({tuple(np.unique(p.input)) for p in task.train}) == 1:
        return None
    in_cols = {int(c) for g in ins for c in np.unique(g)}
    fixed = frozenset({int(c) for p in task.train for c in np.unique(p.output)} - in_cols)
    return 0, fixed


def normalise_task(task: Task, ties: bool = False) -> tuple[str, Task, list[Callable], Callable] | None:
    """A view of the task (see chain_search.search): its name, the task with every pair renamed by its input's
    colour ranks (paint colours kept; with `ties`, colours of equal count in reading order), per test input
    a function naming an answer back in its colours, and a function renaming any grid and back around a
    grid function. None when not worth it or not possible (ties, a colour an output has but its input
    lacks)."""
    plan = _plan(task)
    if plan is None:
        return None
    bg, fixed = plan
    got = _rename_all([p.input for p in task.train], [p.output for p in task.train],
                      [p.input for p in task.test], bg, fixed, ties)
    if got is None:
        return None
    ins, outs, tests, test_tables = got
    backs = [lambda r, b=_back(t, fixed): None if (b[r] == 255).any() else b[r].astype(np.uint8)
             for t in test_tables]
    pairs = [Pair(i, o) for i, o in zip(ins, outs)]
    return ("normalised_ties" if ties else "normalised", Task(task.id, tuple(pairs), tuple(Pair(t, None) for t in tests)),
            backs, lambda fn: around(fn, bg, fixed, ties))


def learn_normalised(learner, states, outputs, tests, info: TaskInfo) -> list[Finish]:
    if len({tuple(np.unique(s)) for s in states}) == 1:
        return []  # same colours everywhere: the plain learner already sees what there is
    bg = 0 if info.bgs == (0,) else None
    if bg is None:
        return []
    in_cols = {int(c) for s in states for c in np.unique(s)}
    fixed = frozenset({int(c) for o in outputs for c in np.unique(o)} - in_cols)  # paint colours no input has
    got = _rename_all(states, outputs, tests, bg, fixed)
    if got is None:
        return []
    ns, no, nt, _ = got
    sub_info = TaskInfo(bgs=(0,), in_colours=tuple(sorted({int(c) for g in ns for c in np.unique(g)})),
                        out_colours=tuple(sorted({int(c) for g in no for c in np.unique(g)})),
                        new_colours=tuple(sorted(fixed)), up=info.up, down=info.down,
                        same_shape=info.same_shape, smaller=info.smaller, larger=info.larger)
    got = learner(ns, no, nt, sub_info)
    got = got if isinstance(got, list) else [got] if got is not None else []
    out = []
    for fin in got:
        out.append(Finish(f"normalised({fin.name})", around(fin.fn, bg, fixed), fin.cost + 0.3))
    return out
