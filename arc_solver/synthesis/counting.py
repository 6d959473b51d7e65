"""Counting: the output is a small picture whose size is a count read off the input.

"As many cells as there are objects", "an n x n diagonal for n shapes", "a 1x5 bar with one blue cell
per blue square": the output is one of a few picture kinds (a row, a column, a diagonal, a bar of
fixed length filled from the left) in one colour (fixed, or the input's main colour), sized by one
count of the input (cells, objects, colours, objects or cells of one colour). Every (count, picture,
colour) that draws every demonstration output counts; the fewest-assumptions ones come first.
Colour lists: the output is a row or column of the input's colours, ordered by how many cells each
has or by where each first appears. Object sequences: a fixed-size output holding the colours of the
input's objects in reading order, laid out by rows, columns or as a snake. Bar charts: a column per
colour as tall as its cell count, or per largest object as tall as its size. Colour templates: every
output is one picture whose colours are read off the input ("the rarest colour", "the colour of the
largest object", "the colour in the middle of a ring").

    .venv/bin/python -m pytest tests/test_synthesis_counting.py -q
"""
from __future__ import annotations


import numpy as np

from .. import programs as P
from .program import Finish, TaskInfo


def _main_colour(g: np.ndarray, b: int) -> int:
    cnt = np.bincount(g[g != b], minlength=10)
    return int(cnt.argmax()) if cnt.any() else -1


def _counts(g: np.ndarray, info: TaskInfo, b: int) -> dict[str, int]:
    """Every count of one grid, by name (objects found once per grid: noisy grids have hundreds)."""
    bg = P.resolve_bg(g, b)
    objs = P.objects(g, b, True, True)
    out = {
        "cells": int((g != bg).sum()),
        "objects": P.label(g, b, True, False)[1],
        "objects4": P.label(g, b, False, True)[1],
        "colours": len(np.unique(g[g != bg])),
    }
    for c in info.in_colours:
        out[f"cells_of({c})"] = int((g == c).sum())
        out[f"objects_of({c})"] = sum(o.colour == c for o in objs)
        out[f"big_objects_of({c})"] = sum(o.colour == c and o.size > 1 for o in objs)
    return out


def _side(kind: str, o: np.ndarray) -> int:
    """The count an output of this picture kind shows (its length, or its cells for a bar)."""
    return int((o != 0).sum()) if kind == "bar" else o.shape[1] if kind == "row" else o.shape[0]


def _picture(kind: str, n: int, colour: int, length: int) -> np.ndarray | None:
    if n < 1 or n > P.MAX_SIDE or colour < 0:
        return None
    if kind == "row":
        return np.full((1, n), colour, np.uint8)
    if kind == "column":
        return np.full((n, 1), colour, np.uint8)
    if kind == "diagonal":
        out = np.zeros((n, n), np.uint8)
        np.fill_diagonal(out, colour)
        return out
    if kind == "bar" and n <= length:
        out = np.zeros((1, length), np.uint8)
        out[0, :n] = colour
        return out
    return None


PICTURES = ("row", "column", "diagonal", "bar")


def learn_count_picture(states, outputs, tests, info: TaskInfo) -> list[Finish]:
    if any(o.size > P.MAX_SIDE * 2 or min(o.shape) > 1 and o.shape[0] != o.shape[1] for o in outputs):
        return []  # only small rows, columns and squares
    length = outputs[0].shape[1]
    found = []
    for b in info.bgs:  # 0 first, then each grid's most common colour
        colours = [("main", lambda g, b=b: _main_colour(g, P.resolve_bg(g, b)))]
        colours += [(str(c), lambda g, c=c: c) for c in info.out_colours if c]
        counts = [_counts(s, info, b) for s in states]
        for cname in counts[0]:
            ns = [c[cname] for c in counts]
            if len(set(ns)) < 2:
                continue  # one count for every demonstration says nothing about counting
            for kind in PICTURES:
                if any(n != _side(kind, o) for n, o in zip(ns, outputs)):
                    continue
                for colname, colour in colours:
                    def draw(g, cname=cname, kind=kind, colour=colour, b=b):
                        return _picture(kind, _counts(g, info, b)[cname], colour(g), length)

                    if all((p := _picture(kind, n, colour(s), length)) is not None and p.shape == o.shape
                           and np.array_equal(p, o) for s, n, o in zip(states, ns, outputs)):
                        found.append(Finish(f"count_picture({kind},{cname},{colname}"
                                            f"{',bg=auto' if b == -1 else ''})", draw, 2.0))
                        if len(found) >= 2:
                            return found
    return found


def _colour_orders(g: np.ndarray, b: int) -> dict[str, list[int]]:
    """The grid's non-background colours in several orders."""
    b = P.resolve_bg(g, b)
    cnt = np.bincount(g[g != b], minlength=10)
    present = [int(c) for c in np.nonzero(cnt)[0]]
    ys, xs = np.indices(g.shape)
    first_x = {c: int(xs[g == c].min()) for c in present}
    first_y = {c: int(ys[g == c].min()) for c in present}
    by_count = sorted(present, key=lambda c: (-cnt[c], c))
    return {
        "most_cells": by_count,
        "fewest_cells": by_count[::-1],
        "most_cells_but_first": by_count[1:],  # the most common is often a frame or noise
        "left_to_right": sorted(present, key=lambda c: (first_x[c], first_y[c])),
        "top_to_bottom": sorted(present, key=lambda c: (first_y[c], first_x[c])),
    }


def _stripes(g: np.ndarray, b: int) -> np.ndarray | None:
    """The colours of a grid of stripes in their order: a row when they lie side by side (their
    centres spread more across than down), else a column."""
    b = P.resolve_bg(g, b)
    cols = [int(c) for c in np.unique(g) if c != b]
    if len(cols) < 2:
        return None
    ys, xs = np.indices(g.shape)
    cy = np.array([ys[g == c].mean() for c in cols])
    cx = np.array([xs[g == c].mean() for c in cols])
    across = cx.std() > cy.std()
    order = np.array(cols, np.uint8)[np.argsort(cx if across else cy, kind="stable")]
    return order[None, :] if across else order[:, None]


def learn_colour_list(states, outputs, tests, info: TaskInfo) -> list[Finish]:
    """Output = one row or column listing the input's colours in an order (by how many cells each
    has, or where each first appears), or the colours of stripes in their order, a row or a column as
    the stripes lie."""
    if not all(min(o.shape) == 1 for o in outputs):
        return []
    for b in info.bgs:
        if all((p := _stripes(s, b)) is not None and p.shape == o.shape and np.array_equal(p, o)
               for s, o in zip(states, outputs)):
            return [Finish(f"colour_list(stripes{',bg=auto' if b == -1 else ''})", lambda g, b=b: _stripes(g, b), 1.5)]
    column = outputs[0].shape[1] == 1 and outputs[0].shape[0] > 1
    if any((o.shape[1] == 1) != column for o in outputs if o.size > 1):
        return []
    found = []
    for b in info.bgs:
        for order in _colour_orders(states[0], b):
            def draw(g, b=b, order=order):
                cols = _colour_orders(g, b)[order]
                if not cols:
                    return None
                a = np.array(cols, np.uint8)
                return a[:, None] if column else a[None, :]

            if all((p := draw(s)) is not None and p.shape == o.shape and np.array_equal(p, o)
                   for s, o in zip(states, outputs)):
                found.append(Finish(f"colour_list({order}{',bg=auto' if b == -1 else ''})", draw, 1.5))
    return found[:2]


# Where the k-th listed entry goes in an h x w output: row by row, rows alternating direction (a snake),
# column by column, or columns alternating.
def _layout(h: int, w: int, how: str) -> list[tuple[int, int]]:
    if how in ("columns", "snake_columns"):
        return [(y, x) for x, y in _layout(w, h, "rows" if how == "columns" else "snake_rows")]
    return [(y, x if how == "rows" or y % 2 == 0 else w - 1 - x) for y in range(h) for x in range(w)]


LAYOUTS = ("rows", "snake_rows", "columns", "snake_columns")


def _object_sequence(g: np.ndarray, b: int, by: str) -> list[int]:
    """The colours of the grid's objects (8-connected, one colour each) ordered by their leftmost column
    (then top row), or by their top row (then leftmost column)."""
    objs = P.objects(g, P.resolve_bg(g, b), True, True)
    key = (lambda o: (o.left, o.top)) if by == "column" else (lambda o: (o.top, o.left))
    return [o.colour for o in sorted(objs, key=key)]


def learn_object_sequence(states, outputs, tests, info: TaskInfo) -> list[Finish]:
    """Every output one fixed h x w shape, holding the colours of the input's objects one per cell, read
    left to right (or top to bottom) and laid out row by row, as a snake, or by columns; background after
    the last ("the dots' colours, read across, written into a 3x3")."""
    shape = outputs[0].shape
    if min(shape) < 2 or any(o.shape != shape for o in outputs):
        return []
    h, w = shape
    found = []
    for b in info.bgs:
        fill = 0 if b == -1 else b
        for by in ("column", "row"):
            seqs = [_object_sequence(s, b, by) for s in states]
            if any(not 0 < len(q) <= h * w for q in seqs):
                continue
            for how in LAYOUTS:
                cells = _layout(h, w, how)

                def draw(g, b=b, by=by, cells=cells, fill=fill):
                    seq = _object_sequence(g, b, by)
                    if not 0 < len(seq) <= len(cells):
                        return None
                    out = np.full((h, w), fill, np.uint8)
                    for (y, x), c in zip(cells, seq):
                        out[y, x] = c
                    return out

                if all(np.array_equal(draw(s), o) for s, o in zip(states, outputs)):
                    found.append(Finish(f"object_sequence({by},{how}{',bg=auto' if b == -1 else ''})", draw, 1.6))
    return found[:2]


def _bars(g: np.ndarray, b: int, what: str) -> list[tuple[int, int]]:
    """(colour, length) of each bar of a bar chart of the grid: every colour by its cell count, most
    first (ties by colour); or the largest objects (8-connected, one colour each), each as long as
    its size, left to right."""
    b = P.resolve_bg(g, b)
    if what == "colour_cells":
        cnt = np.bincount(g[g != b], minlength=10)
        return sorted(((c, int(cnt[c])) for c in np.nonzero(cnt)[0]), key=lambda e: (-e[1], e[0]))
    objs = P.objects(g, b, True, True)
    if not objs:
        return []
    top = max(o.size for o in objs)
    return [(o.colour, o.size) for o in sorted(objs, key=lambda o: (o.left, o.top)) if o.size == top]


def learn_bar_chart(states, outputs, tests, info: TaskInfo) -> list[Finish]:
    """Output = a bar chart: one column per bar (_bars), filled from the top to its length, as tall as the
    longest (or one row per bar, filled from the left), background elsewhere."""
    found = []
    for b in info.bgs:
        fill = 0 if b == -1 else b
        for what in ("colour_cells", "largest_objects"):
            for rows in (False, True):
                def draw(g, b=b, what=what, rows=rows, fill=fill):
                    bars = _bars(g, b, what)
                    if not bars or len(bars) > P.MAX_SIDE or max(n for _, n in bars) > P.MAX_SIDE:
                        return None
                    out = np.full((max(n for _, n in bars), len(bars)), fill, np.uint8)
                    for x, (c, n) in enumerate(bars):
                        out[:n, x] = c
                    return out.T.copy() if rows else out

                if all((p := draw(s)) is not None and p.shape == o.shape and np.array_equal(p, o)
                       for s, o in zip(states, outputs)):
                    found.append(Finish(f"bar_chart({what}{',rows' if rows else ''}{',bg=auto' if b == -1 else ''})",
                                        draw, 1.6))
    return found[:2]


def _named_colours(g: np.ndarray, b: int) -> dict[str, int]:
    """The colours of one grid a picture may be painted in, by name (the first names first)."""
    b = P.resolve_bg(g, b)
    named: dict[str, int] = {}
    cnt = np.bincount(g[g != b], minlength=10)
    for order, cols in _colour_orders(g, b).items():
        for k in (0, 1, 2, -1):
            # a place in an order by count means nothing when another colour has as many cells
            if -len(cols) <= k < len(cols) and not ("cells" in order and (cnt == cnt[cols[k]]).sum() > 1):
                named.setdefault(f"{order}[{k}]", cols[k])
    objs = P.objects(g, b, True, True)
    for name, largest in (("largest_object", True), ("smallest_object", False)):
        i = P.unique_extreme([o.size for o in objs], largest)
        if i is not None:
            named[name] = objs[i].colour
    n_objects = np.bincount([o.colour for o in objs], minlength=10)
    for name, pick in (("most_objects", n_objects.max()), ("fewest_objects", n_objects[n_objects > 0].min(initial=0))):
        if pick and (n_objects == pick).sum() == 1:
            named[name] = int(np.argmax(n_objects == pick))
    # a cell whose eight neighbours all have one other (non-background) colour: the middle of a ring
    p = P.framed(g, b)
    h, w = g.shape
    around = [p[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx]
    ringed = (g != around[0]) & (around[0] != b) & np.logical_and.reduce([a == around[0] for a in around])
    middles = np.unique(g[ringed])
    if len(middles) == 1:
        named["ringed"] = int(middles[0])
    # the colour the rarest colour's cells lie in most often (specks inside regions)
    rarest = named.get("fewest_cells[0]")
    if rarest is not None:
        beside = np.bincount(np.concatenate([around[i][g == rarest] for i in (1, 3, 4, 6)]), minlength=10)  # 4 sides
        beside[[rarest, b]] = 0
        if beside.any() and (beside == beside.max()).sum() == 1:
            named["around_rarest"] = int(beside.argmax())
    return named


def _partition(o: np.ndarray) -> np.ndarray:
    """Each cell's colour class, classes numbered by first appearance (row-major)."""
    _, first, inverse = np.unique(o.ravel(), return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first))
    return rank[inverse].reshape(o.shape)


def learn_colour_template(states, outputs, tests, info: TaskInfo) -> list[Finish]:
    """Every output is one picture (one shape, one split of its cells into colour classes) painted in
    colours that differ between demonstrations: each class's colour is fixed or read off the input by
    a name of _named_colours."""
    shape = outputs[0].shape
    if any(o.shape != shape for o in outputs) or len({o.tobytes() for o in outputs}) < 2:
        return []
    parts = [_partition(o) for o in outputs]
    if any(not np.array_equal(q, parts[0]) for q in parts[1:]):
        return []
    template = parts[0]
    firsts = [tuple(o.ravel()[np.argmax(template.ravel() == k)] for k in range(template.max() + 1)) for o in outputs]
    found = []
    for b in info.bgs:
        named = [_named_colours(s, b) for s in states]
        rules: list[str | int] = []
        for k in range(template.max() + 1):
            want = [int(f[k]) for f in firsts]
            if len(set(want)) == 1:
                rules.append(want[0])
                continue
            name = next((n for n in named[0] if all(d.get(n) == c for d, c in zip(named, want))), None)
            if name is None:
                break
            rules.append(name)
        else:
            def paint(g, b=b, rules=tuple(rules), template=template):
                got = _named_colours(g, b)
                cols = [r if isinstance(r, int) else got.get(r) for r in rules]
                if any(c is None for c in cols):
                    return None
                return np.array(cols, np.uint8)[template]

            desc = ",".join(str(r) for r in rules)
            found.append(Finish(f"colour_template({desc}{',bg=auto' if b == -1 else ''})", paint, 2.0))
    return found
