"""Piece assembly: an output explained part by part by several search states, none of which explains it all.

Many outputs are a sum of edits: the enclosed areas filled *and* lines drawn from the dots, or one half
from a mirror image and the other from the input. No single chain of steps gives such an output, but
each part is some state the search has already met. A *piece* is such a state (its step chain applied to
every demonstration and test input), read as a partial picture:

- diff mode (every output has its input's shape): the base is the input; a piece paints the cells where
  its state differs from the input, and those cells must be right in every demonstration;
- layer mode (all the pieces' states have the output's shape): the base is the outputs' background
  colour; a piece paints the cells where its state is not that colour.

A piece paints its own colours on its changed cells (those that differ from the base) or on all its
cells, or one constant colour on its changed cells, when that is what the outputs show there. Pieces
are chosen greedily, most newly explained cells first (cheapest chain on ties), until every
demonstration cell that differs from the base is explained, with at most `max_pieces`. The first
piece laid down wins a cell: a later piece must be right on the cells it paints that no earlier piece
paints, and may be wrong under them ("the state as a whole, corrected by these edits" is then two
pieces). A test input is assembled the same way.

    .venv/bin/python -m pytest tests/test_synthesis_pieces.py -q
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import programs as P
from .program import Finish, GridFn, Step, apply

OWN = -1  # "paint the state's own colours" (else a colour 0..9)
# Which of a state's cells a piece paints: those that differ from the base, or all.
CHANGED, ALL = "changed", "all"
MAX_CELLS = 4_000_000  # options x demonstration cells the greedy cover looks at
_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], np.uint8)  # set bits of each byte


@dataclass(frozen=True)
class Piece:
    steps: tuple[Step, ...]
    grids: tuple[np.ndarray, ...]  # the chain's state of each demonstration input, then each test input
    cost: float


def chain(steps: tuple[Step, ...]) -> GridFn:
    def run(g: np.ndarray) -> np.ndarray | None:
        for s in steps:
            g = apply(s.fn, g)
            if g is None:
                return None
        return g
    return run


def _flat(grids) -> np.ndarray:
    return np.concatenate([g.ravel() for g in grids])


def assemble(pieces: list[Piece], inputs: list[np.ndarray], outputs: list[np.ndarray],
             tests: list[np.ndarray], max_pieces: int = 4) -> list[Finish]:
    """Finishing stages (applied to a task's raw input) that lay the chosen pieces over the base, one per
    mode that explains every demonstration cell; [] when none does."""
    if len(outputs) < 2 or not pieces:
        return []  # one demonstration is explained by almost anything
    shaped = [p for p in pieces if all(g.shape == o.shape for g, o in zip(p.grids, outputs))]
    found = []
    if all(i.shape == o.shape for i, o in zip(inputs, outputs)):
        diff = [p for p in shaped if all(g.shape == t.shape for g, t in zip(p.grids[len(outputs):], tests))]
        found += _cover(diff, _flat(inputs), outputs, None, max_pieces)
    bgs = {P.most_common(o) for o in outputs}
    if len(bgs) == 1:
        b = bgs.pop()
        base = np.full(sum(o.size for o in outputs), b, np.uint8)
        found += _cover(shaped, base, outputs, b, max_pieces)
    return found


def _cover(pieces: list[Piece], base: np.ndarray, outputs: list[np.ndarray], bg: int | None,
           max_pieces: int) -> list[Finish]:
    """Diff mode when `bg` is None (`base` = the inputs), else layer mode on colour `bg`."""
    if not pieces:
        return []
    target = _flat(outputs)
    need = target != base
    if not need.any():
        return []
    pieces = sorted(pieces, key=lambda p: p.cost)
    n = len(outputs)
    need_colours = np.unique(target[need])
    # Bound the work on big pools of big grids: the cheapest pieces are kept.
    pieces = pieces[:max(1, MAX_CELLS // (target.size * (2 + len(need_colours))))]
    states = np.stack([_flat(p.grids[:n]) for p in pieces])  # (pieces, cells of every demonstration)
    changed = states != base[None]
    wrong = states != target[None]
    keep = ~need
    rows, kinds, colours, paint, bad = [], [], [], [], []

    def add(mask: np.ndarray, miss: np.ndarray, kind: str, colour: int) -> None:
        # Usable: it explains some needed cell and paints no cell that keeps the base's colour wrong (no
        # piece may spoil the base, so no earlier piece could claim such a cell).
        ok = np.flatnonzero((mask & need).any(1) & ~(miss & keep).any(1))
        rows.append(ok)
        kinds.extend([kind] * len(ok))
        colours.extend([colour] * len(ok))
        paint.append(mask[ok])
        bad.append(miss[ok])

    # Own colours on the changed cells, and on every cell (the state as a whole, where no earlier piece
    # paints); one colour c on the changed cells.
    add(changed, changed & wrong, CHANGED, OWN)
    add(np.ones_like(changed), wrong, ALL, OWN)
    for c in need_colours:
        add(changed, changed & (target != c)[None], CHANGED, int(c))
    rows = np.concatenate(rows)
    if not len(rows):
        return []
    order = np.argsort(rows, kind="stable")  # cheapest piece first, so ties go to it
    rows, kinds, colours = rows[order], [kinds[i] for i in order], [colours[i] for i in order]
    paint, bad = np.packbits(np.concatenate(paint)[order], 1), np.packbits(np.concatenate(bad)[order], 1)
    all_needed = np.packbits(need)
    gains = paint & all_needed[None]
    # Greedy, most newly explained cells first. A piece may be wrong where an earlier one already paints:
    # the earlier piece wins those cells, on the demonstrations and on a test.
    covered = np.zeros_like(paint[0])
    chosen = []
    for _ in range(max_pieces):
        free = ~covered
        valid = ~(bad & free[None]).any(1)
        gain = np.where(valid, _POPCOUNT[gains & free[None]].sum(1, dtype=np.int64), 0)
        best = int(gain.argmax())
        if gain[best] == 0:
            break
        chosen.append((int(rows[best]), kinds[best], colours[best]))
        covered |= paint[best]
        if not (all_needed & ~covered).any():
            break
    if (all_needed & ~covered).any():
        return []
    parts = [(pieces[k], kind, c) for k, kind, c in chosen]
    mode = "diff" if bg is None else f"layer{bg}"
    name = f"pieces[{mode}]({' + '.join(_piece_name(*part) for part in parts)})"
    cost = 1.0 + sum(p.cost + 0.5 for p, _, _ in parts)
    return [Finish(name, _layer(parts, bg), cost)]


def _piece_name(p: Piece, kind: str, colour: int) -> str:
    name = " | ".join(s.name for s in p.steps) or "input"
    if kind == ALL:
        return f"all of {name}"
    return name if colour == OWN else f"{name} as {colour}"


def _layer(parts: list[tuple[Piece, str, int]], bg: int | None) -> GridFn:
    """The program on a raw input: each piece's chain, then the pieces laid over the base (bg None:
    the input), the first piece winning a disputed cell."""
    fns = [(chain(p.steps), kind, c) for p, kind, c in parts]

    def run(g: np.ndarray) -> np.ndarray | None:
        states = [fn(g) for fn, _, _ in fns]
        if any(s is None for s in states) or len({s.shape for s in states}) != 1:
            return None
        shape = states[0].shape
        if bg is None:
            if shape != g.shape:
                return None
            out, base = g.copy(), g
        else:
            out = np.full(shape, bg, np.uint8)
            base = out.copy()
        free = np.ones(shape, bool)
        for s, (_, kind, c) in zip(states, fns):
            paint = free if kind == ALL else free & (s != base)
            out[paint] = s[paint] if c == OWN else c
            free &= ~paint
        return out
    return run
