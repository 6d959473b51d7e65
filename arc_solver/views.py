"""Views of a grid: dihedral transform + colour permutation (+ an offset used only when encoding).

    python -m pytest tests/test_views.py -q

Dihedral convention (everyone uses `dihedral` from here, never their own):

    d = 0..3   np.rot90(grid, d)        rotate d quarter-turns counter-clockwise
    d = 4..7   np.rot90(grid.T, d - 4)  transpose first, then rotate

    d  name              out[i, j] =            out shape
    0  identity          g[i, j]                (h, w)
    1  rot90 (ccw)       g[j, w-1-i]            (w, h)
    2  rot180            g[h-1-i, w-1-j]        (h, w)
    3  rot270 (cw)       g[h-1-j, i]            (w, h)
    4  transpose         g[j, i]                (w, h)
    5  flip rows (ud)    g[h-1-i, j]            (h, w)
    6  anti-transpose    g[h-1-j, w-1-i]        (w, h)
    7  flip cols (lr)    g[i, w-1-j]            (h, w)

Inverses: rotations 1 and 3 undo each other; 0, 2 and the four reflections 4..7 are
their own inverses (`inverse_dihedral`). Shapes swap exactly for d in SWAPS = {1, 3, 4, 6}.

A view maps a grid g to `perm[dihedral(g, d)]` (colour c -> perm[c], perm[0] == 0 so the usual
background stays put). `invert_view` undoes it exactly for every shape. The offset (oy, ox) says
where the transformed grid sits in the model's canvas; it does not change grids here.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

N_DIHEDRAL = 8
SWAPS = frozenset({1, 3, 4, 6})  # dihedrals that exchange height and width
IDENTITY_PERM = tuple(range(10))
MAX_SIDE = 30


@dataclass(frozen=True)
class View:
    dihedral: int = 0
    perm: tuple[int, ...] = IDENTITY_PERM  # colour c -> perm[c]
    offset: tuple[int, int] = (0, 0)  # (oy, ox) in the canvas; encoding only

    def __post_init__(self):
        perm = tuple(int(p) for p in self.perm)
        offset = (int(self.offset[0]), int(self.offset[1]))
        # Normalise numpy ints to python ints so equal views hash equal.
        object.__setattr__(self, "dihedral", int(self.dihedral))
        object.__setattr__(self, "perm", perm)
        object.__setattr__(self, "offset", offset)
        if not 0 <= self.dihedral < N_DIHEDRAL:
            raise ValueError(f"dihedral must be 0..7, got {self.dihedral}")
        if sorted(perm) != list(range(10)) or perm[0] != 0:
            raise ValueError(f"perm must be a permutation of 0..9 with perm[0] == 0, got {perm}")
        if offset[0] < 0 or offset[1] < 0:
            raise ValueError(f"offset must be non-negative, got {offset}")

    @staticmethod
    def identity() -> "View":
        return View()

    @property
    def inverse_perm(self) -> tuple[int, ...]:
        inv = [0] * 10
        for c, p in enumerate(self.perm):
            inv[p] = c
        return tuple(inv)

    def shape(self, h: int, w: int) -> tuple[int, int]:
        """Shape of an (h, w) grid after this view's dihedral."""
        return dihedral_shape(h, w, self.dihedral)


def dihedral_shape(h: int, w: int, d: int) -> tuple[int, int]:
    return (w, h) if d in SWAPS else (h, w)


def dihedral(grid: np.ndarray, d: int) -> np.ndarray:
    """Dihedral transform d (see the module docstring); returns a contiguous copy."""
    if not 0 <= d < N_DIHEDRAL:
        raise ValueError(f"dihedral must be 0..7, got {d}")
    g = grid if d < 4 else grid.T
    return np.ascontiguousarray(np.rot90(g, d % 4))


def inverse_dihedral(d: int) -> int:
    """The e with dihedral(dihedral(g, d), e) == g for every g."""
    if not 0 <= d < N_DIHEDRAL:
        raise ValueError(f"dihedral must be 0..7, got {d}")
    return (4 - d) % 4 if d < 4 else d


def apply_view(grid: np.ndarray, view: View) -> np.ndarray:
    perm = np.asarray(view.perm, dtype=np.uint8)
    return perm[dihedral(grid, view.dihedral)]


def invert_view(grid: np.ndarray, view: View) -> np.ndarray:
    inv = np.asarray(view.inverse_perm, dtype=np.uint8)
    return inv[dihedral(grid, inverse_dihedral(view.dihedral))]


def _max_offset(side: int, canvas: int) -> int:
    # Leave room for the EOS row/column after the grid; a full-canvas grid gets offset 0.
    return max(0, canvas - 1 - side)


def sample_views(k: int, rng: np.random.Generator, translate: bool = False,
                 max_shape: tuple[int, int] | None = None, permute_colours: bool = True,
                 canvas: int = MAX_SIDE) -> list[View]:
    """k distinct views, `View.identity()` first, the rest uniform over dihedral x colour permutation.

    With translate, each view also gets an offset (oy, ox) drawn uniformly so that every grid of
    the task, transformed, plus its EOS row/column, still fits a canvas x canvas board:
    max_shape = (largest height, largest width) over the task's grids in their own frame (the
    dihedral is applied here, so heights and widths swap where needed).
    Without permute_colours only the dihedral (and offset) varies.
    """
    if translate and max_shape is None:
        raise ValueError("translate=True needs max_shape (largest h, largest w of the task's grids)")
    if k < 1:
        return []
    views = [View.identity()]
    seen = set(views)
    attempts = 0
    while len(views) < k:
        attempts += 1
        if attempts > 1000 * k + 1000:
            raise ValueError(f"could not find {k} distinct views (permute_colours={permute_colours}, "
                             f"translate={translate})")
        d = int(rng.integers(N_DIHEDRAL))
        perm = (0, *(int(x) + 1 for x in rng.permutation(9))) if permute_colours else IDENTITY_PERM
        offset = (0, 0)
        if translate:
            h, w = dihedral_shape(int(max_shape[0]), int(max_shape[1]), d)
            offset = (int(rng.integers(_max_offset(h, canvas) + 1)), int(rng.integers(_max_offset(w, canvas) + 1)))
        v = View(d, perm, offset)
        if v not in seen:
            seen.add(v)
            views.append(v)
    return views
