"""Orientation-normalised view: pairs turned to their input's heading, answers turned back."""
import numpy as np

from arc_solver import programs as P
from arc_solver import synthesis as S
from arc_solver.synthesis.chain_search import SearchConfig
from arc_solver.synthesis.orient import heading, orient_task
from arc_solver.tasks import Pair, Task


def offset(g: np.ndarray) -> tuple[float, float] | None:
    """(dx, dy) of the rarest colour's centre from the figure's centre, by plain loops; None without one."""
    b = np.bincount(g.ravel(), minlength=10).argmax()
    cells = [(y, x, int(g[y, x])) for y in range(g.shape[0]) for x in range(g.shape[1]) if g[y, x] != b]
    counts = {}
    for _, _, c in cells:
        counts[c] = counts.get(c, 0) + 1
    least = min(counts.values(), default=0)
    rare = [c for c, n in counts.items() if n == least]
    if len(counts) < 2 or len(rare) != 1:
        return None
    mine = [(y, x) for y, x, c in cells if c == rare[0]]
    return (sum(x for _, x in mine) / len(mine) - sum(x for _, x, _ in cells) / len(cells),
            sum(y for y, _ in mine) / len(mine) - sum(y for y, _, _ in cells) / len(cells))


def test_heading_turns_the_rare_colour_right_then_down_as_far_as_any_turn_does():
    rng = np.random.default_rng(5)
    checked = 0
    for _ in range(300):
        h, w = rng.integers(2, 8, 2)
        g = np.where(rng.random((h, w)) < 0.4, rng.integers(1, 4, (h, w)), 0).astype(np.uint8)
        d = heading(g)
        if offset(g) is None:
            assert d == 0
            continue
        images = [offset(P.dihedral(g, e)) for e in range(8)]
        got = offset(P.dihedral(g, d))
        assert got == max(images, key=lambda v: (round(v[0], 6), round(v[1], 6)))
        checked += 1
    assert checked > 100


def test_every_image_of_a_grid_turns_to_the_same_heading():
    g = np.zeros((7, 9), np.uint8)
    g[2, 1:5] = 6
    g[3, 2] = 6
    g[2, 5] = 8  # the rare colour: right of centre and (through the 6 below) above it
    canon = P.dihedral(g, heading(g))
    for e in range(8):
        im = P.dihedral(g, e)
        assert np.array_equal(P.dihedral(im, heading(im)), canon)


def arrow_task(headings: list[int]) -> Task:
    """A bar of 5s with a 3 at its head, turned each way: the head shoots a ray of 4s onward to the border
    and the tail's 5 turns 2."""
    def pair(d: int, length: int, row: int) -> Pair:
        g = np.zeros((9, 9), np.uint8)
        g[row, 1:1 + length] = 5
        g[row, 1 + length] = 3
        out = g.copy()
        out[row, 2 + length:] = 4
        out[row, 1] = 2
        return Pair(P.dihedral(g, d), P.dihedral(out, d))
    pairs = [pair(d, 2 + k % 3, 1 + (3 * k) % 7) for k, d in enumerate(headings)]
    return Task("arrows", tuple(pairs[:-1]), (pairs[-1],))


def test_the_search_answers_a_rule_that_points_a_different_way_in_each_demonstration():
    task = arrow_task([0, 1, 6, 3, 5])
    name, view, backs, around = orient_task(task)
    assert name == "oriented"
    # turned, every demonstration shoots the same way
    for p in view.train:
        ys, xs = np.nonzero(p.output == 4)
        assert len(set(ys.tolist())) == 1 and xs.max() == p.output.shape[1] - 1
    progs = S.search(task, 2.0)
    assert progs and progs[0].name.startswith("oriented(")
    assert np.array_equal(progs[0].predictions[0], task.test[0].output)
    assert np.array_equal(progs[0](task.test[0].input), task.test[0].output)  # around: the program on any grid
    # the view is what finds it
    assert not [p for p in S.search(task, 2.0, SearchConfig(root_view_share=0)) if not p.partial]


def test_no_view_when_every_input_heads_the_same_way():
    assert orient_task(arrow_task([2, 2, 2, 2])) is None
