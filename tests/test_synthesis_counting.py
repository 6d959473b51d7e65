"""Counting: small pictures sized by a count of the input, and pictures painted in colours read off the
input, on hand-made tasks."""
import numpy as np

from arc_solver import programs as P
from arc_solver import synthesis as S
from arc_solver.synthesis.counting import (LAYOUTS, _layout, _named_colours, learn_bar_chart, learn_colour_list,
                                          learn_colour_template, learn_count_picture, learn_object_sequence)
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


def ringed_task(seed: int) -> np.ndarray:
    """Noise of three colours and one 3x3 ring of one colour around a cell of another."""
    rng = np.random.default_rng(seed)
    ring, middle = (int(c) for c in rng.permutation([1, 2, 3, 4])[:2])
    g = np.where(rng.random((9, 9)) < 0.15, rng.integers(1, 5, (9, 9)), 0).astype(np.uint8)
    y, x = (int(v) for v in rng.integers(0, 6, 2))
    g[y:y + 3, x:x + 3] = ring
    g[y + 1, x + 1] = middle
    return g


def test_named_colours_by_hand():
    g = np.zeros((7, 7), np.uint8)
    g[0:3, 0:3] = 5
    g[1, 1] = 2  # ringed by 5
    g[5, 0:4] = 3
    g[6, 6] = 2
    named = _named_colours(g, 0)
    assert named["most_cells[0]"] == 5 and named["largest_object"] == 5
    assert named["ringed"] == 2
    assert named["top_to_bottom[0]"] == 5 and named["left_to_right[-1]"] == 2
    assert named["fewest_cells[0]"] == 2  # 2 cells, against 3's 4 and 5's 8
    assert named["around_rarest"] == 5  # one of 2's cells lies in the 5s
    g[5, 2:4] = 0  # now 3 has as few cells as 2: "the rarest" names neither
    assert "fewest_cells[0]" not in _named_colours(g, 0)


def test_colour_template_paints_a_fixed_picture_in_colours_read_off_the_input():
    # a 2x2 picture: its top row the ringed cell's colour, its bottom row 7 (fixed)
    grids = [ringed_task(s) for s in range(4)]

    def rule(g):
        out = np.full((2, 2), 7, np.uint8)
        out[0] = _named_colours(g, 0)["ringed"]
        return out

    ins, outs = grids[:3], [rule(g) for g in grids[:3]]
    task = Task("t", tuple(Pair(a, b) for a, b in zip(ins, outs)), (Pair(grids[3], rule(grids[3])),))
    fins = learn_colour_template(ins, outs, [grids[3]], TaskInfo.of(task))
    assert fins and fins[0].name.startswith("colour_template(ringed,7")
    assert np.array_equal(fins[0].fn(grids[3]), rule(grids[3]))
    # outputs of different pictures, or all alike, are no template
    assert learn_colour_template(ins, [outs[0], outs[1], np.eye(2, dtype=np.uint8)], [], TaskInfo.of(task)) == []
    assert learn_colour_template(ins, [outs[0]] * 3, [], TaskInfo.of(task)) == []


def test_colour_list_of_stripes_follows_their_direction():
    def stripes(colours, across, seed):
        rng = np.random.default_rng(seed)
        widths = rng.integers(2, 4, len(colours))
        band = np.repeat(np.array(colours, np.uint8), widths)
        g = np.tile(band, (5, 1)) if across else np.tile(band[:, None], (1, 5))
        return g

    ins = [stripes([4, 2, 8], True, 0), stripes([2, 8, 5], False, 1), stripes([6, 4, 2, 3], False, 2)]
    outs = [np.array([[4, 2, 8]], np.uint8), np.array([[2], [8], [5]], np.uint8),
            np.array([[6], [4], [2], [3]], np.uint8)]
    test = stripes([1, 7], True, 3)
    task = Task("t", tuple(Pair(a, b) for a, b in zip(ins, outs)), (Pair(test, np.array([[1, 7]], np.uint8)),))
    fins = learn_colour_list(ins, outs, [test], TaskInfo.of(task))
    assert fins and fins[0].name == "colour_list(stripes)"
    assert np.array_equal(fins[0].fn(test), [[1, 7]])


def test_layouts_against_a_plain_walk():
    for h, w in ((1, 4), (3, 3), (2, 5), (4, 2)):
        walk = {"rows": [], "snake_rows": [], "columns": [], "snake_columns": []}
        for y in range(h):
            xs = range(w) if y % 2 == 0 else range(w - 1, -1, -1)
            walk["rows"] += [(y, x) for x in range(w)]
            walk["snake_rows"] += [(y, x) for x in xs]
        for x in range(w):
            ys = range(h) if x % 2 == 0 else range(h - 1, -1, -1)
            walk["columns"] += [(y, x) for y in range(h)]
            walk["snake_columns"] += [(y, x) for y in ys]
        for how in LAYOUTS:
            assert _layout(h, w, how) == walk[how], (h, w, how)


def test_object_sequence_reads_dots_across_into_a_snake():
    def dots(seed):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(4, 10))
        g = np.zeros((10, 18), np.uint8)
        xs = 2 * rng.permutation(9)[:n]  # one dot per even column: apart, read in the columns' order
        for x in xs:
            g[rng.integers(0, 10), x] = rng.integers(1, 10)
        order = [int(g[:, x].max()) for x in sorted(xs)]
        out = np.zeros((3, 3), np.uint8)
        for k, c in enumerate(order):
            y, x = divmod(k, 3)
            out[y, x if y % 2 == 0 else 2 - x] = c
        return g, out

    pairs = [dots(s) for s in range(4)]
    ins, outs = [p[0] for p in pairs], [p[1] for p in pairs]
    task = Task("t", tuple(Pair(a, b) for a, b in pairs[:3]), (Pair(ins[3], outs[3]),))
    fins = learn_object_sequence(ins[:3], outs[:3], [ins[3]], TaskInfo.of(task))
    assert fins and fins[0].name == "object_sequence(column,snake_rows)"
    assert np.array_equal(fins[0].fn(ins[3]), outs[3])
    turned = learn_object_sequence(ins[:3], [np.rot90(o) for o in outs[:3]], [ins[3]], TaskInfo.of(task))
    assert all(f.name != "object_sequence(column,snake_rows)" for f in turned)


def test_bar_chart_of_colour_counts_against_a_plain_tally():
    rng = np.random.default_rng(8)

    def pair(seed):
        r = np.random.default_rng(seed)
        colours = r.permutation(np.arange(1, 10))[:3]
        counts = r.permutation([1, 2, 3, 4, 5, 6])[:3]  # distinct: the order is the counts'
        cells = np.repeat(colours, counts)
        g = np.zeros(16, np.uint8)
        g[r.permutation(16)[:len(cells)]] = cells
        g = g.reshape(4, 4)
        tally = {int(c): int((g == c).sum()) for c in colours}
        order = sorted(tally, key=lambda c: -tally[c])
        out = np.zeros((max(tally.values()), 3), np.uint8)
        for x, c in enumerate(order):
            out[:tally[c], x] = c
        return g, out

    pairs = [pair(int(s)) for s in rng.integers(0, 10_000, 4)]
    ins, outs = [p[0] for p in pairs], [p[1] for p in pairs]
    task = Task("t", tuple(Pair(a, b) for a, b in pairs[:3]), (Pair(ins[3], outs[3]),))
    fins = learn_bar_chart(ins[:3], outs[:3], [ins[3]], TaskInfo.of(task))
    assert fins and fins[0].name == "bar_chart(colour_cells)"
    assert np.array_equal(fins[0].fn(ins[3]), outs[3])
    across = learn_bar_chart(ins[:3], [o.T.copy() for o in outs[:3]], [ins[3]], TaskInfo.of(task))
    assert across and across[0].name == "bar_chart(colour_cells,rows)"


def test_bar_chart_of_the_largest_objects():
    g = np.zeros((8, 8), np.uint8)
    g[0, 0:3] = 4  # three objects of 3 cells, one of 2
    g[3:6, 7] = 6
    g[7, 2:5] = 8
    g[4, 2:4] = 1
    fins = learn_bar_chart([g], [np.array([[4, 8, 6]] * 3, np.uint8)], [g], TaskInfo.of(Task("t", (Pair(g, g),), ())))
    assert fins and fins[0].name == "bar_chart(largest_objects)"
