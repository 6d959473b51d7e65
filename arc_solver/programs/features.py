"""Per-cell context features for learned cell rules (programs.cell_features).

    .venv/bin/python -m pytest tests/test_programs_features.py -q
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .base import NO_BG, as_grid, framed, resolve_bg
from .fills import enclosed
from .objects import boxes_kernel, label_kernel


@njit(cache=True)
def rays_kernel(grid, bg):
    """Colour of the first non-background cell met looking up, down, left and right (10 = none)."""
    h, w = grid.shape
    out = np.full((h, w, 4), 10, np.int64)
    for x in range(w):
        last = 10
        for y in range(h):
            out[y, x, 0] = last
            if grid[y, x] != bg:
                last = grid[y, x]
        last = 10
        for y in range(h - 1, -1, -1):
            out[y, x, 1] = last
            if grid[y, x] != bg:
                last = grid[y, x]
    for y in range(h):
        last = 10
        for x in range(w):
            out[y, x, 2] = last
            if grid[y, x] != bg:
                last = grid[y, x]
        last = 10
        for x in range(w - 1, -1, -1):
            out[y, x, 3] = last
            if grid[y, x] != bg:
                last = grid[y, x]
    return out


@njit(cache=True)
def depth_kernel(grid):
    """Per cell, the Chebyshev distance to the nearest cell of another colour or outside the grid, at most
    9: 1 on the rim of every single-colour region, 2 one ring in, ... (the layers of an onion)."""
    h, w = grid.shape
    depth = np.zeros((h, w), np.int64)
    for y in range(h):
        for x in range(w):
            if y == 0 or x == 0 or y == h - 1 or x == w - 1:
                depth[y, x] = 1
                continue
            for dy in range(-1, 2):
                for dx in range(-1, 2):
                    if grid[y + dy, x + dx] != grid[y, x]:
                        depth[y, x] = 1
    for d in range(2, 10):  # each ring: the unassigned cells next to the ring before it
        grew = False
        for y in range(1, h - 1):
            for x in range(1, w - 1):
                if depth[y, x]:
                    continue
                for dy in range(-1, 2):
                    for dx in range(-1, 2):
                        if depth[y + dy, x + dx] == d - 1:
                            depth[y, x] = d
                            grew = True
        if not grew:
            break
    for y in range(h):
        for x in range(w):
            if depth[y, x] == 0:
                depth[y, x] = 9
    return depth


CELL_FEATURES = (
    "colour", "size4", "size8", "object_size", "touches_border", "enclosed", "n4", "n8",
    "up", "down", "left", "right", "up_left", "up_right", "down_left", "down_right",
    "row_colours", "col_colours", "row_parity", "col_parity", "size_rank", "object_holes",
    "ray_up", "ray_down", "ray_left", "ray_right", "object_main_colour", "object_minor_colour", "object_edge",
    "n4_colours", "n8_colours", "row_parity_end", "col_parity_end", "in_square", "row_n_colours", "col_n_colours",
    "in_colour_boxes", "row_mod3", "col_mod3", "n8_mask", "object_row_parity", "object_col_parity", "depth",
)


NEIGHBOURS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))
POPCOUNT = np.array([bin(v).count("1") for v in range(1024)])  # set bits of a 10-colour mask


def cell_features(grid: np.ndarray, bg: int = 0) -> np.ndarray:
    """Per-cell context (h*w, len(CELL_FEATURES)) as small ints (< 1024), for learned cell rules:
    own colour; sizes of the cell's same-colour component (4-/8-connected) and of the multicolour
    object holding it; whether its component touches the edge; whether it is an enclosed background
    cell; non-background neighbour counts; the 8 neighbours' colours (10 = outside); bit masks of
    the colours in its row and column; row/column parity; size rank of its component among those of
    its colour (0 largest, 1 second, 9 smallest, 5 other); the holes of its object; the first colour
    met along each of the 4 rays; its object's most and least common colours; whether it lies on
    the edge of its object's bounding box; bit masks of the non-background colours among its 4 and 8
    neighbours (halos, "touches colour c"); row/column parity counted from the bottom/right edge;
    whether it lies in a 2x2 square of its own colour (solid blocks against noise and thin lines); how
    many non-background colours its row and its column hold (0: an empty line, whatever the colours);
    a bit mask of the colours whose bounding box (all their cells together) holds the cell; row and
    column index modulo 3 (every third line); which of its 8 neighbours are non-background, as a bit mask
    (bit k for NEIGHBOURS[k]: a shape's corner, tip or side, "the cell up-right of a marker"); row and column
    parity counted from the top left of its same-colour component's box ("every other cell of each bar",
    wherever the bar starts); its depth inside its single-colour region (depth_kernel: the rings of
    concentric squares, a shape's rim against its inside)."""
    g = as_grid(grid)
    h, w = g.shape
    bg = resolve_bg(g, bg)
    c = g.astype(np.int64)
    cols = [c]
    for diag in (False, True):
        lab, n = label_kernel(g, np.int64(NO_BG), diag, True)
        sizes = np.bincount(lab.ravel(), minlength=n)
        cols.append(sizes[lab])
    olab, on = label_kernel(g, np.int64(bg), True, False)
    osizes = np.bincount(olab[olab >= 0], minlength=on) if on else np.zeros(0, np.int64)
    cols.append(np.where(olab >= 0, osizes[np.maximum(olab, 0)] if on else 0, 0))
    edge = np.zeros(n, bool)
    edge[np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]]))] = True
    cols.append(edge[lab].astype(np.int64))
    cols.append(enclosed(g, bg).astype(np.int64))
    fg = framed(g != bg)
    cols.append(sum(fg[1 + dy:1 + dy + h, 1 + dx:1 + dx + w].astype(np.int64)
                    for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1))))
    n8_mask = sum(fg[1 + dy:1 + dy + h, 1 + dx:1 + dx + w].astype(np.int64) << k
                  for k, (dy, dx) in enumerate(NEIGHBOURS))
    cols.append(POPCOUNT[n8_mask])  # n8: how many of them
    pc = framed(c, 10)
    for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)):
        cols.append(pc[1 + dy:1 + dy + h, 1 + dx:1 + dx + w])
    bits = np.where(c != bg, 1 << c, 0)
    cols.append(np.bitwise_or.reduce(bits, axis=1)[:, None].repeat(w, 1))
    cols.append(np.bitwise_or.reduce(bits, axis=0)[None, :].repeat(h, 0))
    cols.append(np.arange(h)[:, None].repeat(w, 1) % 2)
    cols.append(np.arange(w)[None, :].repeat(h, 0) % 2)
    # size rank among same-colour components (8-connected: lab from the loop above)
    comp_colour = np.zeros(n, np.int64)
    comp_colour[lab.ravel()] = c.ravel()
    rank = np.zeros(n, np.int64)
    for col in np.unique(comp_colour):
        ks = np.nonzero(comp_colour == col)[0]
        order = sorted(set(sizes[ks].tolist()), reverse=True)
        for k in ks:
            r = order.index(sizes[k])
            rank[k] = r if r < 2 else (9 if sizes[k] == order[-1] else 5)
    cols.append(rank[lab])
    holes = np.zeros(max(on, 1), np.int64)
    main = np.full(max(on, 1), 10, np.int64)
    minor = np.full(max(on, 1), 10, np.int64)
    on_edge = np.zeros((h, w), np.int64)
    if on:
        boxes, _ = boxes_kernel(olab, on)
        for k in range(on):
            y0, x0, y1, x1 = boxes[k]
            m = olab[y0:y1, x0:x1] == k
            inner = enclosed(np.where(m, np.uint8(1), np.uint8(0)), 0)
            if inner.any():
                holes[k] = label_kernel(inner.astype(np.uint8), np.int64(0), False, True)[1]
            cnt = np.bincount(g[y0:y1, x0:x1][m], minlength=10)
            main[k] = int(np.argmax(cnt))
            present = np.nonzero(cnt)[0]
            minor[k] = int(present[np.argmin(cnt[present])])
            on_edge[y0, x0:x1] = on_edge[y1 - 1, x0:x1] = 1
            on_edge[y0:y1, x0] = on_edge[y0:y1, x1 - 1] = 1
    inobj = olab >= 0
    k = np.maximum(olab, 0)
    cols.append(np.where(inobj, holes[k], 0))
    rays = rays_kernel(g, np.uint8(bg))
    cols.extend(rays[:, :, i] for i in range(4))
    cols.append(np.where(inobj, main[k], 10))
    cols.append(np.where(inobj, minor[k], 10))
    cols.append(on_edge * inobj)
    near = [np.where((v != bg) & (v != 10), 1 << np.minimum(v, 9), 0)
            for v in (pc[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] for dy in (-1, 0, 1) for dx in (-1, 0, 1))]
    cols.append(near[1] | near[3] | near[5] | near[7])  # (dy, dx) = (-1,0), (0,-1), (0,1), (1,0)
    cols.append(np.bitwise_or.reduce([m for i, m in enumerate(near) if i != 4]))
    cols.append((h - 1 - np.arange(h))[:, None].repeat(w, 1) % 2)
    cols.append((w - 1 - np.arange(w))[None, :].repeat(h, 0) % 2)
    square = np.zeros((h + 1, w + 1), bool)  # square[y + 1, x + 1]: the 2x2 block at (y, x) is one colour
    square[1:h, 1:w] = (c[:-1, :-1] == c[1:, :-1]) & (c[:-1, :-1] == c[:-1, 1:]) & (c[:-1, :-1] == c[1:, 1:])
    cols.append(square[1:, 1:] | square[:-1, 1:] | square[1:, :-1] | square[:-1, :-1])
    for mask in ("row_colours", "col_colours"):  # bit masks of colours
        cols.append(POPCOUNT[cols[CELL_FEATURES.index(mask)]])
    boxes = np.zeros((h, w), np.int64)
    for col in np.unique(c[c != bg]):
        ys, xs = np.nonzero(c == col)
        boxes[ys.min():ys.max() + 1, xs.min():xs.max() + 1] |= 1 << int(col)
    cols.append(boxes)
    cols.append(np.arange(h)[:, None].repeat(w, 1) % 3)
    cols.append(np.arange(w)[None, :].repeat(h, 0) % 3)
    cols.append(n8_mask)
    comp_boxes, _ = boxes_kernel(lab, n)  # lab: the 8-connected same-colour components (above)
    cols.append((np.arange(h)[:, None] - comp_boxes[lab, 0]) % 2)
    cols.append((np.arange(w)[None, :] - comp_boxes[lab, 1]) % 2)
    cols.append(depth_kernel(g))
    return np.stack([np.asarray(x, np.int64).reshape(h * w) for x in cols], axis=1)
