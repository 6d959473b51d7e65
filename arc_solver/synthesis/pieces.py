"""Piece assembly: an output explained part by part by several search states, none of which explains it all.

Many outputs are a sum of edits: the enclosed areas filled *and* lines drawn from the dots, or one half
from a mirror image and the other from the input. No single chain of steps gives such an output, but
each part is some state the search has already met. A *piece* is such a state (its step chain applied to
every demonstration and test input), read as a partial picture:

- diff mode (every output has its input's shape): the base is the input; a piece paints the cells where
  its state differs from the input, and those cells must be right in every demonstration;
- layer mode (all the pieces' states have the output's shape): the base is the outputs' background
  colour; a piece paints the cells where its state is not that colour.

A piece paints its own colours, or one constant colour (its changed cells recoloured) when that is what
the outputs show there. Pieces are chosen greedily, most newly explained cells first (cheapest chain on
ties), until every demonstration cell that differs from the base is explained, with at most
`max_pieces`. Only consistent pieces are used, so the order they are laid down in changes nothing on
the demonstrations; on a test input the earlier (larger) piece wins a disputed cell.

    .venv/bin/python -m pytest tests/test_synthesis_pieces.py -q
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import programs as P
from .program import Finish, GridFn, Step, apply

OWN = -1  # "paint the state's own colours" (else a colour 0..9)


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
    states = np.stack([_flat(p.grids[:n]) for p in pieces])  # (pieces, cells of every demonstration)
    painted = states != base[None]
    count = painted.sum(1)
    # Own colours: consistent when no painted cell is wrong. One colour c: every painted cell shows c.
    options = [(k, OWN) for k in np.flatnonzero((count > 0) & ~(painted & (states != target[None])).any(1))]
    for c in np.unique(target[need]):
        ok = (count > 0) & ((painted & (target[None] == c)).sum(1) == count)
        options += [(k, int(c)) for k in np.flatnonzero(ok)]
    if not options:
        return []
    cover = painted[[k for k, _ in options]] & need[None]
    covered = np.zeros_like(need)
    chosen = []
    for _ in range(max_pieces):
        gain = (cover & ~covered[None]).sum(1)
        best = int(gain.argmax())  # first of the best: options come cheapest piece first
        if gain[best] == 0:
            break
        chosen.append(options[best])
        covered |= cover[best]
        if covered[need].all():
            break
    if not covered[need].all():
        return []
    parts = [(pieces[k], c) for k, c in chosen]
    mode = "diff" if bg is None else f"layer{bg}"
    name = f"pieces[{mode}]({' + '.join(_piece_name(p, c) for p, c in parts)})"
    cost = 1.0 + sum(p.cost + 0.5 for p, _ in parts)
    return [Finish(name, _layer(parts, bg), cost)]


def _piece_name(p: Piece, colour: int) -> str:
    name = " | ".join(s.name for s in p.steps) or "input"
    return name if colour == OWN else f"{name} as {colour}"


def _layer(parts: list[tuple[Piece, int]], bg: int | None) -> GridFn:
    """The program on a raw input: each piece's chain, then the pieces laid over the base (bg None:
    the input), the first piece winning a disputed cell."""
    fns = [(chain(p.steps), c) for p, c in parts]

    def run(g: np.ndarray) -> np.ndarray | None:
        states = [fn(g) for fn, _ in fns]
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
        for s, (_, c) in zip(states, fns):
            paint = (s != base) & free
            out[paint] = s[paint] if c == OWN else c
            free &= ~paint
        return out
    return run
