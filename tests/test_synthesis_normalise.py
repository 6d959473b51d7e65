"""Colour-normalised learning: a rule learned on renamed colours, answered in the test's own colours."""
import numpy as np

from arc_solver import programs as P
from arc_solver import synthesis as S
from arc_solver.synthesis.chain_search import SearchConfig, _search
from arc_solver.synthesis.finishers import learn_cell_rule
from arc_solver.synthesis.normalise import colour_ranks, learn_normalised, normalise_task
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
    # a table keyed on the colour cannot answer colour 6, never seen (the colour-blind form can: it keeps
    # odd diagonal cells and turns the others yellow whatever their colour)
    plain = learn_cell_rule(states, outputs, tests, TaskInfo.of(task))
    assert all(f.name.endswith(",blind)") for f in plain)
    fins = learn_normalised(learn_cell_rule, states, outputs, tests, TaskInfo.of(task))
    assert fins and np.array_equal(fins[0].fn(grids[3]), task.test[0].output)
    progs = S.search(task, 5.0)
    assert progs and np.array_equal(progs[0].predictions[0], task.test[0].output)


def test_not_tried_when_every_demonstration_has_the_same_colours():
    grids = [diagonal(n, 2) for n in (5, 6, 7, 8)]
    task = Task("t", tuple(Pair(g, every_other_yellow(g)) for g in grids[:3]), (Pair(grids[3], None),))
    states, outputs = [p.input for p in task.train], [p.output for p in task.train]
    assert learn_normalised(learn_cell_rule, states, outputs, [grids[3]], TaskInfo.of(task)) == []


def test_the_search_runs_again_on_the_renamed_task_when_colours_differ():
    """Crop the content and swap its two colours: a colour map learned on demonstrations of different
    colours says nothing about the test's colours; renamed by cell count, every pair swaps names 1 and 2."""
    def make(seed, a, b):
        rng = np.random.default_rng(seed)
        g = np.zeros((9, 9), np.uint8)
        k = 4 + seed % 2  # squares of two sizes: the outputs are no one picture (counting.py's templates)
        y, x = (int(v) for v in rng.integers(0, 5, 2))
        g[y:y + k, x:x + k] = a
        # a bar of b inside, against the left side: fewer cells than a, and no concentric rings (band_colours
        # would swap the colours of rings without any renaming)
        g[y + 1:y + k - 1, x + 1] = b
        return g

    def swap(g):
        c = P.crop_to_content(g, 0)
        a, b = sorted(set(np.unique(c).tolist()), key=lambda v: -(c == v).sum())
        return np.where(c == a, b, a).astype(np.uint8)

    grids = [make(0, 1, 2), make(1, 3, 4), make(2, 6, 5), make(3, 8, 7)]
    task = Task("t", tuple(Pair(g, swap(g)) for g in grids[:3]), (Pair(grids[3], swap(grids[3])),))
    assert normalise_task(task) is not None
    assert [p for p in S.search(task, 4.0, S.SearchConfig(view_share=0)) if not p.partial] == []
    progs = S.search(task, 4.0)
    assert progs and progs[0].name.startswith("normalised(")
    assert np.array_equal(progs[0].predictions[0], task.test[0].output)
    assert np.array_equal(progs[0](grids[3]), task.test[0].output)  # the program itself answers in colour


def test_ties_broken_in_reading_order_name_the_upper_marker_first():
    g = np.array([[0, 0, 5, 0], [7, 0, 0, 0], [3, 3, 3, 0]], np.uint8)
    assert colour_ranks(g, 0) is None  # 5 and 7: one cell each
    t = colour_ranks(g, 0, ties=True)
    assert t[3] == 1 and t[5] == 2 and t[7] == 3
    # every grid of random counts: ranked by count, equal counts by their first cell in reading order
    rng = np.random.default_rng(3)
    for _ in range(50):
        g = rng.integers(0, 5, (4, 5)).astype(np.uint8)
        t = colour_ranks(g, 0, ties=True)
        cols = [c for c in range(1, 10) if (g == c).any()]
        order = sorted(cols, key=lambda c: (-(g == c).sum(), next(i for i, v in enumerate(g.ravel()) if v == c)))
        assert [int(t[c]) for c in order] == list(range(1, len(cols) + 1))


def test_a_task_whose_colours_tie_is_searched_renamed_when_ties_are_broken():
    # two lone markers, the upper one draws a line to the right, the lower one stays: colours change
    def scene(upper: int, lower: int, y: int) -> Pair:
        g = np.zeros((8, 8), np.uint8)
        g[y, 1], g[y + 3, 2] = upper, lower
        out = g.copy()
        out[y, 2:] = upper
        return Pair(g, out)
    pairs = [scene(2, 6, 0), scene(4, 1, 2), scene(3, 9, 1), scene(8, 5, 4)]
    task = Task("t", tuple(pairs[:3]), (pairs[3],))
    assert normalise_task(task) is None
    name, view, backs, _ = normalise_task(task, ties=True)
    assert name == "normalised_ties"
    assert all(set(np.unique(p.input)) == {0, 1, 2} for p in view.train)
    # renamed, the rule is one colour's: the root learners find it, and it answers in the test's colours
    progs = [p for p in _search(view, 1.0, SearchConfig(max_depth=0)) if not p.partial]
    assert progs and np.array_equal(backs[0](progs[0].predictions[0]), pairs[3].output)
