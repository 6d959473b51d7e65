"""Fills: enclosed areas, floods from a colour, boxes, empty squares, the largest empty rectangle, markers
projected onto frames (Numba). Lines are in lines.py.

    .venv/bin/python -m pytest tests/test_programs_fills.py -q
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .base import as_grid, framed, remembered, resolve_bg, same_neighbours
from .objects import label_kernel, objects


@njit(cache=True)
def reach_kernel(passable, seeds):
    """Cells 4-connected to a seed cell through passable cells (seeds that are not passable start nothing)."""
    h, w = passable.shape
    seen = np.zeros((h, w), np.bool_)
    stack = np.empty(h * w, np.int32)
    top = 0
    for y in range(h):
        for x in range(w):
            if seeds[y, x] and passable[y, x]:
                seen[y, x] = True
                stack[top] = y * w + x
                top += 1
    while top > 0:
        top -= 1
        y = stack[top] // w
        x = stack[top] % w
        for k in range(4):
            ny = y + (1 if k == 0 else -1 if k == 1 else 0)
            nx = x + (1 if k == 2 else -1 if k == 3 else 0)
            if 0 <= ny < h and 0 <= nx < w and not seen[ny, nx] and passable[ny, nx]:
                seen[ny, nx] = True
                stack[top] = ny * w + nx
                top += 1
    return seen


@njit(cache=True)
def border_reach_kernel(grid, bg):
    """Background cells 4-connected to the grid's edge through background."""
    edge = np.zeros(grid.shape, np.bool_)
    edge[0, :] = edge[-1, :] = True
    edge[:, 0] = edge[:, -1] = True
    return reach_kernel(grid == bg, edge)


def enclosed(grid: np.ndarray, bg: int = 0) -> np.ndarray:
    """Mask of background cells that cannot reach the edge (holes); read-only, remembered per grid (the
    search fills the same grid's holes with each colour in turn)."""
    return _holes(grid, resolve_bg(grid, bg))


@remembered
def _holes(grid: np.ndarray, bg: int) -> np.ndarray:
    holes = (grid == bg) & ~border_reach_kernel(grid, np.uint8(bg))
    holes.flags.writeable = False
    return holes


def fill_enclosed(grid: np.ndarray, colour: int, bg: int = 0) -> np.ndarray | None:
    """Paint holes with `colour`; colour=-1 paints each hole with the single colour around it."""
    b = resolve_bg(grid, bg)
    holes = enclosed(grid, b)
    if not holes.any():
        return None
    if colour >= 0:
        return np.where(holes, np.uint8(colour), grid).astype(np.uint8)
    out = grid.copy()
    labels, n = label_kernel(np.where(holes, np.uint8(0), np.uint8(1)), np.int64(1), False, True)
    padded = framed(grid, b)
    for k in range(n):
        m = labels == k
        ring = framed(m)
        ring = (np.roll(ring, 1, 0) | np.roll(ring, -1, 0) | np.roll(ring, 1, 1) | np.roll(ring, -1, 1)) & ~ring
        around = np.unique(padded[ring])
        around = around[around != b]
        if len(around) != 1:
            return None
        out[m] = around[0]
    return out


def flood_from(grid: np.ndarray, colour: int, bg: int = 0) -> np.ndarray | None:
    """Every background region that touches a cell of `colour` (side by side) floods with that colour."""
    g = as_grid(grid)
    bg = resolve_bg(g, bg)
    if colour == bg or not (g == colour).any():
        return None
    src = framed(g == colour)
    seeds = src[:-2, 1:-1] | src[2:, 1:-1] | src[1:-1, :-2] | src[1:-1, 2:]
    out = g.copy()
    out[reach_kernel(g == bg, seeds)] = colour
    return out


def fill_squares(grid: np.ndarray, k: int, colour: int, bg: int = 0) -> np.ndarray | None:
    """Every background cell inside some k x k square of background cells takes `colour` (the empty
    squares in a field of noise)."""
    g = as_grid(grid)
    bg = resolve_bg(g, bg)
    h, w = g.shape
    if k > min(h, w):
        return None
    empty = (g == bg).astype(np.int32)
    s = np.zeros((h + 1, w + 1), np.int32)
    s[1:, 1:] = empty.cumsum(0).cumsum(1)
    full = (s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k]) == k * k  # the square with this top-left corner
    if not full.any():
        return None
    covered = np.zeros((h, w), bool)
    for dy in range(k):
        for dx in range(k):
            covered[dy:dy + h - k + 1, dx:dx + w - k + 1] |= full
    out = g.copy()
    out[covered] = colour
    return out


def centre_lines(grid: np.ndarray, colour: int, bg: int = 0) -> np.ndarray | None:
    """A full row and column of `colour` through the middle cell of every object's box (odd sides only),
    over the background alone (the cross-hairs through each shape)."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    objs = objects(g, b, True, True)
    if not objs or len(objs) > 30:
        return None
    on = np.zeros(g.shape, bool)
    for o in objs:
        h, w = o.shape
        if h % 2 and w % 2:
            on[o.top + h // 2] = True
            on[:, o.left + w // 2] = True
    out = np.where(on & (g == b), np.uint8(colour), g).astype(np.uint8)
    return None if np.array_equal(out, g) else out


def project_markers(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Each lone cell (no neighbour of its colour, diagonals included) looks along its row and column:
    the first cell it sees in each of the four directions, when that cell belongs to a larger shape,
    takes the lone cell's colour (markers on the edges cast their colour onto a block). More than 30
    lone cells are noise, not markers: None."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    h, w = g.shape
    lone = (g != b) & (same_neighbours(g) == 0)
    if lone.sum() > 30:
        return None
    out = g.copy()
    for y, x in zip(*np.nonzero(lone)):
        for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            yy, xx = y + dy, x + dx
            while 0 <= yy < h and 0 <= xx < w and g[yy, xx] == b:
                yy, xx = yy + dy, xx + dx
            if 0 <= yy < h and 0 <= xx < w and not lone[yy, xx]:
                out[yy, xx] = g[y, x]
    return None if np.array_equal(out, g) else out


def corner_rectangles(grid: np.ndarray, bg: int) -> list[tuple[int, int, int, int, int]]:
    """(colour, top, left, bottom, right) of every rectangle whose four corners are marker cells of one
    colour (cells with no neighbour of their colour, diagonals included), the bottom-right one at least
    two cells away each way (room inside). Colours with more than 40 cells are no markers."""
    found = []
    lone = same_neighbours(grid) == 0
    for c in np.unique(grid):
        if c == bg:
            continue
        ys, xs = np.nonzero((grid == c) & lone)
        if len(ys) < 4 or (grid == c).sum() > 40:
            continue
        cells = set(zip(ys.tolist(), xs.tolist()))
        found += [(int(c), y0, x0, y1, x1) for y0, x0 in cells for y1, x1 in cells
                  if y1 > y0 + 1 and x1 > x0 + 1 and (y0, x1) in cells and (y1, x0) in cells]
    return found


def fill_between_corners(grid: np.ndarray, colour: int, bg: int = 0) -> np.ndarray | None:
    """Four cells of one colour on the corners of a rectangle mark it: the background strictly inside
    takes `colour`."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    out = g.copy()
    for _, y0, x0, y1, x1 in corner_rectangles(g, b):
        inside = out[y0 + 1:y1, x0 + 1:x1]
        inside[g[y0 + 1:y1, x0 + 1:x1] == b] = colour
    return None if np.array_equal(out, g) else out


def move_into_frame(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Four corner markers of one colour frame a rectangle: everything else moves as one piece to the
    middle of its inside (rounded up and left)."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    frames = corner_rectangles(g, b)
    if len(frames) != 1:
        return None
    c, y0, x0, y1, x1 = frames[0]
    piece = (g != b) & (g != c)
    if not piece.any():
        return None
    ys, xs = np.nonzero(piece)
    h, w = ys.max() - ys.min() + 1, xs.max() - xs.min() + 1
    if h > y1 - y0 - 1 or w > x1 - x0 - 1:
        return None
    dy = y0 + 1 + (y1 - y0 - 1 - h) // 2 - ys.min()
    dx = x0 + 1 + (x1 - x0 - 1 - w) // 2 - xs.min()
    out = np.where(piece, np.uint8(b), g).astype(np.uint8)
    out[ys + dy, xs + dx] = g[ys, xs]
    return None if np.array_equal(out, g) else out


def fill_colour_boxes(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """The background inside the bounding box of each colour's cells takes that colour (larger boxes first,
    so a box inside another shows)."""
    g = as_grid(grid)
    bg = resolve_bg(g, bg)
    boxes = []
    for c in np.unique(g):
        if c == bg:
            continue
        ys, xs = np.nonzero(g == c)
        boxes.append(((ys.max() - ys.min() + 1) * (xs.max() - xs.min() + 1), int(c), ys.min(), ys.max() + 1,
                      xs.min(), xs.max() + 1))
    if not boxes:
        return None
    out = g.copy()
    empty = g == bg
    for _, c, y0, y1, x0, x1 in sorted(boxes, reverse=True):
        out[y0:y1, x0:x1][empty[y0:y1, x0:x1]] = c
    return out


def fill_boxes(grid: np.ndarray, colour: int, bg: int = 0, diag: bool = True) -> np.ndarray | None:
    """Paint the background inside each object's bounding box."""
    b = resolve_bg(grid, bg)
    objs = objects(grid, b, diag, True)
    if not objs:
        return None
    out = grid.copy()
    for o in objs:
        h, w = o.shape
        if h < 3 or w < 3:
            continue
        region = out[o.top:o.top + h, o.left:o.left + w]
        region[(region == b)] = colour
    return out


@njit(cache=True)
def largest_rectangle_kernel(free):
    """The largest rectangle of free cells at least 2 x 2: (area, how many have that area, top, left,
    bottom, right of the first met; inclusive). Row by row, each column's run of free cells ending at
    that row, every span of columns read off those heights."""
    h, w = free.shape
    heights = np.zeros(w, np.int64)
    best, ties, by, bx, ey, ex = 0, 0, -1, -1, -1, -1
    for y in range(h):
        for x in range(w):
            heights[x] = heights[x] + 1 if free[y, x] else 0
        for x0 in range(w):
            low = h + 1
            for x1 in range(x0, w):
                low = min(low, heights[x1])
                if low < 2:
                    break
                if x1 == x0:
                    continue
                # only the tallest rectangle over these columns: a shorter one is inside it
                area = low * (x1 - x0 + 1)
                if area > best:
                    best, ties, by, bx, ey, ex = area, 1, y - low + 1, x0, y, x1
                elif area == best:
                    ties += 1
    return best, ties, by, bx, ey, ex


def fill_largest_rectangle(grid: np.ndarray, colour: int, bg: int = 0) -> np.ndarray | None:
    """The largest rectangle of background cells (2 x 2 or more) painted `colour`; None when there is
    none or two tie."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    area, ties, y0, x0, y1, x1 = largest_rectangle_kernel(g == b)
    if area == 0 or ties != 1:
        return None
    out = g.copy()
    out[y0:y1 + 1, x0:x1 + 1] = colour
    return out


def fill_leaky_box(grid: np.ndarray, colour: int, bg: int = 0) -> np.ndarray | None:
    """Each empty hollow box of one colour with a gap in one of its walls (one or two cells) fills with
    `colour`, the gap too, and the fill pours out of the gap in a straight line until it meets anything
    or the grid's edge (d4f3cd78). None when no box leaks."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    h, w = g.shape
    out = g.copy()
    found = False
    for o in objects(g, b, diag=False, by_colour=True):
        if o.height < 3 or o.width < 3:
            continue
        wall = np.zeros(o.shape, bool)
        wall[0], wall[-1], wall[:, 0], wall[:, -1] = True, True, True, True
        box = g[o.top:o.top + o.height, o.left:o.left + o.width]
        gaps = wall & ~o.mask
        # (the box's inside all background: none of the object's own cells either)
        if not 0 < gaps.sum() <= 2 or (box[gaps] != b).any() or (box[~wall] != b).any():
            continue
        ys, xs = np.nonzero(gaps)
        if (np.isin(ys, (0, o.height - 1)) & np.isin(xs, (0, o.width - 1))).any():
            continue  # a gap on a corner cell opens to no one side
        sides = {(-1, 0) if y == 0 else (1, 0) if y == o.height - 1 else (0, -1) if x == 0 else (0, 1)
                 for y, x in zip(ys, xs)}
        if len(sides) != 1:
            continue
        dy, dx = sides.pop()
        region = out[o.top:o.top + o.height, o.left:o.left + o.width]
        region[~wall | gaps] = colour
        for y, x in zip(ys + o.top + dy, xs + o.left + dx):
            while 0 <= y < h and 0 <= x < w and g[y, x] == b:
                out[y, x] = colour
                y, x = y + dy, x + dx
        found = True
    return out if found else None


def fill_empty_lines(grid: np.ndarray, colour: int, bg: int = 0, rows: bool = True, cols: bool = True
                     ) -> np.ndarray | None:
    """Every row (with `rows`) and column (with `cols`) that runs from a non-background cell on one edge
    of the grid to one on the other through background only is painted `colour` between them: the clear
    lanes across a framed picture (2bee17df). None when there is no such lane."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    if min(g.shape) < 3:
        return None
    out = g.copy()
    lanes = False
    if rows:
        clear = (g[:, 0] != b) & (g[:, -1] != b) & (g[:, 1:-1] == b).all(axis=1)
        out[clear, 1:-1] = colour
        lanes = bool(clear.any())
    if cols:
        clear = (g[0] != b) & (g[-1] != b) & (g[1:-1] == b).all(axis=0)
        out[1:-1, clear] = colour
        lanes = lanes or bool(clear.any())
    return out if lanes else None
