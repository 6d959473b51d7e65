"""Every family survives tiny and uniform grids (None or a legal grid, never an exception)."""
import numpy as np
import pytest

from arc_solver import programs as P
from grid_helpers import G


@pytest.mark.parametrize("fn", [
    lambda g: P.crop_object(g, "largest"), lambda g: P.complete_symmetry(g, 0),
    lambda g: P.fill_enclosed(g, 1), lambda g: P.object_gravity(g, "left"), lambda g: P.cells_to_pixels(g),
    lambda g: P.combine_parts(g, "xor"), lambda g: P.draw_lines(g, "all"), lambda g: P.kron_self(g),
    lambda g: P.complete_pattern(g, 0), lambda g: P.cell_features(g) is None or None,
])
def test_primitives_survive_tiny_and_uniform_grids(fn):
    for g in (G([[0]]), G([[7]]), np.full((30, 30), 3, np.uint8), G([[1, 0, 1]])):
        out = fn(g)
        assert out is None or P.valid(out)
