"""Per-object moves: the painter against a cell-by-cell reference, rules learned on hand-made tasks."""
import numpy as np

from arc_solver import programs as P
from arc_solver import synthesis as S
from arc_solver.synthesis.object_moves import learn_object_moves, move_objects
from arc_solver.synthesis.program import TaskInfo
from arc_solver.tasks import Pair, Task


def scattered(seed: int, colours=(1, 2, 3), size: int = 14, count: int = 4) -> np.ndarray:
    """Random rectangles of the given colours, none touching another (8-neighbours), in the lower half."""
    rng = np.random.default_rng(seed)
    g = np.zeros((size, size), np.uint8)
    for k in range(count):
        for _ in range(200):
            h, w = int(rng.integers(1, 4)), int(rng.integers(1, 4))
            y, x = int(rng.integers(size // 2, size - h + 1)), int(rng.integers(0, size - w + 1))
            if not g[max(0, y - 1):y + h + 1, max(0, x - 1):x + w + 1].any():
                g[y:y + h, x:x + w] = colours[k % len(colours)]
                break
    return g


def clean_scenes(f, n: int, colours=(1, 2, 3), count: int = 4, first_seed: int = 10) -> list[np.ndarray]:
    """n scenes in which f moves no object onto another or out of the grid (as in the tasks)."""
    scenes = (scattered(s, colours, count=count) for s in range(first_seed, first_seed + 500))
    kept = (g for g in scenes
            if np.array_equal(np.bincount(f(g).ravel(), minlength=10), np.bincount(g.ravel(), minlength=10)))
    return [next(kept) for _ in range(n)]


def task_of(fn, grids) -> Task:
    pairs = [Pair(g, fn(g)) for g in grids]
    return Task("moves", tuple(pairs[:-1]), (pairs[-1],))


def test_move_objects_matches_a_cell_by_cell_reference():
    rng = np.random.default_rng(0)
    for seed in range(30):
        g = scattered(seed, count=5)
        objs = P.objects(g, 0, False, True)
        offsets = [(int(rng.integers(-4, 5)), int(rng.integers(-4, 5))) if rng.random() < 0.7 else (0, 0)
                   for _ in objs]
        want = g.copy()
        for o, off in zip(objs, offsets):  # lift every moving object first ...
            if off != (0, 0):
                for y, x in zip(*np.nonzero(o.mask)):
                    want[o.top + y, o.left + x] = 0
        for o, (oy, ox) in zip(objs, offsets):  # ... then paint each at its new place, inside the grid
            if (oy, ox) != (0, 0):
                for y, x in zip(*np.nonzero(o.mask)):
                    ty, tx = o.top + y + oy, o.left + x + ox
                    if 0 <= ty < g.shape[0] and 0 <= tx < g.shape[1]:
                        want[ty, tx] = o.patch[y, x]
        assert np.array_equal(move_objects(g, objs, offsets, 0), want), seed


def rise_by_height(g: np.ndarray) -> np.ndarray:
    objs = P.objects(g, 0, False, True)
    return move_objects(g, objs, [(-o.height, 0) for o in objs], 0)


def test_every_object_rising_by_its_own_height_is_learned():
    grids = [scattered(s) for s in range(4)]
    task = task_of(rise_by_height, grids)
    demos = [p.input for p in task.train], [p.output for p in task.train]
    fins = learn_object_moves(*demos, [task.test[0].input], TaskInfo.of(task))
    assert fins and "-1,0xheight" in fins[0].name
    assert np.array_equal(fins[0].fn(task.test[0].input), task.test[0].output)
    assert np.array_equal(S.solve(task, 2.0)[0][0].grid, task.test[0].output)


def test_moves_by_colour_table_with_objects_that_stay():
    # colour 1 steps two right, colour 2 one up; colour 3 stays
    step = {1: (0, 2), 2: (-1, 0), 3: (0, 0)}

    def f(g):
        objs = P.objects(g, 0, False, True)
        return move_objects(g, objs, [step[o.colour] for o in objs], 0)

    task = task_of(f, clean_scenes(f, 4, count=6))
    demos = [p.input for p in task.train], [p.output for p in task.train]
    fins = learn_object_moves(*demos, [task.test[0].input], TaskInfo.of(task))
    assert fins and fins[0].name.startswith("object_moves(colour:")
    assert np.array_equal(fins[0].fn(task.test[0].input), task.test[0].output)


def test_no_move_rule_where_cells_appear_or_a_test_colour_is_unknown():
    grids = [scattered(s) for s in range(4)]
    task = task_of(rise_by_height, grids)
    outputs = [p.output.copy() for p in task.train]
    assert learn_object_moves([p.input for p in task.train], outputs, [task.test[0].input], TaskInfo.of(task))
    outputs[0][0, 0] = 7  # a colour no state has: not a move
    assert learn_object_moves([p.input for p in task.train], outputs, [task.test[0].input], TaskInfo.of(task)) == []
    # colour 1 rises one cell, colour 2 two: a test with a colour 3 object has no answer for it
    step = {1: (-1, 0), 2: (-2, 0)}

    def f(g):
        objs = P.objects(g, 0, False, True)
        return move_objects(g, objs, [step.get(o.colour, (0, 0)) for o in objs], 0)

    *train, known = clean_scenes(f, 4, colours=(1, 2), first_seed=20)
    unknown = scattered(23, colours=(3,))
    info = TaskInfo.of(task_of(f, train + [known]))
    fins = learn_object_moves(train, [f(g) for g in train], [known], info)
    assert fins and np.array_equal(fins[0].fn(known), f(known))
    assert learn_object_moves(train, [f(g) for g in train], [unknown], info) == []


def test_steps_and_slides_towards_the_nearest_thing():
    """The 3 steps once towards the 4 (diagonally when it lies off its row and column); in the second task
    each 2 slides towards its nearest 5 until it touches it, and the 5s stay."""
    rng = np.random.default_rng(2)

    def lone_pair(_):
        g = np.zeros((9, 9), np.uint8)
        while True:  # two cells apart, so that the step lands on the background
            (ya, xa), (yb, xb) = (divmod(int(c), 9) for c in rng.choice(81, 2, replace=False))
            if max(abs(ya - yb), abs(xa - xb)) > 1:
                g[ya, xa], g[yb, xb] = 3, 4
                return g

    def step_towards(g):
        (y, x), (ty, tx) = np.argwhere(g == 3)[0], np.argwhere(g == 4)[0]
        out = g.copy()
        out[y, x] = 0
        out[y + np.sign(ty - y), x + np.sign(tx - x)] = 3
        return out

    def slide(g):  # 2s above and below a wall of 5 on row 4: they slide to rows 3 and 5
        out = g.copy()
        for y, x in np.argwhere(g == 2):
            out[y, x] = 0
            out[3 if y < 4 else 5, x] = 2
        return out

    def wall(_):
        g = np.zeros((9, 9), np.uint8)
        g[4, :] = 5
        for x in (0, 4, 8):  # far apart: each 2's nearest thing is the wall
            g[rng.choice([1, 2, 6, 7]), x] = 2
        return g

    for make, f, name in ((lone_pair, step_towards, "3>towardx1"), (wall, slide, "2>towardxcontact")):
        task = task_of(f, [make(k) for k in range(4)])
        fins = learn_object_moves([p.input for p in task.train], [p.output for p in task.train],
                                  [task.test[0].input], TaskInfo.of(task))
        assert fins and name in fins[0].name, [f.name for f in fins]
        assert np.array_equal(fins[0].fn(task.test[0].input), task.test[0].output)
