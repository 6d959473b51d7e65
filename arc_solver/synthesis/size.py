"""Output-size prediction: the test output's height and width, from the demonstrations' size relations.

Each side is predicted on its own as a * f(input) + b, where f is a measure of the input grid (its
height or width, the height or width of its content or of its largest object, how many objects or
colours it has) or 1 (a constant side); a in {1, 2, 3, 1/2, 1/3}, b in -2..2. A rule counts when it
gives every demonstration output's side exactly; the simplest rule per side wins (the input's own side
unchanged, then a constant, then the other measures, unit slope and no offset first).

The search uses the prediction to rank programs: a program whose test answer has another size is kept
but goes after those that agree (a verified program with a surprising size is usually an overfit).

    .venv/bin/python -m pytest tests/test_synthesis_size.py -q
"""
from __future__ import annotations

from fractions import Fraction
from typing import Callable

import numpy as np

from .. import programs as P


def _content(g: np.ndarray) -> tuple[int, int]:
    c = P.crop_to_content(g, P.most_common(g))
    return c.shape if c is not None else (0, 0)


def _largest(g: np.ndarray) -> tuple[int, int]:
    objs = P.objects(g, -1, True, False)
    if not objs:
        return 0, 0
    return max(objs, key=lambda o: o.size).shape


def _count_objects(g: np.ndarray) -> int:
    return P.label(g, -1, True, False)[1]


def _count_colours(g: np.ndarray) -> int:
    return int(len(np.unique(g[g != P.most_common(g)])))


# (name, measure of the input); order = preference among rules that fit.
MEASURES: tuple[tuple[str, Callable[[np.ndarray], int]], ...] = (
    ("1", lambda g: 1),
    ("height", lambda g: g.shape[0]),
    ("width", lambda g: g.shape[1]),
    ("content_height", lambda g: _content(g)[0]),
    ("content_width", lambda g: _content(g)[1]),
    ("largest_height", lambda g: _largest(g)[0]),
    ("largest_width", lambda g: _largest(g)[1]),
    ("objects", _count_objects),
    ("colours", _count_colours),
)
SLOPES = (Fraction(1), Fraction(2), Fraction(3), Fraction(1, 2), Fraction(1, 3), Fraction(4))
OFFSETS = (0, 1, -1, 2, -2)


def side_rules(inputs: list[np.ndarray], sides: list[int], first: str) -> list[tuple[str, Callable]]:
    """Rules (name, fn(grid) -> side) that give every demonstration's side, best first: the input's own
    side `first` ('height' or 'width') unchanged, then a constant, then the other measures."""
    rules = []
    for name, measure in MEASURES:
        values = [measure(g) for g in inputs]
        if name == "1":
            if len(set(sides)) == 1:
                rules.append((1, f"{sides[0]}", lambda g, s=sides[0]: s))
            continue
        for a in SLOPES:
            p, q = a.numerator, a.denominator
            for b in OFFSETS:
                # a * v + b == s in integers: this loop runs once per search (Fractions were 10% of a search)
                if all(p * v + q * b == q * s for v, s in zip(values, sides)):
                    rank = 0 if (name, a, b) == (first, 1, 0) else 2
                    rules.append((rank, _describe(name, a, b), lambda g, m=measure, a=a, b=b: _side(m(g), a, b)))
    rules.sort(key=lambda r: r[0])  # stable: the input's own side, then a constant, then the rest in order
    return [(name, fn) for _, name, fn in rules]


def _side(v: int, a: Fraction, b: int) -> int | None:
    s = a * v + b
    return int(s) if s.denominator == 1 and 1 <= s <= P.MAX_SIDE else None


def _describe(name: str, a: Fraction, b: int) -> str:
    return f"{'' if a == 1 else f'{a}*'}{name}{'' if b == 0 else f'{b:+d}'}"


def predict_size(inputs: list[np.ndarray], outputs: list[np.ndarray], test: np.ndarray
                 ) -> tuple[tuple[int, int], str] | None:
    """(height, width) of the test output and the rule's name, or None when no rule fits both sides
    (or only one demonstration is given: any rule would fit)."""
    if len(outputs) < 2:
        return None
    best = []
    for axis, first in ((0, "height"), (1, "width")):
        # the best rule that gives the test input a legal side
        got = next(((n, v) for n, f in side_rules(inputs, [o.shape[axis] for o in outputs], first)
                    if (v := f(test)) is not None), None)
        if got is None:
            return None
        best.append(got)
    (hn, h), (wn, w) = best
    return (h, w), f"{hn} x {wn}"


def size_first(programs: list, sizes: list[tuple[tuple[int, int], str] | None]) -> list:
    """`programs` (best first) with those whose test answers all have the predicted sizes moved ahead,
    order kept otherwise; unchanged when some test input has no prediction."""
    if not programs or not all(sizes):
        return programs
    return sorted(programs, key=lambda p: not all(g is None or g.shape == s[0]
                                                  for g, s in zip(p.predictions, sizes)))
