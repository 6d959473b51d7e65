"""Rays per colour (synthesis/rays.py): directions, start modes and the painting order learned from
hand-made demonstrations, and the tasks they must refuse."""
import numpy as np

from arc_solver import programs as P
from arc_solver.synthesis.program import TaskInfo
from arc_solver.synthesis.rays import learn_colour_rays, learn_ray_rules
from arc_solver.tasks import Pair, Task


def dots(seed: int, colours=(2, 3), size: int = 9) -> np.ndarray:
    rng = np.random.default_rng(seed)
    g = np.zeros((size, size), np.uint8)
    ys = rng.choice(size, len(colours) * 2, replace=False)  # distinct rows and columns: no dot blocks another
    xs = rng.choice(size, len(colours) * 2, replace=False)
    for i, c in enumerate(colours * 2):
        g[ys[i], xs[i]] = c
    return g


def paint(g: np.ndarray) -> np.ndarray:
    """Red dots shoot vertical lines, green dots horizontal ones, green on top: written out by hand."""
    out = g.copy()
    for y, x in zip(*np.nonzero(g == 2)):
        out[:, x][g[:, x] == 0] = 2
    for y, x in zip(*np.nonzero(g == 3)):
        out[y][g[y] == 0] = 3
    return out


def rays_task(seeds=(1, 2, 3), test_seed=9) -> Task:
    return Task("rays", tuple(Pair(dots(s), paint(dots(s))) for s in seeds),
                (Pair(dots(test_seed), paint(dots(test_seed))),))


def test_directions_and_order_are_learned_and_answer_the_test():
    task = rays_task()
    states = [p.input for p in task.train]
    rules, order = learn_ray_rules(states, [p.output for p in task.train], 0)
    assert {(dy, dx) for dy, dx, _ in rules[2]} == {(-1, 0), (1, 0)}
    assert {(dy, dx) for dy, dx, _ in rules[3]} == {(0, -1), (0, 1)}
    assert order == (2, 3)  # green crosses over red
    (fin,) = learn_colour_rays(states, [p.output for p in task.train], [task.test[0].input], TaskInfo.of(task))
    assert np.array_equal(fin.fn(task.test[0].input), task.test[0].output)


def test_a_shared_rule_reaches_a_colour_the_demonstrations_never_showed():
    """Every colour shoots all four diagonals (623ea044): a test dot of a new colour does the same."""
    def diag(g):
        out = g.copy()
        for c in np.unique(g[g > 0]):
            for dy, dx in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                out[P.ray_mask(g, int(c), dy, dx, "stop")] = c
        return out
    grids = [np.zeros((7, 7), np.uint8) for _ in range(3)]
    for g, (y, x, c) in zip(grids, [(2, 3, 4), (5, 1, 6), (3, 3, 5)]):
        g[y, x] = c
    task = Task("diag", tuple(Pair(g, diag(g)) for g in grids[:2]), (Pair(grids[2], diag(grids[2])),))
    fins = learn_colour_rays([p.input for p in task.train], [p.output for p in task.train],
                             [grids[2]], TaskInfo.of(task))
    assert fins and np.array_equal(fins[0].fn(grids[2]), diag(grids[2]))


def test_refuses_what_rays_do_not_explain():
    task = rays_task()
    states = [p.input for p in task.train]
    outs = [p.output.copy() for p in task.train]
    assert learn_ray_rules(states, states, 0) is None  # nothing changes
    moved = [o.copy() for o in outs]
    y, x = np.argwhere(states[0] == 2)[0]
    moved[0][y, x] = 0  # a dot erased: not rays
    assert learn_ray_rules(states, moved, 0) is None
    # a test with a colour no demonstration showed, and the colours' rays differ: no answer
    odd = dots(5, colours=(2, 7))
    assert learn_colour_rays(states, outs, [odd], TaskInfo.of(task)) == []


def test_colours_with_rays_of_their_own_need_two_demonstrations_each():
    """Each colour in one demonstration only, its two cells joined along their row: per-colour rays explain
    every picture (the blue pair as a ray to the left, the red pair as one to the right), and that reading
    is refused; the same rays for every colour are one reading, kept."""
    grids = []
    for c, y, (x0, x1) in [(1, 1, (0, 3)), (2, 3, (2, 5)), (3, 2, (0, 3))]:
        g = np.zeros((5, 6), np.uint8)
        g[y, x0] = g[y, x1] = c
        grids.append(g)
    joined = [P.connect(g, True, False) for g in grids]
    assert learn_ray_rules(grids, joined, 0) is None
    rules, _ = learn_ray_rules(grids, [P.draw_lines(g, "h") for g in grids], 0)
    assert len(set(rules.values())) == 1
