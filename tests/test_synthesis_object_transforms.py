"""Per-object transforms: each transform against a cell-by-cell reference, and rules found on hand-made tasks
that no whole-grid step says."""
import numpy as np
import pytest

from arc_solver import programs as P
from arc_solver import synthesis as S
from arc_solver.synthesis.object_transforms import TRANSFORMS, learn_object_transform
from arc_solver.synthesis.program import TaskInfo
from arc_solver.tasks import Pair, Task


def random_object(seed: int, square: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A box and a random mask of object cells (colours 3 and 6) in it, background 0 elsewhere."""
    rng = np.random.default_rng(seed)
    h = int(rng.integers(2, 6))
    w = h if square else int(rng.integers(2, 6))
    mask = rng.random((h, w)) < 0.6
    mask[0, 0] = mask[-1, -1] = True
    box = np.where(mask, np.where(rng.random((h, w)) < 0.7, 3, 6), 0).astype(np.uint8)
    return box, mask


def reference(name: str, box: np.ndarray, mask: np.ndarray, c: int) -> np.ndarray | None:
    """Each transform written cell by cell."""
    h, w = box.shape
    out = box.copy()
    images = {"flip_lr": lambda y, x: (y, w - 1 - x), "flip_ud": lambda y, x: (h - 1 - y, x),
              "turn180": lambda y, x: (h - 1 - y, w - 1 - x), "transpose": lambda y, x: (x, y),
              "turn90": lambda y, x: (x, w - 1 - y), "turn270": lambda y, x: (h - 1 - x, y)}
    for kind, moves in (("", images), ("sym_", {"sym_lr": images["flip_lr"], "sym_ud": images["flip_ud"],
                                                 "sym_180": images["turn180"]})):
        if name in moves:
            if name in ("transpose", "turn90", "turn270") and h != w:
                return None
            if not kind:
                out[mask] = 0
            for y in range(h):
                for x in range(w):
                    sy, sx = moves[name](y, x)  # the cell whose content lands at (y, x)
                    if mask[sy, sx] and (not kind or box[y, x] == 0):
                        out[y, x] = box[sy, sx]
            return out
    inner = np.zeros_like(mask)
    for y in range(h):
        for x in range(w):
            inner[y, x] = mask[y, x] and all(0 <= y + dy < h and 0 <= x + dx < w and mask[y + dy, x + dx]
                                             for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)))
    cols = sorted(set(box[mask].tolist()))
    for y in range(h):
        for x in range(w):
            if name == "hull" and box[y, x] == 0:
                out[y, x] = c
            elif name == "interior" and inner[y, x]:
                out[y, x] = c
            elif name == "edge" and mask[y, x] and not inner[y, x]:
                out[y, x] = c
            elif name.endswith("_half") and mask[y, x] and (
                    (name == "top_half" and y < h // 2) or (name == "bottom_half" and y >= h - h // 2)
                    or (name == "left_half" and x < w // 2) or (name == "right_half" and x >= w - w // 2)):
                out[y, x] = c
            elif name == "swap" and mask[y, x]:
                if len(cols) != 2:
                    return None
                out[y, x] = cols[1] if box[y, x] == cols[0] else cols[0]
    if name == "interior" and not inner.any():
        return None
    if (name in ("top_half", "bottom_half") and h < 2) or (name in ("left_half", "right_half") and w < 2):
        return None
    return out


@pytest.mark.parametrize("name", ["flip_lr", "flip_ud", "turn180", "transpose", "turn90", "turn270", "sym_lr",
                                  "sym_ud", "sym_180", "hull", "interior", "edge", "swap", "top_half",
                                  "bottom_half", "left_half", "right_half"])
def test_transforms_match_a_cell_by_cell_reference(name):
    for seed in range(40):
        box, mask = random_object(seed, square=seed % 2 == 0)
        got, want = TRANSFORMS[name](box, mask, 0, 5), reference(name, box, mask, 5)
        assert (got is None) == (want is None), (name, seed)
        assert got is None or np.array_equal(got, want), (name, seed)


def test_marker_and_invert_by_hand():
    box = np.array([[3, 3, 0], [3, 6, 3]], np.uint8)
    mask = box > 0
    assert np.array_equal(TRANSFORMS["to_rare"](box, mask, 0, -1), [[6, 6, 0], [6, 6, 6]])
    assert np.array_equal(TRANSFORMS["invert"](np.array([[3, 0], [3, 3]], np.uint8),
                                               np.array([[1, 0], [1, 1]], bool), 0, -1), [[0, 3], [0, 0]])
    assert TRANSFORMS["invert"](box, mask, 0, -1) is None  # two colours: no single colour to invert with


def scattered(seed: int, n: int = 3) -> np.ndarray:
    """n objects of random shapes and colours in separate 5x5 slots of a 12x12 grid."""
    rng = np.random.default_rng(seed)
    g = np.zeros((12, 12), np.uint8)
    slots = [(0, 0), (0, 6), (6, 0), (6, 6)]
    for k in rng.permutation(4)[:n]:
        y, x = slots[k]
        h, w = int(rng.integers(2, 5)), int(rng.integers(2, 5))
        mask = rng.random((h, w)) < 0.6
        mask[0, :] = True  # a full top row with columns hanging from it: 4-connected
        for yy in range(1, h):
            mask[yy] &= mask[yy - 1]
        g[y:y + h, x:x + w][mask] = rng.integers(1, 10)
    return g


def each_flipped(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for o in P.objects(g, 0, False, True):
        h, w = o.shape
        region = out[o.top:o.top + h, o.left:o.left + w]
        region[o.mask] = 0
        region[o.mask[:, ::-1]] = o.patch[:, ::-1][o.mask[:, ::-1]]
    return out


def _task(grids, f, name="t") -> Task:
    return Task(name, tuple(Pair(g, f(g)) for g in grids[:-1]), (Pair(grids[-1], f(grids[-1])),))


def test_every_object_mirrored_in_place():
    grids = [scattered(s) for s in range(4)]
    task = _task(grids, each_flipped)
    assert not np.array_equal(each_flipped(grids[0]), P.dihedral(grids[0], 2))  # no whole-grid flip
    states = [p.input for p in task.train]
    fins = learn_object_transform(states, [p.output for p in task.train], [task.test[0].input], TaskInfo.of(task))
    assert fins and fins[0].name.startswith("each_object(flip_lr")
    assert np.array_equal(fins[0].fn(task.test[0].input), task.test[0].output)
    progs = S.search(task, 10.0)
    assert progs and np.array_equal(progs[0].predictions[0], task.test[0].output)


def boxes(sides, seed: int) -> np.ndarray:
    """Solid squares of colour 5 with the given sides, in separate corners of a 14x14 grid."""
    rng = np.random.default_rng(seed)
    g = np.zeros((14, 14), np.uint8)
    for (y, x), s in zip(np.array([(0, 0), (0, 8), (8, 0), (8, 8)])[rng.permutation(4)], sides):
        g[y:y + s, x:x + s] = 5
    return g


def test_interiors_painted_by_size_rank():
    """The largest square's interior turns 1, the others' 2: an interior (not a hole) by a property."""
    def f(g):
        objs = P.objects(g, 0, False, True)
        out = g.copy()
        biggest = max(o.size for o in objs)
        for o in objs:
            h, w = o.shape
            out[o.top + 1:o.top + h - 1, o.left + 1:o.left + w - 1] = 1 if o.size == biggest else 2
        return out

    grids = [boxes(s, i) for i, s in enumerate(([5, 3], [4, 6, 3], [3, 5], [6, 4]))]
    task = _task(grids, f)
    fins = learn_object_transform([p.input for p in task.train], [p.output for p in task.train],
                                  [task.test[0].input], TaskInfo.of(task))
    assert fins and "interior" in fins[0].name
    assert np.array_equal(fins[0].fn(task.test[0].input), task.test[0].output)


def test_a_picture_needs_two_objects_that_show_it():
    """Hollow 3x3 squares become a plus of colour 2, other objects stay: learned when two hollow squares
    were seen; with only one, its output alone would 'explain' any rule, so none is learned."""
    ring = np.array([[1, 1, 1], [1, 0, 1], [1, 1, 1]], np.uint8)
    plus = np.array([[0, 2, 0], [2, 2, 2], [0, 2, 0]], np.uint8)

    def scene(rings, bars):
        g = np.zeros((12, 12), np.uint8)
        for y, x in rings:
            g[y:y + 3, x:x + 3] = ring
        for y, x in bars:
            g[y, x:x + 3] = 1
        return g

    def f(g):
        out = g.copy()
        for o in P.objects(g, 0, False, True):
            if o.shape == (3, 3) and o.size == 8:
                out[o.top:o.top + 3, o.left:o.left + 3] = plus
        return out

    grids = [scene([(0, 0)], [(8, 1)]), scene([(5, 6)], [(0, 0), (10, 8)]), scene([(1, 7), (7, 1)], [(11, 5)])]
    info = TaskInfo.of(_task(grids, f))
    fins = learn_object_transform(grids[:2], [f(g) for g in grids[:2]], grids[2:], info)
    assert fins and "picture" in fins[0].name and np.array_equal(fins[0].fn(grids[2]), f(grids[2]))
    lone = [scene([(0, 0)], [(8, 1)]), scene([], [(0, 0), (10, 8)]), grids[2]]
    assert not [x for x in learn_object_transform(lone[:2], [f(g) for g in lone[:2]], lone[2:], info)
                if "picture" in x.name]


def test_nothing_learned_when_cells_outside_the_boxes_change():
    grids = [scattered(s) for s in range(3)]
    outs = [each_flipped(g) for g in grids]
    for o in outs:
        o[11, 11] = 7  # outside every object's box (the slots end at 10)
    assert learn_object_transform(grids[:2], outs[:2], grids[2:], TaskInfo.of(_task(grids, each_flipped))) == []


def test_a_halo_around_the_objects_of_one_colour():
    """Cells of colour 3 get a ring of 6 (background cells touching them, diagonals included), cells of 8
    a ring of 4, cells of 2 none: the change reaches beyond the objects' boxes."""
    def make(seed):
        rng = np.random.default_rng(seed)
        g = np.zeros((12, 12), np.uint8)
        for y, x in ((1, 1), (1, 7), (7, 1), (7, 7), (4, 4)):
            g[y + int(rng.integers(0, 2)), x + int(rng.integers(0, 2))] = rng.choice([2, 3, 8])
        return g

    def f(g):
        out = g.copy()
        for y, x in zip(*np.nonzero(g)):
            ring = {3: 6, 8: 4}.get(int(g[y, x]))
            if ring:
                box = out[max(0, y - 1):y + 2, max(0, x - 1):x + 2]
                box[box == 0] = ring
        return out

    grids = [make(s) for s in range(5)]
    task = _task(grids, f)
    fins = learn_object_transform([p.input for p in task.train], [p.output for p in task.train],
                                  [task.test[0].input], TaskInfo.of(task))
    assert fins and "halo 6" in fins[0].name and "halo 4" in fins[0].name
    assert np.array_equal(fins[0].fn(task.test[0].input), task.test[0].output)
