"""Colour-normalised learning: a rule learned on renamed colours, answered in the test's own colours."""
import numpy as np

from arc_solver import synthesis as S
from arc_solver.synthesis.finishers import learn_cell_rule
from arc_solver.synthesis.normalise import colour_ranks, learn_normalised
from arc_solver.synthesis.program import TaskInfo
from arc_solver.tasks import Pair, Task


def diagonal(n: int, colour: int) -> np.ndarray:
    g = np.zeros((n, n), np.uint8)
    np.fill_diagonal(g, colour)
    return g


def every_other_yellow(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    ys, xs = np.nonzero(g)
    out[ys[1::2], xs[1::2]] = 4
    return out


def test_colour_ranks_rename_by_count_and_refuse_ties():
    g = np.array([[0, 7, 7, 3], [0, 7, 0, 0]], np.uint8)
    t = colour_ranks(g, 0)
    assert t[0] == 0 and t[7] == 1 and t[3] == 2 and t[5] == 255
    assert colour_ranks(np.array([[0, 7, 3]], np.uint8), 0) is None  # 7 and 3 tie


def test_a_rule_seen_in_other_colours_answers_in_the_test_colour():
    grids = [diagonal(5, 2), diagonal(7, 9), diagonal(6, 3), diagonal(8, 6)]
    task = Task("t", tuple(Pair(g, every_other_yellow(g)) for g in grids[:3]),
                (Pair(grids[3], every_other_yellow(grids[3])),))
    states, outputs, tests = [p.input for p in task.train], [p.output for p in task.train], [grids[3]]
    assert learn_cell_rule(states, outputs, tests, TaskInfo.of(task)) == []  # colour 6 never seen
    fins = learn_normalised(learn_cell_rule, states, outputs, tests, TaskInfo.of(task))
    assert fins and np.array_equal(fins[0].fn(grids[3]), task.test[0].output)
    progs = S.search(task, 5.0)
    assert progs and np.array_equal(progs[0].predictions[0], task.test[0].output)


def test_not_tried_when_every_demonstration_has_the_same_colours():
    grids = [diagonal(n, 2) for n in (5, 6, 7, 8)]
    task = Task("t", tuple(Pair(g, every_other_yellow(g)) for g in grids[:3]), (Pair(grids[3], None),))
    states, outputs = [p.input for p in task.train], [p.output for p in task.train]
    assert learn_normalised(learn_cell_rule, states, outputs, [grids[3]], TaskInfo.of(task)) == []
