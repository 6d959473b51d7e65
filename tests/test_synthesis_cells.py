"""The cell view: a task on a lattice of separator lines searched one pixel per cell."""
import numpy as np

from arc_solver import programs as P
from arc_solver import synthesis as S
from arc_solver.synthesis.cells import cell_task
from arc_solver.tasks import Pair, Task


def lattice(cells: np.ndarray, side: int = 2, line: int = 5) -> np.ndarray:
    """Each cell a side x side block, blocks separated by 1-wide lines of `line`."""
    n, m = cells.shape
    g = np.full((n * (side + 1) - 1, m * (side + 1) - 1), line, np.uint8)
    for i in range(n):
        for j in range(m):
            g[i * (side + 1):i * (side + 1) + side, j * (side + 1):j * (side + 1) + side] = cells[i, j]
    return g


def test_cells_join_along_rows_on_the_lattice():
    rng = np.random.default_rng(0)
    pairs = []
    for k in range(4):
        cells = np.zeros((5, 5), np.uint8)
        for row in rng.choice(5, size=2, replace=False):
            a, b = int(rng.integers(0, 2)), int(rng.integers(3, 5))  # something to join
            cells[row, a] = cells[row, b] = 1 + k % 3
        pairs.append(Pair(lattice(cells), lattice(P.connect(cells, True, False))))
    task = Task("t", tuple(pairs[:3]), (pairs[3],))
    name, view, answers, around = cell_task(task)
    assert name == "cells" and view.train[0].input.shape == (5, 5)
    # answers are drawn back on the test input's lattice
    assert np.array_equal(answers[0](P.connect(view.test[0].input, True, False)), pairs[3].output)
    progs = S.search(task, 5.0)
    assert progs and progs[0].name.startswith("cells(")
    assert np.array_equal(progs[0].predictions[0], pairs[3].output)
    assert np.array_equal(progs[0](pairs[3].input), pairs[3].output)


def test_no_cell_view_without_a_lattice_of_one_colour_cells():
    g = lattice(np.eye(3, dtype=np.uint8))
    mixed = g.copy()
    mixed[0, 0] = 7  # a cell of two colours
    assert cell_task(Task("t", (Pair(mixed, mixed), Pair(g, g)), (Pair(g, None),))) is None
    plain = np.eye(4, dtype=np.uint8)
    assert cell_task(Task("t", (Pair(plain, plain),), (Pair(plain, None),))) is None
