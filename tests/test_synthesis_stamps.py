"""Stamps: patterns painted around every object of a kind, learned from hand-made tasks."""
import numpy as np

from arc_solver import synthesis as S
from arc_solver.synthesis.program import TaskInfo
from arc_solver.synthesis.stamps import learn_stamps
from arc_solver.tasks import Pair, Task


def scatter(seed: int, colours=(1, 2, 8), n: int = 4, side: int = 11) -> np.ndarray:
    """Pixels of the given colours, at least 3 cells apart (stamps do not overlap)."""
    rng = np.random.default_rng(seed)
    g = np.zeros((side, side), np.uint8)
    placed = []
    while len(placed) < n:
        y, x = (int(v) for v in rng.integers(0, side, 2))
        if all(max(abs(y - a), abs(x - b)) >= 3 for a, b in placed):
            placed.append((y, x))
            g[y, x] = colours[len(placed) % len(colours)]
    return g


def corners_and_crosses(g: np.ndarray) -> np.ndarray:
    """Red pixels get yellow corners, blue ones an orange cross; grey (8) ones stay alone."""
    out = g.copy()
    h, w = g.shape
    for y, x in zip(*np.nonzero(g)):
        offs = {2: ((-1, -1), (-1, 1), (1, -1), (1, 1)), 1: ((-1, 0), (1, 0), (0, -1), (0, 1))}.get(int(g[y, x]), ())
        for dy, dx in offs:
            if 0 <= y + dy < h and 0 <= x + dx < w:
                out[y + dy, x + dx] = 4 if g[y, x] == 2 else 7
    return out


def task_of(grids, rule) -> Task:
    return Task("t", tuple(Pair(g, rule(g)) for g in grids[:-1]), (Pair(grids[-1], rule(grids[-1])),))


def test_stamps_by_colour_are_learned_and_applied():
    grids = [scatter(s) for s in range(5)]
    task = task_of(grids, corners_and_crosses)
    states, outputs, tests = [p.input for p in task.train], [p.output for p in task.train], [task.test[0].input]
    fins = learn_stamps(states, outputs, tests, TaskInfo.of(task))
    assert fins
    assert np.array_equal(fins[0].fn(tests[0]), task.test[0].output)
    # and the search finds it (no chain of steps paints two different patterns)
    progs = S.search(task, 10.0)
    assert progs and np.array_equal(progs[0].predictions[0], task.test[0].output)


def test_a_colour_never_shown_gets_no_stamp_only_when_some_shown_colour_had_none():
    grids = [scatter(s) for s in range(4)] + [scatter(9, colours=(1, 2, 3))]  # 3: never in a demonstration
    task = task_of(grids, corners_and_crosses)
    states, outputs = [p.input for p in task.train], [p.output for p in task.train]
    fins = learn_stamps(states, outputs, [task.test[0].input], TaskInfo.of(task))
    assert fins and np.array_equal(fins[0].fn(task.test[0].input), task.test[0].output)
    # every demonstration colour stamps: a new colour's stamp is unknown, so no answer
    grids = [scatter(s, colours=(1, 2)) for s in range(4)] + [scatter(9, colours=(1, 3))]
    task = task_of(grids, corners_and_crosses)
    states, outputs = [p.input for p in task.train], [p.output for p in task.train]
    assert learn_stamps(states, outputs, [task.test[0].input], TaskInfo.of(task)) == []


def test_stamps_by_shape_leave_other_shapes_and_objects_alone():
    """2x2 squares of colour 5 get four diagonal corner cells of 3; single cells of 5 do not."""
    def make(seed):
        rng = np.random.default_rng(seed)
        g = np.zeros((12, 12), np.uint8)
        for k, (y, x) in enumerate(((1, 1), (1, 7), (7, 1), (7, 7))):
            y, x = y + int(rng.integers(0, 2)), x + int(rng.integers(0, 2))
            if k % 2 == 0 or rng.random() < 0.5:
                g[y:y + 2, x:x + 2] = 5
            else:
                g[y, x] = 5
        return g

    def rule(g):
        out = g.copy()
        for y in range(11):
            for x in range(11):
                if (g[y:y + 2, x:x + 2] == 5).all():
                    for cy, cx in ((y - 1, x - 1), (y - 1, x + 2), (y + 2, x - 1), (y + 2, x + 2)):
                        if 0 <= cy < 12 and 0 <= cx < 12:
                            out[cy, cx] = 3
        return out

    grids = [make(s) for s in range(5)]
    task = task_of(grids, rule)
    states, outputs = [p.input for p in task.train], [p.output for p in task.train]
    fins = learn_stamps(states, outputs, [task.test[0].input], TaskInfo.of(task))
    assert fins and np.array_equal(fins[0].fn(task.test[0].input), task.test[0].output)


def test_no_stamp_when_the_change_is_not_around_objects():
    g = scatter(1)
    shifted = np.roll(g, 1, axis=1)  # everything moved: no fixed pattern painted around each object
    task = Task("t", (Pair(g, shifted), Pair(scatter(2), np.roll(scatter(2), 1, axis=1))), (Pair(scatter(3), None),))
    states, outputs = [p.input for p in task.train], [p.output for p in task.train]
    assert learn_stamps(states, outputs, [task.test[0].input], TaskInfo.of(task)) == []
