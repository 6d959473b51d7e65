"""Programs and what a task tells the search: steps, learned finishing stages, TaskInfo, object cache."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import programs as P
from ..tasks import Task


GridFn = Callable[[np.ndarray], "np.ndarray | None"]

@dataclass(frozen=True)
class Step:
    name: str
    fn: GridFn
    cost: float = 1.0


@dataclass(frozen=True)
class Finish:
    """A learned last stage: built from the demonstrations, then applied to any grid."""

    name: str
    fn: GridFn
    cost: float = 0.0


@dataclass(frozen=True)
class Program:
    steps: tuple[Step, ...]
    finish: Finish
    predictions: tuple[np.ndarray | None, ...]  # one per test input of the task it was found on

    @property
    def cost(self) -> float:
        return sum(s.cost for s in self.steps) + self.finish.cost

    @property
    def name(self) -> str:
        parts = [s.name for s in self.steps]
        if self.finish.name != "exact" or not parts:
            parts.append(self.finish.name)
        return " | ".join(parts)

    @property
    def family(self) -> str:
        """What kind of program: 'chain' (steps only) or its finishing stage's kind (colour_map, pieces...)."""
        if self.finish.name == "exact":
            return "chain" if self.steps else "identity"
        return re.split(r"[(\[]", self.finish.name, maxsplit=1)[0]

    @property
    def partial(self) -> bool:
        """An unverified guess: its chain reproduces only some of the demonstrations."""
        return self.family == "partial"

    def __call__(self, grid: np.ndarray) -> np.ndarray | None:
        g = grid
        for s in self.steps:
            g = apply(s.fn, g)
            if g is None:
                return None
        return apply(self.finish.fn, g)


def apply(fn: GridFn, grid: np.ndarray) -> np.ndarray | None:
    """fn(grid) if it gives a legal grid; any exception or odd result just means 'not applicable'."""
    try:
        out = fn(grid)
    except Exception:  # a primitive choking on a weird grid rejects the program, never the search
        return None
    return P.checked(out) if isinstance(out, np.ndarray) else None


# ----------------------------------------------------------------------------- what the task tells us

def _reflect_factors(ins: list[np.ndarray], outs: list[np.ndarray]) -> tuple[tuple[int, int], ...]:
    """(k, axis) when every output is as wide across the axis as its input and k (its length - 1) + 1 long
    along it (TaskInfo.reflect)."""
    found = []
    for axis in (0, 1):
        ks = set()
        for a, b in zip(ins, outs):
            n, m = a.shape[axis], b.shape[axis]
            if a.shape[1 - axis] != b.shape[1 - axis] or n < 2 or m <= n or (m - 1) % (n - 1):
                ks = set()
                break
            ks.add((m - 1) // (n - 1))
        if len(ks) == 1:
            found.append((ks.pop(), axis))
    return tuple(found)


@dataclass(frozen=True)
class TaskInfo:
    bgs: tuple[int, ...]  # background choices worth trying (0, and -1 = per-grid most common)
    in_colours: tuple[int, ...]
    out_colours: tuple[int, ...]
    new_colours: tuple[int, ...]  # in outputs but never in inputs
    up: tuple[tuple[int, int], ...]  # integer factors output/input seen in demonstrations
    down: tuple[tuple[int, int], ...]  # integer factors input/output
    same_shape: bool
    smaller: bool  # every output fits strictly inside its input
    larger: bool
    content_up: tuple[tuple[int, int], ...] = ()  # integer factors output / input's content box, same in every pair
    # k such that every output is the input's content, shrunk k times, made a fractal of itself (each
    # output side the shrunk side squared: "crop, scale down, kron_self")
    fractal: tuple[int, ...] = ()
    out_shape: tuple[int, int] | None = None  # the one shape of every output, when they share one
    # (k, axis): every output is its input reflected back and forth along the axis, k (input side - 1) + 1 long
    reflect: tuple[tuple[int, int], ...] = ()
    # (axis, bg): every input, the tests' too, holds a legend of colour pairs read along the axis
    # (programs.legend_pairs), so recolouring by it is worth a step
    legends: tuple[tuple[int, int], ...] = ()

    @staticmethod
    def of(task: Task) -> "TaskInfo":
        ins = [p.input for p in task.train]
        outs = [p.output for p in task.train]
        bgs = (0,) if all(P.most_common(g) == 0 for g in ins + [p.input for p in task.test]) else (0, -1)
        cin = sorted({int(c) for g in ins for c in np.unique(g)})
        cout = sorted({int(c) for g in outs for c in np.unique(g)})
        up, down = set(), set()
        for a, b in zip(ins, outs):
            (ah, aw), (bh, bw) = a.shape, b.shape
            if bh % ah == 0 and bw % aw == 0 and (bh > ah or bw > aw):
                up.add((bh // ah, bw // aw))
            if ah % bh == 0 and aw % bw == 0 and (ah > bh or aw > bw):
                down.add((ah // bh, aw // bw))
        factors = set()
        contents = [P.crop_to_content(a, P.most_common(a)) for a in ins]
        for c, b in zip(contents, outs):
            if c is None or b.shape[0] % c.shape[0] or b.shape[1] % c.shape[1]:
                factors = set()
                break
            factors.add((b.shape[0] // c.shape[0], b.shape[1] // c.shape[1]))
        # (a same-shape task whose content fills its k*k x k*k grid says nothing: it fits every k)
        fractal = tuple(k for k in range(1, 6) if all(
            c is not None and c.shape[0] % k == 0 and c.shape[1] % k == 0 and c.shape[0] > k
            and b.shape == ((c.shape[0] // k) ** 2, (c.shape[1] // k) ** 2) and a.shape != c.shape
            for a, c, b in zip(ins, contents, outs)))
        return TaskInfo(
            content_up=tuple(f for f in factors if f != (1, 1) and max(f) <= 5) if len(factors) == 1 else (),
            fractal=fractal,
            out_shape=outs[0].shape if len({b.shape for b in outs}) == 1 else None,
            reflect=_reflect_factors(ins, outs),
            legends=tuple((axis, b) for axis in (0, 1) for b in bgs
                          if all(P.legend_pairs(g, axis, b)[0] for g in ins + [p.input for p in task.test])),
            bgs=bgs, in_colours=tuple(cin), out_colours=tuple(cout),
            new_colours=tuple(c for c in cout if c not in cin),
            up=tuple(sorted(up)), down=tuple(sorted(down)),
            same_shape=all(a.shape == b.shape for a, b in zip(ins, outs)),
            smaller=all(b.shape[0] <= a.shape[0] and b.shape[1] <= a.shape[1] and b.shape != a.shape
                        for a, b in zip(ins, outs)),
            larger=all(b.shape[0] >= a.shape[0] and b.shape[1] >= a.shape[1] and b.shape != a.shape
                       for a, b in zip(ins, outs)),
        )


class ObjectCache:
    """Components of each grid met during one search, computed once per (grid, connectivity)."""

    def __init__(self):
        self.memo: dict = {}

    def get(self, grid: np.ndarray, bg: int, diag: bool, by_colour: bool) -> list[P.Obj]:
        key = (grid.shape, grid.tobytes(), bg, diag, by_colour)
        objs = self.memo.get(key)
        if objs is None:
            if len(self.memo) > 20000:  # bound memory on long searches
                self.memo.clear()
            objs = self.memo[key] = P.Objects(P.objects(grid, bg, diag, by_colour))
        return objs
