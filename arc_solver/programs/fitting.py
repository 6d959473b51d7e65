"""Jigsaw pieces: two objects slid together into one full rectangle, pieces moved into the holes of their
exact shape, pieces stacked on a shared anchor cell or centre, four L pieces made the corners of one frame,
a piece scaled to fill a frame.

    .venv/bin/python -m pytest tests/test_programs_fitting.py -q
"""
from __future__ import annotations

import numpy as np

from .base import as_grid, framed, resolve_bg
from .fills import enclosed
from .objects import Obj, objects


def _placements(a: Obj, b: Obj) -> list[np.ndarray]:
    """Every distinct rectangle that `a` and `b` (unturned) tile exactly when `b` is slid against `a`."""
    total = a.size + b.size
    (ah, aw), (bh, bw) = a.shape, b.shape
    found: list[np.ndarray] = []
    for dy in range(-bh, ah + 1):  # b's box relative to a's
        for dx in range(-bw, aw + 1):
            top, left = min(0, dy), min(0, dx)
            h, w = max(ah, dy + bh) - top, max(aw, dx + bw) - left
            if h * w != total:
                continue
            cover = np.zeros((h, w), np.int8)
            cover[-top:-top + ah, -left:-left + aw] += a.mask
            cover[dy - top:dy - top + bh, dx - left:dx - left + bw] += b.mask
            if (cover != 1).any():
                continue
            out = np.zeros((h, w), np.uint8)
            out[-top:-top + ah, -left:-left + aw][a.mask] = a.patch[a.mask]
            out[dy - top:dy - top + bh, dx - left:dx - left + bw][b.mask] = b.patch[b.mask]
            if not any(np.array_equal(out, f) for f in found):
                found.append(out)
    return found


def fit_together(grid: np.ndarray, bg: int = 0, diag: bool = True) -> np.ndarray | None:
    """The rectangle two pieces make when slid together without turning (two single-colour objects,
    each filling what the other leaves of the rectangle). None unless the grid has exactly two objects
    and they fit together in exactly one way."""
    g = as_grid(grid)
    objs = objects(g, resolve_bg(g, bg), diag, True)
    if len(objs) != 2:
        return None
    found = _placements(*objs)
    return found[0] if len(found) == 1 else None


def fill_holes_with_pieces(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Each hole (a 4-connected region of enclosed background) that exactly one loose piece matches in
    shape receives that piece, which leaves its place; holes no piece fits stay empty, pieces no hole
    fits stay where they are. A piece is an 8-connected single-colour object that touches no hole. When
    several pieces fit one hole, the one whose colour no other object has goes (the others are scattered
    noise of one colour). None when no piece moves."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    holes = enclosed(g, b)
    if not holes.any():
        return None
    hole_objs = objects(holes.astype(np.uint8), 0, False, True)
    f = framed(holes)
    near_hole = f[:-2, 1:-1] | f[2:, 1:-1] | f[1:-1, :-2] | f[1:-1, 2:]  # beside a hole cell
    pieces = [o for o in objects(g, b, True, True)
              if not near_hole[o.top:o.top + o.height, o.left:o.left + o.width][o.mask].any()]
    colours = np.bincount([o.colour for o in pieces], minlength=10)
    out = g.copy()
    used: set[int] = set()
    moved = False
    for hole in hole_objs:
        fits = [i for i, p in enumerate(pieces)
                if i not in used and p.shape == hole.shape and np.array_equal(p.mask, hole.mask)]
        if len(fits) > 1:
            fits = [i for i in fits if colours[pieces[i].colour] == 1]
        if len(fits) != 1:
            continue  # no piece, or a choice the grid does not settle
        p = pieces[fits[0]]
        used.add(fits[0])
        out[p.top:p.top + p.height, p.left:p.left + p.width][p.mask] = b
        out[hole.top:hole.top + hole.height, hole.left:hole.left + hole.width][hole.mask] = p.patch[p.mask]
        moved = True
    return out if moved else None


def stack_on_anchor(grid: np.ndarray, anchor: int, bg: int = 0) -> np.ndarray | None:
    """Every piece (8-connected, any colours) holds one cell of colour `anchor`: the pieces laid over each
    other with their anchor cells on one cell, cropped to what they cover. None when a piece has no or
    several anchor cells, or two pieces put different colours on one cell."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    objs = objects(g, b, True, False)
    if len(objs) < 2:
        return None
    placed = []
    for o in objs:
        ys, xs = np.nonzero(o.mask & (o.patch == anchor))
        if len(ys) != 1:
            return None
        placed.append((o, int(ys[0]), int(xs[0])))
    top = max(ay for _, ay, _ in placed)  # the anchor's place in the result
    left = max(ax for _, _, ax in placed)
    h = top + max(o.height - ay for o, ay, _ in placed)
    w = left + max(o.width - ax for o, _, ax in placed)
    out = np.full((h, w), b, np.uint8)
    for o, ay, ax in placed:
        y0, x0 = top - ay, left - ax
        window = out[y0:y0 + o.height, x0:x0 + o.width]
        cells = o.patch[o.mask]
        already = window[o.mask]
        if ((already != b) & (already != cells)).any():
            return None
        window[o.mask] = cells
    return out


def assemble_corners(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Four pieces of one box size, each an L whose two full box edges meet at one corner: put together
    as the four corners of one frame, twice the box each way, every piece in the corner its edges make.
    None unless the four corners are told apart."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    objs = objects(g, b, True, False)
    if len(objs) != 4 or len({o.shape for o in objs}) != 1:
        return None
    h, w = objs[0].shape
    out = np.full((2 * h, 2 * w), b, np.uint8)
    taken = set()
    for o in objs:
        m = o.mask
        edges = (m[0].all(), m[-1].all(), m[:, 0].all(), m[:, -1].all())  # top, bottom, left, right
        corners = [(vy, vx) for vy in (0, 1) for vx in (0, 1) if edges[vy] and edges[2 + vx]]
        if len(corners) != 1 or corners[0] in taken:
            return None
        vy, vx = corners[0]
        taken.add((vy, vx))
        window = out[vy * h:(vy + 1) * h, vx * w:(vx + 1) * w]
        window[m] = o.patch[m]
    return out


def stack_colours_centred(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Each colour's cells (wherever they lie) make one picture in their bounding box: the pictures laid
    over each other on a common centre, in a canvas as tall and as wide as the largest. None when the
    pictures do not share a centre cell (sides of mixed parity) or two colours claim one cell."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    boxes = []
    for c in np.unique(g):
        if c == b:
            continue
        ys, xs = np.nonzero(g == c)
        boxes.append((int(c), ys - ys.min(), xs - xs.min(), int(np.ptp(ys)) + 1, int(np.ptp(xs)) + 1))
    if len(boxes) < 2:
        return None
    h, w = max(bx[3] for bx in boxes), max(bx[4] for bx in boxes)
    out = np.full((h, w), b, np.uint8)
    for c, ys, xs, bh, bw in boxes:
        if (h - bh) % 2 or (w - bw) % 2:
            return None
        ys, xs = ys + (h - bh) // 2, xs + (w - bw) // 2
        if (out[ys, xs] != b).any():
            return None
        out[ys, xs] = c
    return out


def scale_into_frame(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """A hollow rectangular frame and one other piece: the frame cut out, the piece scaled up to fill the
    frame's inside exactly. None unless there are exactly these two pieces and the inside is a whole
    multiple of the piece's box (the same factor both ways)."""
    g = as_grid(grid)
    objs = objects(g, resolve_bg(g, bg), True, False)
    if len(objs) != 2:
        return None
    for frame, piece in (objs, objs[::-1]):
        m = frame.mask
        if min(m.shape) < 3 or not (m[0].all() and m[-1].all() and m[:, 0].all() and m[:, -1].all()) \
                or m[1:-1, 1:-1].any():
            continue
        (ih, iw), (ph, pw) = (frame.height - 2, frame.width - 2), piece.shape
        if ih % ph or iw % pw or ih // ph != iw // pw:
            return None
        k = ih // ph
        out = frame.patch.copy()
        out[1:-1, 1:-1] = np.kron(piece.patch, np.ones((k, k), np.uint8))
        return out
    return None
