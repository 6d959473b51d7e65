"""Lines: rays from cells (plain or dashed, or each colour its own directions), joins of same-colour cells
along rows, columns and diagonals, tails extended, bouncing zigzags, rays from corners, and bars between
facing objects (Numba).

    .venv/bin/python -m pytest tests/test_programs_lines.py -q
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .base import as_grid, resolve_bg, same_neighbours
from .objects import label, objects


@njit(cache=True)
def lines_kernel(grid, bg, dys, dxs, through, single_only, dash=-1):
    """Rays from each non-background cell in the given directions, painted over background.
    through=False stops a ray at the first non-background cell; single_only draws only from
    cells with no non-background 8-neighbour; dash >= 0 paints every other ray cell (odd distances
    from the start) that colour instead."""
    h, w = grid.shape
    out = grid.copy()
    for y in range(h):
        for x in range(w):
            c = grid[y, x]
            if c == bg:
                continue
            if single_only:
                alone = True
                for ay in range(max(0, y - 1), min(h, y + 2)):
                    for ax in range(max(0, x - 1), min(w, x + 2)):
                        if (ay != y or ax != x) and grid[ay, ax] != bg:
                            alone = False
                if not alone:
                    continue
            for k in range(len(dys)):
                ny = y + dys[k]
                nx = x + dxs[k]
                odd = True
                while 0 <= ny < h and 0 <= nx < w:
                    if grid[ny, nx] != bg:
                        if not through:
                            break
                    elif out[ny, nx] == bg:
                        out[ny, nx] = dash if odd and dash >= 0 else c
                    ny += dys[k]
                    nx += dxs[k]
                    odd = not odd
    return out


LINE_DIRECTIONS = {
    "h": ((0, 0), (1, -1)), "v": ((1, -1), (0, 0)), "hv": ((0, 0, 1, -1), (1, -1, 0, 0)),
    "diag": ((1, 1, -1, -1), (1, -1, 1, -1)), "all": ((0, 0, 1, -1, 1, 1, -1, -1), (1, -1, 0, 0, 1, -1, 1, -1)),
    "up": ((-1,), (0,)), "down": ((1,), (0,)), "left": ((0,), (-1,)), "right": ((0,), (1,)),
    "down_right": ((1,), (1,)), "down_left": ((1,), (-1,)), "up_right": ((-1,), (1,)), "up_left": ((-1,), (-1,)),
}
ONE_DIAGONAL = ("down_right", "down_left", "up_right", "up_left")


def draw_lines(grid: np.ndarray, directions: str, bg: int = 0, through: bool = True,
               single_only: bool = False, dash: int = -1) -> np.ndarray | None:
    """Extend each non-background cell into lines towards the edges (see lines_kernel)."""
    b = resolve_bg(grid, bg)
    dys, dxs = LINE_DIRECTIONS[directions]
    out = lines_kernel(as_grid(grid), np.uint8(b), np.array(dys, np.int64), np.array(dxs, np.int64),
                       through, single_only, dash)
    return None if np.array_equal(out, grid) else out


RAY_MODES = ("front", "stop", "through")  # colour_rays: where a colour's rays start and what stops them


@njit(cache=True)
def ray_mask_kernel(grid, starts, dy, dx, through, bg):
    """The background cells that rays from every `starts` cell reach in direction (dy, dx): up to the
    first non-background cell, or past such cells when `through`."""
    h, w = grid.shape
    out = np.zeros((h, w), np.bool_)
    for y in range(h):
        for x in range(w):
            if not starts[y, x]:
                continue
            ny, nx = y + dy, x + dx
            while 0 <= ny < h and 0 <= nx < w:
                if grid[ny, nx] != bg:
                    if not through:
                        break
                else:
                    out[ny, nx] = True
                ny += dy
                nx += dx
    return out


def ray_mask(grid: np.ndarray, colour: int, dy: int, dx: int, mode: str, bg: int = 0,
             labels: np.ndarray | None = None) -> np.ndarray:
    """The cells painted by rays of `colour` in direction (dy, dx) (ray_mask_kernel). Mode "front": only
    from each object's (8-connected, one colour) leading cells in that direction, the cells furthest along
    it (the corner of a square for a diagonal: a block shoots one ray, not a band); "stop": from every
    cell, stopped by the first non-background cell; "through": from every cell, past such cells. The
    masks grow in that order. `labels`: the grid's objects' labels (ray_labels), when the caller has them."""
    g = as_grid(grid)
    starts = (g == colour) & (colour != bg)
    if mode == "front" and starts.any():
        labels = ray_labels(g, bg) if labels is None else labels
        ys, xs = np.nonzero(starts)
        along = ys * dy + xs * dx
        lab = labels[ys, xs]
        furthest = np.full(int(lab.max()) + 1, np.iinfo(np.int64).min, np.int64)
        np.maximum.at(furthest, lab, along)
        starts = np.zeros_like(starts)
        keep = along == furthest[lab]
        starts[ys[keep], xs[keep]] = True
    return ray_mask_kernel(g, starts, dy, dx, mode == "through", np.uint8(bg))


def ray_labels(grid: np.ndarray, bg: int = 0) -> np.ndarray:
    """Per cell, its 8-connected one-colour object's label (-1 on background): the objects "front" rays
    start from."""
    return label(grid, bg, diag=True, by_colour=True)[0]


def colour_rays(grid: np.ndarray, rules: dict[int, tuple[tuple[int, int, str], ...]], order: tuple[int, ...],
                bg: int = 0) -> np.ndarray | None:
    """Each colour's rays in its own directions: rules[c] lists (dy, dx, mode) rays (ray_mask) for colour
    c, all traced on the grid as given and painted over its background, the colours in `order`, so a later
    colour's ray covers an earlier one's where they cross (vertical red lines under horizontal green ones:
    178fcbfb; blue streaks up-left while red streaks down-right: 5c0a986e). None when nothing is painted."""
    g = as_grid(grid)
    out = g.copy()
    labels = ray_labels(g, bg)
    for c in order:
        for dy, dx, mode in rules.get(c, ()):
            out[ray_mask(g, c, dy, dx, mode, bg, labels)] = c
    return None if np.array_equal(out, g) else out


@njit(cache=True)
def connect_kernel(grid, bg, rows, cols, cols_over=False, paint=-1):
    """Join two same-coloured cells with a line when only background lies between them; where lines
    cross, the row's line stays (or the column's, with cols_over). The line is the cells' colour, or
    `paint` when that is >= 0 (the gaps between two blocks filled with a new colour)."""
    h, w = grid.shape
    out = grid.copy()
    if rows:
        for y in range(h):
            last = -1
            for x in range(w):
                if grid[y, x] != bg:
                    if last >= 0 and grid[y, last] == grid[y, x]:
                        for k in range(last + 1, x):
                            out[y, k] = grid[y, x] if paint < 0 else paint
                    last = x
    if cols:
        for x in range(w):
            last = -1
            for y in range(h):
                if grid[y, x] != bg:
                    if last >= 0 and grid[last, x] == grid[y, x]:
                        for k in range(last + 1, y):
                            if cols_over or out[k, x] == bg:
                                out[k, x] = grid[y, x] if paint < 0 else paint
                    last = y
    return out


def connect(grid: np.ndarray, rows: bool = True, cols: bool = True, bg: int = 0,
            cols_over: bool = False, paint: int = -1) -> np.ndarray | None:
    """See connect_kernel; with paint >= 0 the lines take that colour instead of their ends'."""
    b = resolve_bg(grid, bg)
    out = connect_kernel(as_grid(grid), np.uint8(b), rows, cols, cols_over, paint)
    return None if np.array_equal(out, grid) else out


@njit(cache=True)
def connect_diagonal_kernel(grid, bg):
    """Join two same-coloured cells on a common diagonal when only background lies between them."""
    h, w = grid.shape
    out = grid.copy()
    for sx in (1, -1):
        # every diagonal line of direction (1, sx) starts on the top row or on the side it leaves from
        for start in range(h + w - 1):
            if start < w:
                y, x = 0, start
            else:
                y, x = start - w + 1, 0 if sx == 1 else w - 1
            ly, lx = -1, -1
            while 0 <= y < h and 0 <= x < w:
                if grid[y, x] != bg:
                    if ly >= 0 and grid[ly, lx] == grid[y, x]:
                        yy, xx = ly + 1, lx + sx
                        while yy < y:
                            out[yy, xx] = grid[y, x]
                            yy += 1
                            xx += sx
                    ly, lx = y, x
                y += 1
                x += sx
    return out


def connect_diagonal(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    b = resolve_bg(grid, bg)
    out = connect_diagonal_kernel(as_grid(grid), np.uint8(b))
    return None if np.array_equal(out, grid) else out


def join_diagonal(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Each colour with exactly two objects (8-connected): the two joined by the shortest diagonal run
    of background between a cell of one and a cell of the other, in their colour (two squares linked
    corner to facing corner by a thin line; connect_diagonal joins every aligned pair of cells and
    draws a thick band). Colours whose shortest run is not unique, or that have none, stay as they are.
    None when nothing is drawn or there are more than 30 objects."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    h, w = g.shape
    objs = objects(g, b, True, True)
    if len(objs) > 30:
        return None
    by_colour: dict[int, list] = {}
    for o in objs:
        by_colour.setdefault(o.colour, []).append(o)
    out = g.copy()
    for c, pair in by_colour.items():
        if len(pair) != 2:
            continue
        a, other = pair
        target = np.zeros((h, w), bool)
        target[other.top:other.top + other.height, other.left:other.left + other.width] = other.mask
        runs = []  # (length, first cell, direction) of every background run from a cell of a to one of the other
        for y, x in zip(*np.nonzero(a.mask)):
            y, x = y + a.top, x + a.left
            for dy, dx in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                ny, nx = y + dy, x + dx  # walk over background to the first other cell
                while 0 <= ny < h and 0 <= nx < w and g[ny, nx] == b:
                    ny, nx = ny + dy, nx + dx
                n = abs(ny - y) - 1
                if n and 0 <= ny < h and 0 <= nx < w and target[ny, nx]:
                    runs.append((n, y, x, dy, dx))
        if not runs:
            continue
        runs.sort()
        if len(runs) > 1 and runs[1][0] == runs[0][0]:
            continue  # two shortest runs: which one is meant is not clear
        n, y, x, dy, dx = runs[0]
        for k in range(1, n + 1):
            out[y + k * dy, x + k * dx] = c
    return None if np.array_equal(out, g) else out


def extend_tails(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Every line end (a cell with exactly one 8-neighbour of its colour) continues straight on, away
    from that neighbour, over background until it meets something or the edge ("the tail goes on")."""
    b = resolve_bg(grid, bg)
    h, w = grid.shape
    ends = np.argwhere((same_neighbours(grid) == 1) & (grid != b))
    if len(ends) == 0 or len(ends) > 60:
        return None
    out = grid.copy()
    for y, x in ends:
        c = grid[y, x]
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                if (dy or dx) and 0 <= y + dy < h and 0 <= x + dx < w and grid[y + dy, x + dx] == c:
                    ny, nx = y - dy, x - dx
                    while 0 <= ny < h and 0 <= nx < w and grid[ny, nx] == b:
                        out[ny, nx] = c
                        ny, nx = ny - dy, nx - dx
    return None if np.array_equal(out, grid) else out


@njit(cache=True)
def bounce_kernel(grid, bg, lone):
    """From every lone cell (`lone`: no neighbour of its colour, diagonals included) a diagonal path in
    its colour, away from the nearer top/bottom and left/right edges, reflected off the side walls until
    it leaves through the far edge (a ball bouncing up a narrow shaft)."""
    h, w = grid.shape
    out = grid.copy()
    for y0 in range(h):
        for x0 in range(w):
            c = grid[y0, x0]
            if c == bg or not lone[y0, x0]:
                continue
            dy = -1 if 2 * y0 >= h else 1
            dx = 0 if w == 1 else (1 if 2 * x0 < w - 1 else -1)
            y, x = y0, x0
            while True:
                y += dy
                if y < 0 or y >= h:
                    break
                if not 0 <= x + dx < w:
                    dx = -dx
                x += dx
                if out[y, x] == bg:
                    out[y, x] = c
    return out


def bounce(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """bounce_kernel's zigzag paths from the lone cells; None when there is no lone cell."""
    g = as_grid(grid)
    out = bounce_kernel(g, np.uint8(resolve_bg(g, bg)), same_neighbours(g) == 0)
    return None if np.array_equal(out, g) else out


def corner_rays(grid: np.ndarray, bg: int = 0) -> np.ndarray | None:
    """Every L of three cells in a 2x2 box shoots a diagonal ray out of its open corner, away from the
    cell opposite it; the open corner itself stays empty ("the arrowhead fires")."""
    b = resolve_bg(grid, bg)
    h, w = grid.shape
    # the four cells of every 2x2 box, in reading order: (0,0), (0,1), (1,0), (1,1)
    quad = np.stack([grid[:-1, :-1], grid[:-1, 1:], grid[1:, :-1], grid[1:, 1:]])
    is_bg = quad == b
    opposite = quad[::-1]  # the cell diagonal to each: (1,1), (1,0), (0,1), (0,0)
    # exactly one open corner, and the three others one colour (both neighbours of the open corner equal
    # the cell opposite it)
    one_open = is_bg.sum(axis=0) == 1
    out = grid.copy()
    fired = False
    for y, x in zip(*np.nonzero(one_open)):
        o = int(np.argmax(is_bg[:, y, x]))
        c = opposite[o, y, x]
        if not (quad[:, y, x][~is_bg[:, y, x]] == c).all():
            continue
        oy, ox = divmod(o, 2)
        dy, dx = 2 * oy - 1, 2 * ox - 1  # from the opposite cell through the open corner
        ny, nx = y + oy + dy, x + ox + dx
        while 0 <= ny < h and 0 <= nx < w and grid[ny, nx] == b:
            out[ny, nx] = c
            fired = True
            ny, nx = ny + dy, nx + dx
    return out if fired else None


MAX_OBJECTS = 40  # pairs grow as the square: a grid of scattered noise is no task for bars


def _gap(lo1: int, hi1: int, lo2: int, hi2: int) -> tuple[int, int] | None:
    """The cells strictly between two intervals along one axis, or None when they touch or overlap."""
    if hi1 < lo2 - 1:
        return hi1 + 1, lo2 - 1
    if hi2 < lo1 - 1:
        return hi2 + 1, lo1 - 1
    return None


def bridge(grid: np.ndarray, colour: int, rows: bool = True, cols: bool = True, inset: int = 0,
           bg: int = 0) -> np.ndarray | None:
    """Every two objects (4-connected, any colours) whose boxes face each other along rows (`rows`) or
    columns (`cols`) are joined by a bar of `colour` across the gap between them, over the rows (columns)
    both boxes span less `inset` at each end, when that whole gap holds only background: a third object
    in between blocks the bar (d6ad076f with inset 1, ef135b50)."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    objs = objects(g, b, diag=False, by_colour=False)
    if not 2 <= len(objs) <= MAX_OBJECTS:
        return None
    boxes = [(o.top, o.left, o.top + o.height - 1, o.left + o.width - 1) for o in objs]
    out = g.copy()
    for i, (t1, l1, b1, r1) in enumerate(boxes):
        for t2, l2, b2, r2 in boxes[i + 1:]:
            if rows:  # side by side: the bar runs along the rows both span
                lo, hi, gap = max(t1, t2), min(b1, b2), _gap(l1, r1, l2, r2)
                if gap and hi - lo + 1 > 2 * inset and (g[lo:hi + 1, gap[0]:gap[1] + 1] == b).all():
                    out[lo + inset:hi - inset + 1, gap[0]:gap[1] + 1] = colour
            if cols:  # one above the other
                lo, hi, gap = max(l1, l2), min(r1, r2), _gap(t1, b1, t2, b2)
                if gap and hi - lo + 1 > 2 * inset and (g[gap[0]:gap[1] + 1, lo:hi + 1] == b).all():
                    out[gap[0]:gap[1] + 1, lo + inset:hi - inset + 1] = colour
    return None if np.array_equal(out, g) else out


def complete_broken_lines(grid: np.ndarray, paint: int = -1, bg: int = 0) -> np.ndarray | None:
    """Rows and columns more than half filled, in one colour, across the box of the picture (its non-
    background cells) are completed across that box: their gaps painted `paint`, or the line's own colour
    when paint < 0 (the dashed outline of 4612dd53). Rows and columns are judged on the grid as given."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    ys, xs = np.nonzero(g != b)
    if len(ys) == 0:
        return None
    out = g.copy()
    broken = False
    for lines, target, (lo, hi) in ((g, out, (xs.min(), xs.max())), (g.T, out.T, (ys.min(), ys.max()))):
        span = lines[:, lo:hi + 1]
        filled = span != b
        for i in np.nonzero(2 * filled.sum(axis=1) > span.shape[1])[0]:
            colours = np.unique(span[i][filled[i]])
            gaps = ~filled[i]
            if len(colours) == 1 and gaps.any():
                target[i, lo:hi + 1][gaps] = colours[0] if paint < 0 else paint
                broken = True
    return out if broken else None


def hole_lines(grid: np.ndarray, hole: int = 0) -> np.ndarray | None:
    """In every block of one colour (a rectangle of that colour but for cells of colour `hole`), each hole
    cell becomes a line of `hole` right across the block's shorter side: pinholes in coloured bands
    stretched across the band (855e0971). None when no block has a hole."""
    g = as_grid(grid)
    out = g.copy()
    found = False
    for o in objects(g, hole, False, True):  # each block: one colour, 4-connected around its holes
        box = (slice(o.top, o.top + o.height), slice(o.left, o.left + o.width))
        ys, xs = np.nonzero(g[box] == hole)
        if len(ys) == 0 or ((g[box] != o.colour) & (g[box] != hole)).any():
            continue
        region = out[box]
        if o.height <= o.width:  # a wide band: the lines run down it
            region[:, xs] = hole
        else:
            region[ys, :] = hole
        found = True
    return out if found else None


def elbow(grid: np.ndarray, a: int, b: int, paint: int, bg: int = 0) -> np.ndarray | None:
    """The path from the one cell of colour `a` to the one of colour `b` that runs along a's row to b's
    column, then along b's column (swap a and b for the other elbow), painted on the background cells
    between them; None unless each colour has exactly one cell."""
    g = as_grid(grid)
    b_ = resolve_bg(g, bg)
    ends = []
    for c in (a, b):
        ys, xs = np.nonzero(g == c)
        if len(ys) != 1:
            return None
        ends.append((int(ys[0]), int(xs[0])))
    (ya, xa), (yb, xb) = ends
    out = g.copy()
    row = out[ya, min(xa, xb):max(xa, xb) + 1]
    row[row == b_] = paint
    col = out[min(ya, yb):max(ya, yb) + 1, xb]
    col[col == b_] = paint
    return out


def extend_segments(grid: np.ndarray, rows_last: bool = True, bg: int = 0) -> np.ndarray | None:
    """Every straight segment (two or more same-coloured cells in a row or a column) drawn across the whole
    grid along its own line, in its colour: the column lines first and the row lines over them
    (rows_last), or the other way round; None when there is no segment."""
    g = as_grid(grid)
    b = resolve_bg(g, bg)
    rows, cols = {}, {}  # line index -> colour of a segment on it (the last one met)
    run = (g[:, 1:] == g[:, :-1]) & (g[:, 1:] != b)
    for y, x in zip(*np.nonzero(run)):
        rows[int(y)] = g[y, x]
    run = (g[1:] == g[:-1]) & (g[1:] != b)
    for y, x in zip(*np.nonzero(run)):
        cols[int(x)] = g[y, x]
    if not rows and not cols:
        return None
    out = g.copy()
    for lines in ((cols, rows) if rows_last else (rows, cols)):
        for i, c in lines.items():
            if lines is rows:
                out[i, :] = c
            else:
                out[:, i] = c
    return out
