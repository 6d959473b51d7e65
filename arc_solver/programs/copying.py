"""Copying a template: the one shape of a grid pasted onto every group of marker cells.

"Each grey dot becomes a copy of the picture", "each grey box is replaced by the coloured pattern":
the marker colour's 8-connected groups are cleared, and the template (every other non-background
cell, which must form one 8-connected shape) is pasted centred on each group's box. Shapes moved onto
loose marker cells: "each shape goes where single cells repeat its coloured tips, turned to fit".

    .venv/bin/python -m pytest tests/test_programs_copying.py -q
"""
from __future__ import annotations

import numpy as np

from .base import as_grid, resolve_bg
from .colour import keep_colour, remove_colour
from .geometry import dihedral
from .moving import DIRECTIONS8
from .objects import Obj, objects


def paste_on_markers(grid: np.ndarray, marker: int, bg: int = 0) -> np.ndarray | None:
    """The template copied onto every group of `marker` cells, centred on the group's box (the box and
    the template must leave an even margin, so the centres meet); None without markers or without one
    template (lines right across the grid do not count: they stay as they are)."""
    b = resolve_bg(grid, bg)
    is_marker = grid == marker
    if marker == b or not is_marker.any():
        return None
    out = remove_colour(grid, marker, b)
    h, w = grid.shape
    # a separator line right across the grid is scenery, not part of the template
    rows = (out == out[:, :1]).all(axis=1) & (out[:, 0] != b)
    cols = (out == out[:1]).all(axis=0) & (out[0] != b)
    shapes = objects(np.where(rows[:, None] | cols[None, :], np.uint8(b), out), b, True, False)
    if len(shapes) != 1:
        return None
    t = shapes[0]
    th, tw = t.shape
    tys, txs = np.nonzero(t.mask)
    colours = t.patch[tys, txs]
    for m in objects(keep_colour(grid, marker, b), b, True, True):
        dy, dx = m.shape[0] - th, m.shape[1] - tw
        if dy % 2 or dx % 2:
            return None
        ys, xs = tys + m.top + dy // 2, txs + m.left + dx // 2
        inside = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
        out[ys[inside], xs[inside]] = colours[inside]
    return as_grid(out)


def move_onto_markers(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Each shape (4-connected, several colours) carries a few cells of other colours than its own main
    one; somewhere lie loose single cells in those colours, in the same arrangement up to a turn or a
    mirror. Every shape moves there, turned to fit: the shapes leave their places and cover the loose
    cells. None when some shape has no such place or more than one."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    objs = objects(g, b, False, False)  # side by side: loose cells may touch at corners
    loose = {(o.top, o.left): int(g[o.top, o.left]) for o in objs if o.size == 1}
    shapes = [o for o in objs if o.size > 1]
    if not shapes or not loose:
        return None
    out = g.copy()
    for o in shapes:
        out[o.top:o.top + o.height, o.left:o.left + o.width][o.mask] = b
    for o in sorted(shapes, key=lambda o: -o.size):
        places = {}
        for d in range(8):
            mask, patch = dihedral(o.mask, d), dihedral(o.patch, d)
            keys = [(y, x, int(patch[y, x])) for y, x in zip(*np.nonzero(mask)) if patch[y, x] != o.colour]
            if not keys:
                return None
            y0, x0, c0 = keys[0]
            for (my, mx), c in loose.items():
                if c != c0:
                    continue
                dy, dx = my - y0, mx - x0
                if all(loose.get((y + dy, x + dx)) == kc for y, x, kc in keys):
                    cells = tuple((int(y + dy), int(x + dx), int(patch[y, x])) for y, x in zip(*np.nonzero(mask)))
                    places[frozenset(cells)] = [(y + dy, x + dx) for y, x, _ in keys]
        if len(places) != 1:
            return None
        (cells, used), = places.items()
        for y, x, c in cells:
            if not (0 <= y < g.shape[0] and 0 <= x < g.shape[1]):
                return None
            out[y, x] = c
        for yx in used:
            del loose[yx]
    return out


def repeat_towards_markers(grid: np.ndarray, gap: int, bg: int = 0) -> np.ndarray | None:
    """The largest shape (8-connected, one colour) and, beside it, markers: each marker is part of a copy
    of the shape one step away (straight or diagonal, `gap` cells between copies); the shape repeats in
    the marker's colour at that step until it leaves the grid. None unless every marker is such a part
    and the largest shape is alone in its size."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    objs = objects(g, b, True, True)
    if len(objs) < 2:
        return None
    sizes = sorted((o.size for o in objs), reverse=True)
    if sizes[0] == sizes[1]:
        return None
    t = max(objs, key=lambda o: o.size)
    tys, txs = np.nonzero(t.mask)
    h, w = g.shape
    out = g.copy()
    for m in objs:
        if m is t:
            continue
        mys, mxs = np.nonzero(m.mask)
        mys, mxs = mys + m.top - t.top, mxs + m.left - t.left  # in the shape's frame
        # the directions whose first copy holds the marker; of those, the one that points most nearly
        # from the shape's centre to the marker's (copies closer than the shape's box overlap it)
        towards = np.array([mys.mean() - (t.height - 1) / 2, mxs.mean() - (t.width - 1) / 2])
        fits = []
        for sy, sx in DIRECTIONS8:
            dy, dx = sy * (t.height + gap), sx * (t.width + gap)
            ys, xs = mys - dy, mxs - dx
            if ((ys >= 0) & (ys < t.height) & (xs >= 0) & (xs < t.width)).all() and t.mask[ys, xs].all():
                fits.append((round(float(towards @ (sy, sx)) / np.hypot(sy, sx), 6), (dy, dx)))
        fits.sort(reverse=True)
        if not fits or (len(fits) > 1 and fits[0][0] == fits[1][0]):
            return None
        step = fits[0][1]
        for k in range(1, 31):
            ys, xs = tys + t.top + k * step[0], txs + t.left + k * step[1]
            inside = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
            if not inside.any():
                break
            ys, xs = ys[inside], xs[inside]
            free = (out[ys, xs] == b) | (out[ys, xs] == m.colour)
            out[ys[free], xs[free]] = m.colour
    return out


def _turned(mask: np.ndarray, patch: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The distinct images of a shape (mask and colours) under the eight turns and mirrors."""
    images: list[tuple[np.ndarray, np.ndarray]] = []
    for d in range(8):
        m, p = dihedral(mask, d), dihedral(patch, d)
        if not any(np.array_equal(m, a) and np.array_equal(p, c) for a, c in images):
            images.append((m, p))
    return images


def complete_templates(grid: np.ndarray, bg: int = 0, turns: bool = False) -> np.ndarray | None:
    """Shapes of several colours are templates; wherever other cells are part of a template (colours and
    all, nothing else in its footprint), the template is completed there, on background cells. A part
    counts when it fits one place only, and has two cells or more or one of a colour the template has
    once (else its place in the template is a guess); larger parts first, each cell completed once.
    With `turns` the templates are only the shapes of the most colours (a part may have two colours
    itself), and a part may fit any of their eight turned and mirrored images (36d67576).
    None when nothing changes, or for more than 4 templates, 40 shapes or 60 loose cells (a busy
    picture, not templates and parts)."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    objs = objects(g, b, True, False)
    most = max((o.n_colours for o in objs), default=0)
    templates = [o for o in objs if o.n_colours > 1 and (not turns or o.n_colours == most)]
    if not templates or len(templates) > 4 or len(objs) > 40:
        return None  # a few templates among a few parts; not a noisy picture
    h, w = g.shape
    own = np.zeros((h, w), bool)  # the templates' own cells: no part of anything else
    for t in templates:
        own[t.top:t.top + t.height, t.left:t.left + t.width] |= t.mask
    loose = (g != b) & ~own
    lys, lxs = np.nonzero(loose)
    if not 0 < len(lys) <= 60:
        return None
    lcs = g[lys, lxs]
    images = [im for t in templates for im in (_turned(t.mask, t.patch) if turns else [(t.mask, t.patch)])]
    found = {}  # (template image, top, left) -> the loose cells it explains
    for k, (mask, patch) in enumerate(images):
        tys, txs = np.nonzero(mask)
        tcs = patch[tys, txs]
        once = np.bincount(tcs, minlength=10) == 1
        # every way to lay a template cell on a loose cell of its colour: the template's top left there
        pair = lcs[:, None] == tcs[None, :]
        tops, lefts = (lys[:, None] - tys[None, :])[pair], (lxs[:, None] - txs[None, :])[pair]
        if not len(tops):
            continue
        # every placement at once, in (top, left) order: a row per placement, a column per template cell
        at = np.unique(np.stack([tops, lefts], axis=1), axis=0)
        ys, xs = at[:, :1] + tys[None, :], at[:, 1:] + txs[None, :]
        inside = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
        cy, cx = np.clip(ys, 0, h - 1), np.clip(xs, 0, w - 1)
        there = np.where(inside, g[cy, cx], b)  # off the grid counts as background
        hit = there != b
        clash = (hit & (there != tcs[None, :])).any(axis=1) | (inside & own[cy, cx]).any(axis=1)
        sure = (hit.sum(axis=1) >= 2) | (hit & once[tcs][None, :]).any(axis=1)
        for i in np.nonzero(~clash & sure)[0]:
            cells = zip(ys[i][hit[i]].tolist(), xs[i][hit[i]].tolist())
            found[(k, int(at[i, 0]), int(at[i, 1]))] = frozenset(cells)
    ways = {}
    for cells in found.values():
        ways[cells] = ways.get(cells, 0) + 1
    out = g.copy()
    done: set = set()
    for (k, top, left), cells in sorted(found.items(), key=lambda kv: -len(kv[1])):
        if cells & done or ways[cells] > 1:  # taken, or a part that fits in two places
            continue
        done |= cells
        mask, patch = images[k]
        tys, txs = np.nonzero(mask)
        ys, xs, cs = tys + top, txs + left, patch[tys, txs]
        inside = (ys >= 0) & (ys < h) & (xs >= 0) & (xs < w)
        out[ys[inside], xs[inside]] = cs[inside]
    return None if np.array_equal(out, g) else out


def _lone_colour(o: Obj) -> int | None:
    """The colour an object of exactly two colours has one cell of, or None."""
    colours = np.nonzero(o.colour_cells)[0]
    lone = [int(c) for c in colours if o.colour_cells[c] == 1]
    return lone[0] if len(colours) == 2 and len(lone) == 1 else None


def stamp_scaled_template(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """The largest two-colour shape whose second colour is one cell (the anchor) is a template; every other
    two-colour shape holding the anchor's colour as a solid k x k block is completed to the template
    scaled k times, the block on the anchor and the template's body in the shape's other colour
    (57aa92db). None when the template is not unique, a shape does not lie on its scaled template, or
    nothing changes."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    h, w = g.shape
    objs = objects(g, b, True, False)
    if len(objs) > 30:
        return None
    keyed = sorted((o for o in objs if _lone_colour(o) is not None), key=lambda o: -o.size)
    if not keyed or (len(keyed) > 1 and keyed[0].size == keyed[1].size):
        return None
    t = keyed[0]
    a = _lone_colour(t)
    (ay,), (ax,) = np.nonzero(t.mask & (t.patch == a))
    out = g.copy()
    for o in objs:
        colours = np.nonzero(o.colour_cells)[0]
        if o is t or len(colours) != 2 or a not in colours:
            continue
        body = int(colours[colours != a][0])
        ys, xs = np.nonzero(o.mask & (o.patch == a))
        k = int(round(len(ys) ** 0.5))
        if k * k != len(ys) or np.ptp(ys) + 1 != k or np.ptp(xs) + 1 != k:
            return None  # the anchor's colour is not one solid square: no scale to read
        big = np.kron(t.mask, np.ones((k, k), bool))
        anchor = np.kron(t.patch == a, np.ones((k, k), bool)) & big
        top, left = o.top + ys.min() - ay * k, o.left + xs.min() - ax * k
        oy, ox = np.nonzero(o.mask)
        oy, ox = oy + o.top - top, ox + o.left - left  # the shape's cells in the scaled template's frame
        if (min(oy.min(), ox.min()) < 0 or oy.max() >= big.shape[0] or ox.max() >= big.shape[1]
                or not big[oy, ox].all()
                or (anchor[oy, ox] != (o.patch[o.mask] == a)).any()):
            return None
        by, bx = np.nonzero(big)
        y, x = by + top, bx + left
        inside = (y >= 0) & (y < h) & (x >= 0) & (x < w)
        out[y[inside], x[inside]] = np.where(anchor[by, bx], a, body)[inside]
    return None if np.array_equal(out, g) else out
