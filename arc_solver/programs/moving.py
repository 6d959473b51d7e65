"""Moving cells and objects: gravity of cells and of whole objects, objects lined up with an anchor or
slid until they touch, loose cells flying to what they see (Numba).

    .venv/bin/python -m pytest tests/test_programs_objects.py -q
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .base import as_grid, resolve_bg, same_neighbours
from .geometry import dihedral, inverse_dihedral
from .objects import Obj, objects


@njit(cache=True)
def gravity_down_kernel(grid, bg):
    """Every non-background cell falls to the bottom of its column, order kept."""
    h, w = grid.shape
    out = np.full((h, w), bg, np.uint8)
    for x in range(w):
        y_out = h - 1
        for y in range(h - 1, -1, -1):
            if grid[y, x] != bg:
                out[y_out, x] = grid[y, x]
                y_out -= 1
    return out


# direction -> dihedral that turns it into "down"; rotating back uses the inverse.
_TO_DOWN = {"down": 0, "up": 2, "left": 1, "right": 3}


def gravity(grid: np.ndarray, direction: str, bg: int = 0) -> np.ndarray:
    """Cells fall towards one side (down/up/left/right)."""
    b = resolve_bg(grid, bg)
    d = _TO_DOWN[direction]
    g = dihedral(grid, d)
    return dihedral(gravity_down_kernel(g, np.uint8(b)), inverse_dihedral(d))


def object_gravity(grid: np.ndarray, direction: str, bg: int = 0, diag: bool = True) -> np.ndarray | None:
    """Rigid objects slide towards one side until they hit the edge or a settled object."""
    b = resolve_bg(grid, bg)
    d = _TO_DOWN[direction]
    g = dihedral(grid, d)
    objs = objects(g, b, diag, False)
    if not objs:
        return None
    h, w = g.shape
    occupied = np.zeros((h, w), bool)
    out = np.full_like(g, b)
    for o in sorted(objs, key=lambda o: -(o.top + o.shape[0])):
        oh, ow = o.shape
        y = o.top
        while y + oh < h and not (occupied[y + 1:y + 1 + oh, o.left:o.left + ow] & o.mask).any():
            y += 1
        occupied[y:y + oh, o.left:o.left + ow] |= o.mask
        out[y:y + oh, o.left:o.left + ow][o.mask] = o.patch[o.mask]
    return dihedral(out, inverse_dihedral(d))


def align_objects(grid: np.ndarray, anchor: int, axis: int, bg: int = 0) -> np.ndarray | None:
    """Every object slides along the other axis until its top (axis 0) or left edge (axis 1) lines up
    with the one object of colour `anchor` ("all shapes move to the blue one's row")."""
    b = resolve_bg(grid, bg)
    objs = objects(grid, b, True, True)
    anchors = [o for o in objs if o.colour == anchor]
    if len(anchors) != 1 or len(objs) < 2:
        return None
    line = anchors[0].top if axis == 0 else anchors[0].left
    out = np.full_like(grid, b)
    h, w = grid.shape
    for o in objs:
        top, left = (line, o.left) if axis == 0 else (o.top, line)
        if top + o.shape[0] > h or left + o.shape[1] > w:
            return None
        out[top:top + o.shape[0], left:left + o.shape[1]][o.mask] = o.patch[o.mask]
    return None if np.array_equal(out, grid) else as_grid(out)


def move_to_contact(grid: np.ndarray, mover: int, anchor: int, bg: int = 0) -> np.ndarray | None:
    """The cells of colour `mover` slide as one rigid piece straight towards those of colour `anchor`
    (along the axis where their boxes overlap) until the next step would overlap them."""
    b = resolve_bg(grid, bg)
    m, a = grid == mover, grid == anchor
    if mover == b or anchor == b or mover == anchor or not m.any() or not a.any():
        return None
    my, mx = np.nonzero(m)
    ay, ax = np.nonzero(a)
    if my.max() >= ay.min() and ay.max() >= my.min():  # rows overlap: move sideways
        dy, dx = 0, (1 if mx.max() < ax.min() else -1 if mx.min() > ax.max() else 0)
    elif mx.max() >= ax.min() and ax.max() >= mx.min():
        dy, dx = (1 if my.max() < ay.min() else -1), 0
    else:
        return None
    if dx == 0 and dy == 0:
        return None
    h, w = grid.shape
    k = 0
    while True:
        ny, nx = my + dy * (k + 1), mx + dx * (k + 1)
        if ny.min() < 0 or nx.min() < 0 or ny.max() >= h or nx.max() >= w or a[ny, nx].any():
            break
        k += 1
    if k == 0:
        return None
    out = grid.copy()
    out[m] = b
    out[my + dy * k, mx + dx * k] = mover
    return out


DIRECTIONS8 = ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))
MAX_LOOSE = 40  # attract() declines grids with more loose cells


_DY8 = np.array([d[0] for d in DIRECTIONS8], np.int64)
_DX8 = np.array([d[1] for d in DIRECTIONS8], np.int64)


@njit(cache=True)
def _sight(seen, y, x, c, bg, own_colour, n_dirs):
    """(distance, dy, dx, colour) of the nearest target seen from (y, x) along the first n_dirs
    directions; distance -1 when none. A target is any non-background cell, or (own_colour) one of c."""
    h, w = seen.shape
    best_k, best_dy, best_dx, best_v = -1, 0, 0, 0
    for i in range(n_dirs):
        dy, dx = _DY8[i], _DX8[i]
        k = 1
        while 0 <= y + k * dy < h and 0 <= x + k * dx < w:
            v = seen[y + k * dy, x + k * dx]
            if v != bg and (not own_colour or v == c):
                if best_k < 0 or k < best_k:
                    best_k, best_dy, best_dx, best_v = k, dy, dx, v
                break
            k += 1
    return best_k, best_dy, best_dx, best_v


@njit(cache=True)
def attract_kernel(grid, loose, bg, own_colour, remove_stray, join, n_dirs, trail):
    """attract()'s flights: the loose cells, nearest first (reading order among equals), each flies to
    the target it sees and stops beside it; an arrived cell is a target for the ones behind it (not a
    trail)."""
    h, w = grid.shape
    out = grid.copy()
    ys, xs = np.nonzero(loose)
    for i in range(len(ys)):
        out[ys[i], xs[i]] = bg
    seen = out.copy() if trail else out
    far = h + w
    dist = np.empty(len(ys), np.int64)
    for i in range(len(ys)):
        k = _sight(seen, ys[i], xs[i], grid[ys[i], xs[i]], bg, own_colour, n_dirs)[0]
        dist[i] = k if k >= 0 else far
    for i in np.argsort(dist, kind="mergesort"):
        y, x, c = ys[i], xs[i], grid[ys[i], xs[i]]
        k, dy, dx, v = _sight(seen, y, x, c, bg, own_colour, n_dirs)
        if k >= 0:
            for j in range(0 if trail else k - 1, k):
                out[y + j * dy, x + j * dx] = v if join else c
        elif not remove_stray:
            out[y, x] = c
    return out


def attract(grid: np.ndarray, mover: int, bg: int = 0, remove_stray: bool = False, join: bool = False,
            diagonal: bool = True, trail: bool = False) -> np.ndarray | None:
    """Loose cells fly straight (in one of 8 directions, or 4 without `diagonal`) to the nearest target
    they can see and stop next to it. mover >= 0: the cells of that colour are loose and the first other colour met is a
    target; mover = -1: single cells (no same-coloured neighbour) are loose and fly to their own colour,
    through anything else; mover = -2: single cells fly to the first larger object met. Cells that
    reach no target stay, or vanish with remove_stray; join=True gives an arrived cell its target's colour;
    trail=True leaves the cell where it was and paints its whole path (a line drawn to the target)."""
    b = resolve_bg(grid, bg)
    if mover >= 0:
        loose = grid == mover
    else:
        loose = (same_neighbours(grid) == 0) & (grid != b)
    if mover == b or not loose.any() or loose.sum() == (grid != b).sum() or loose.sum() > MAX_LOOSE:
        return None  # (many loose cells: noise, not things that fly)
    out = attract_kernel(as_grid(grid), loose, np.uint8(b), own_colour=mover == -1, remove_stray=remove_stray,
                         join=join, n_dirs=8 if diagonal else 4, trail=trail)
    return None if np.array_equal(out, grid) else out


def stretch_to_marker(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """One box (an object whose inner rows, or columns, are all alike) and one lone marker cell beside
    it: the box stretched towards the marker until its far side reaches the marker's row (or column),
    its inner rows repeated; the marker goes. None without exactly one marker and one box it lies
    beside."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    objs = objects(g, b, True, False)
    markers = [o for o in objs if o.size == 1]
    boxes = [o for o in objs if o.size > 1]
    if len(markers) != 1 or len(boxes) != 1:
        return None
    m, o = markers[0], boxes[0]
    p = o.patch
    out = g.copy()
    out[m.top, m.left] = b
    if o.left <= m.left < o.left + o.width:  # above or below: stretch the rows
        top, bottom = min(o.top, m.top), max(o.top + o.height - 1, m.top)
        rows = bottom - top + 1
        if o.height < 3 or not (p[1:-1] == p[1]).all() or rows <= o.height:
            return None
        out[top:bottom + 1, o.left:o.left + o.width] = np.vstack([p[:1], np.repeat(p[1:2], rows - 2, 0), p[-1:]])
        return out
    if o.top <= m.top < o.top + o.height:  # left or right: the columns
        t = stretch_to_marker(g.T, b)
        return None if t is None else t.T.copy()
    return None


def mirror_across_brackets(grid: np.ndarray, colour: int, bg: int = 0) -> np.ndarray | None:
    """Brackets of `colour` (objects one of whose long box sides is full: the spine of a U or an L) work
    as mirrors: every other object jumps to its mirror image across the spine's row (or column) of the
    nearest bracket it lies level with. None without brackets, without an object to move, or when an
    object lies level with no spine or its image leaves the grid or lands on a bracket."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    objs = objects(g, b, True, True)  # one colour each: a piece may touch a bracket's corner
    spines = []  # (axis: 0 = a row, 1 = a column; its index; the span it covers)
    for o in objs:
        if o.colour != colour:
            continue
        m = o.mask
        for axis, full, at in ((0, m[0].all(), o.top), (0, m[-1].all(), o.top + o.height - 1),
                               (1, m[:, 0].all(), o.left), (1, m[:, -1].all(), o.left + o.width - 1)):
            long_side = o.width >= o.height if axis == 0 else o.height >= o.width
            if full and long_side and min(o.shape) > 1:
                span = (o.left, o.left + o.width) if axis == 0 else (o.top, o.top + o.height)
                spines.append((axis, at, span))
    movers = [o for o in objs if o.colour != colour]
    if not spines or not movers:
        return None
    out = g.copy()
    for o in movers:
        out[o.top:o.top + o.height, o.left:o.left + o.width][o.mask] = b
    h, w = g.shape
    for o in movers:
        best = None
        for axis, at, (lo, hi) in spines:
            first, extent = (o.left, o.width) if axis == 0 else (o.top, o.height)
            if first < lo or first + extent > hi:
                continue  # not level with this spine
            near = o.top + (o.height - 1) / 2 if axis == 0 else o.left + (o.width - 1) / 2
            if best is None or abs(near - at) < best[0]:
                best = (abs(near - at), axis, at)
        if best is None:
            return None
        _, axis, at = best
        ys, xs = np.nonzero(o.mask)
        ys, xs = ys + o.top, xs + o.left
        cols = g[ys, xs]
        if axis == 0:
            ys = 2 * at - ys
        else:
            xs = 2 * at - xs
        if ys.min() < 0 or xs.min() < 0 or ys.max() >= h or xs.max() >= w or (g[ys, xs] == colour).any():
            return None
        out[ys, xs] = cols
    return out


def gravity_to_own_wall(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Walls are edge lines of the grid all in one colour; every object (8-connected, one colour) of a
    wall's colour slides towards that wall until it meets the wall, another object or a settled one,
    the nearest first; objects of other colours stay. None without a wall or a mover."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    h, w = g.shape
    edges = {(1, 0): g[-1], (-1, 0): g[0], (0, 1): g[:, -1], (0, -1): g[:, 0]}
    walls = {}  # colour -> direction towards its wall
    wall_cells = np.zeros((h, w), bool)
    for d, line in edges.items():
        c = int(line[0])
        if c != b and (line == c).all() and min(h, w) > 2:
            if c in walls:
                return None  # two walls of one colour: which way is not clear
            walls[c] = d
            if d[0]:
                wall_cells[-1 if d[0] > 0 else 0] = True
            else:
                wall_cells[:, -1 if d[1] > 0 else 0] = True
    if not walls:
        return None
    inner = np.where(wall_cells, np.uint8(b), g)
    objs = objects(inner, b, True, True)
    movers = [o for o in objs if o.colour in walls]
    if not movers:
        return None
    out = inner.copy()
    occupied = wall_cells | (inner != b)
    for o in movers:
        occupied[o.top:o.top + o.height, o.left:o.left + o.width] &= ~o.mask
        out[o.top:o.top + o.height, o.left:o.left + o.width][o.mask] = b

    def gap(o: Obj) -> int:  # how far the object is from its wall
        dy, dx = walls[o.colour]
        return (h - o.top - o.height if dy > 0 else o.top) if dy else (w - o.left - o.width if dx > 0 else o.left)

    for o in sorted(movers, key=gap):
        dy, dx = walls[o.colour]
        ys, xs = np.nonzero(o.mask)
        ys, xs = ys + o.top, xs + o.left
        while True:
            ny, nx = ys + dy, xs + dx
            if ny.min() < 0 or nx.min() < 0 or ny.max() >= h or nx.max() >= w or occupied[ny, nx].any():
                break
            ys, xs = ny, nx
        occupied[ys, xs] = True
        out[ys, xs] = o.colour
    out[wall_cells] = g[wall_cells]
    return None if np.array_equal(out, g) else out


def turn_in_place(grid: np.ndarray, d: int, bg: int = 0) -> np.ndarray | None:
    """Every object (4-connected, of any colours) replaced by its dihedral image d (geometry.dihedral)
    about its own centre: a bar standing becomes a bar lying across the same middle cell. Later objects
    in reading order are drawn over earlier ones. None when an image would leave the grid or its centre
    falls between cells (a box whose sides differ by an odd number under a quarter turn), when there are
    more than 30 objects (texture), or when nothing changes."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    objs = objects(g, b, False, False)  # 4-connected: two bars touching at a corner turn each on its own
    if not objs or len(objs) > 30:
        return None
    h, w = g.shape
    out = np.full_like(g, b)
    for o in objs:
        mask, patch = dihedral(o.mask.astype(np.uint8), d) == 1, dihedral(o.patch, d)
        th, tw = mask.shape
        if (th - o.height) % 2:
            return None
        top, left = o.top - (th - o.height) // 2, o.left - (tw - o.width) // 2
        if top < 0 or left < 0 or top + th > h or left + tw > w:
            return None
        out[top:top + th, left:left + tw][mask] = patch[mask]
    return None if np.array_equal(out, g) else out
