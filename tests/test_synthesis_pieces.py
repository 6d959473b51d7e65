"""Piece assembly on hand-made tasks that no single chain of the allowed depth solves."""
import numpy as np

from arc_solver import programs as P
from arc_solver import synthesis as S
from arc_solver.synthesis.pieces import Piece, assemble
from arc_solver.synthesis.program import Step, apply
from arc_solver.tasks import Pair, Task


def ring_scene(seed: int) -> np.ndarray:
    """A hollow ring of 3s somewhere, and a few lone 3s away from it."""
    rng = np.random.default_rng(seed)
    g = np.zeros((10, 10), np.uint8)
    y, x, h, w = rng.integers(0, 3), rng.integers(0, 3), rng.integers(3, 6), rng.integers(3, 6)
    g[y:y + h, x:x + w] = 3
    g[y + 1:y + h - 1, x + 1:x + w - 1] = 0
    for _ in range(3):
        g[rng.integers(7, 10), rng.integers(0, 10)] = 3
    return g


def fill_and_erase(g: np.ndarray) -> np.ndarray:
    """Two independent edits: the ring's inside becomes 4, the lone pixels go."""
    return P.fill_enclosed(P.remove_small(g, 1), 4)


def task_of(fn, grids) -> Task:
    pairs = [Pair(g, fn(g)) for g in grids]
    return Task("pieces", tuple(pairs[:-1]), tuple(pairs[-1:]))


def test_two_independent_edits_are_assembled_when_no_single_step_explains_them():
    task = task_of(fill_and_erase, [ring_scene(s) for s in range(4)])
    # One step, no cell or object rule (either would explain these two edits at once).
    one_step = S.SearchConfig(max_depth=1, rule_depth=-1, object_depth=-1)
    assert S.search(task, 10.0, S.SearchConfig(max_depth=1, rule_depth=-1, object_depth=-1, max_pieces=0)) == []
    progs = S.search(task, 10.0, one_step)
    assert progs, "piece assembly found nothing"
    best = progs[0]
    assert best.name.startswith("pieces[diff]") and "fill_enclosed(4" in best.name and "remove_small(" in best.name
    assert np.array_equal(best.predictions[0], task.test[0].output)
    for pair in task.train:  # the program reproduces every demonstration from the raw input
        assert np.array_equal(best(pair.input), pair.output)


def test_layer_mode_paints_own_colours_and_a_constant_colour():
    """Output = the left half's cells in their colours plus the right half's cells painted 5, on black."""
    rng = np.random.default_rng(3)

    def scene():
        g = rng.integers(1, 5, (4, 8)).astype(np.uint8)
        keep = rng.random((4, 4)) < 0.5
        g[:, :4][~keep] = 0
        g[:, 4:][keep] = 0  # the halves never claim the same cell
        g[rng.random((4, 8)) < 0.6] = 0  # and black stays the background
        return g

    def rule(g):
        out = g[:, :4].copy()
        out[g[:, 4:] != 0] = 5
        return out

    left = Step("left", lambda g: g[:, : g.shape[1] // 2], 1.0)
    right = Step("right", lambda g: g[:, g.shape[1] // 2:], 1.0)
    grids = [scene() for _ in range(4)]
    inputs, tests = grids[:3], grids[3:]
    outputs = [rule(g) for g in inputs]
    pieces = [Piece((s,), tuple(apply(s.fn, g) for g in grids), 1.0) for s in (left, right)]
    finishes = assemble(pieces, inputs, outputs, tests)
    assert [f.name for f in finishes] == ["pieces[layer0](left + right as 5)"] or \
        [f.name for f in finishes] == ["pieces[layer0](right as 5 + left)"]
    fn = finishes[0].fn
    assert all(np.array_equal(fn(g), o) for g, o in zip(inputs, outputs))
    assert np.array_equal(fn(tests[0]), rule(tests[0]))
    # A piece that is wrong somewhere is never used: with only it, nothing is assembled.
    wrong = Step("wrong", lambda g: np.roll(g[:, :4], 1, 0), 1.0)
    bad = [Piece((wrong,), tuple(apply(wrong.fn, g) for g in grids), 1.0)]
    assert assemble(bad, inputs, outputs, tests) == []


def test_one_demonstration_is_never_assembled():
    g = ring_scene(0)
    piece = Piece((), (g, g), 0.0)
    assert assemble([piece], [g], [fill_and_erase(g)], [g]) == []


def test_an_earlier_piece_wins_cells_where_a_later_one_is_wrong():
    """Output = the input turned, except that the input's 3s are marked 7 in place. The turn is wrong
    on those cells, so it is usable only under the marking piece, which is laid down first."""
    rng = np.random.default_rng(5)
    turn = Step("turn", lambda g: np.rot90(g).copy(), 1.0)
    mark = Step("mark", lambda g: np.where(g == 3, 7, g).astype(np.uint8), 1.0)

    def rule(g):
        return np.where(g == 3, 7, np.rot90(g)).astype(np.uint8)

    grids = [rng.integers(0, 5, (6, 6)).astype(np.uint8) for _ in range(4)]
    inputs, tests = grids[:3], grids[3:]
    outputs = [rule(g) for g in inputs]
    pieces = [Piece((s,), tuple(apply(s.fn, g) for g in grids), 1.0) for s in (turn, mark)]
    finishes = assemble(pieces, inputs, outputs, tests)
    assert finishes and finishes[0].name.startswith("pieces[diff](mark + ")
    fn = finishes[0].fn
    assert all(np.array_equal(fn(g), o) for g, o in zip(inputs, outputs))
    assert np.array_equal(fn(tests[0]), rule(tests[0]))



def test_pieces_that_explain_all_demonstrations_but_one_are_a_guess():
    """The second demonstration's output is noise: no assembly explains all three, but the one made on
    the other two is kept as an unverified guess, and it answers the test."""
    rng = np.random.default_rng(9)
    task = task_of(fill_and_erase, [ring_scene(s) for s in range(4)])
    noisy = Pair(task.train[1].input, rng.integers(0, 10, (10, 10)).astype(np.uint8))
    task = Task("pieces-guess", (task.train[0], noisy, task.train[2]), task.test)
    one_step = S.SearchConfig(max_depth=1, rule_depth=-1, object_depth=-1, view_share=0.0)
    progs = S.search(task, 10.0, one_step)
    assert progs and all(p.partial for p in progs)
    assert progs[0].name.startswith("partial(2/3, pieces[diff](")
    assert np.array_equal(progs[0].predictions[0], task.test[0].output)
