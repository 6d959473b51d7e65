"""Counting: small pictures sized by a count of the input, on hand-made tasks."""
import numpy as np

from arc_solver import programs as P
from arc_solver import synthesis as S
from arc_solver.synthesis.counting import learn_count_picture
from arc_solver.synthesis.program import TaskInfo
from arc_solver.tasks import Pair, Task


def blobs(seed: int, n: int, colour: int = 3) -> np.ndarray:
    """n separate 1-2 cell objects of one colour on a 10x10 background."""
    rng = np.random.default_rng(seed)
    g = np.zeros((10, 10), np.uint8)
    spots = rng.permutation(25)[:n]
    for s in spots:
        y, x = 2 * (s // 5), 2 * (s % 5)
        g[y, x] = colour
        if rng.random() < 0.5:
            g[y, x + 1] = colour
    return g


def test_diagonal_as_long_as_the_objects_are_many():
    counts = (2, 4, 3, 5)
    grids = [blobs(s, n) for s, n in enumerate(counts)]

    def rule(g):
        n = P.label(g, 0, True, False)[1]
        out = np.zeros((n, n), np.uint8)
        np.fill_diagonal(out, 8)
        return out

    task = Task("t", tuple(Pair(g, rule(g)) for g in grids[:3]), (Pair(grids[3], rule(grids[3])),))
    fins = learn_count_picture([p.input for p in task.train], [p.output for p in task.train],
                               [task.test[0].input], TaskInfo.of(task))
    assert fins and fins[0].name.startswith("count_picture(diagonal,objects")
    assert np.array_equal(fins[0].fn(task.test[0].input), task.test[0].output)
    progs = S.search(task, 5.0)
    assert progs and np.array_equal(progs[0].predictions[0], task.test[0].output)


def test_row_of_the_input_colour_one_cell_per_cell():
    grids = [blobs(s, n, colour=c) for s, (n, c) in enumerate(((1, 4), (2, 6), (3, 1), (2, 9)))]

    def rule(g):
        return np.full((1, int((g != 0).sum())), g.max(), np.uint8)

    task = Task("t", tuple(Pair(g, rule(g)) for g in grids[:3]), (Pair(grids[3], rule(grids[3])),))
    fins = learn_count_picture([p.input for p in task.train], [p.output for p in task.train],
                               [task.test[0].input], TaskInfo.of(task))
    assert any(np.array_equal(f.fn(task.test[0].input), task.test[0].output) for f in fins)


def test_no_count_when_every_demonstration_has_the_same_count():
    grids = [blobs(s, 3) for s in range(4)]
    out = np.full((1, 3), 3, np.uint8)
    task = Task("t", tuple(Pair(g, out) for g in grids[:3]), (Pair(grids[3], out),))
    assert learn_count_picture([p.input for p in task.train], [p.output for p in task.train],
                               [task.test[0].input], TaskInfo.of(task)) == []


def test_colour_list_by_cell_count():
    def make(seed):
        rng = np.random.default_rng(seed)
        g = np.zeros((8, 8), np.uint8)
        colours = rng.permutation(np.arange(1, 10))[:3]
        for k, c in enumerate(colours):  # 6, 4 and 2 cells
            cells = rng.permutation(np.flatnonzero(g == 0))[:6 - 2 * k]
            g.flat[cells] = c
        return g, np.array(colours, np.uint8)[:, None]

    pairs = [Pair(*make(s)) for s in range(4)]
    task = Task("t", tuple(pairs[:3]), (pairs[3],))
    progs = S.search(task, 5.0)
    assert progs and progs[0].name == "colour_list(most_cells)"
    assert np.array_equal(progs[0].predictions[0], pairs[3].output)
