import re

import numpy as np
import pytest
from matplotlib.figure import Figure

from arc_solver import pictures
from arc_solver.tasks import Pair, Task

PALETTE_HEX = ("#000000", "#0074D9", "#FF4136", "#2ECC40", "#FFDC00",
               "#AAAAAA", "#F012BE", "#FF851B", "#7FDBFF", "#870C25")


def g(rows) -> np.ndarray:
    return np.array(rows, dtype=np.uint8)


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def make_task(task_id="flip", n_tests=1, known=True) -> Task:
    """Horizontal flip; test truths known unless `known` is False."""
    train = tuple(Pair(x, x[:, ::-1].copy()) for x in (g([[1, 2, 0]]), g([[3, 0], [0, 4]])))
    tests = [g([[5, 6, 7], [0, 8, 9]]), g([[1, 1, 2]])][:n_tests]
    return Task(task_id, train, tuple(Pair(x, x[:, ::-1].copy() if known else None) for x in tests))


@pytest.mark.parametrize("cell_px", [1, 2, 3, 10])
def test_render_grid_cell_centres_are_exact_palette_colours(cell_px):
    grid = np.arange(10, dtype=np.uint8).reshape(2, 5)
    img = pictures.render_grid(grid, cell_px=cell_px)
    assert img.dtype == np.uint8 and img.shape[2] == 3
    lines = cell_px >= 3
    assert img.shape[:2] == (2 * cell_px + lines, 5 * cell_px + lines)
    for (r, c), colour in np.ndenumerate(grid):
        y, x = r * cell_px + cell_px // 2, c * cell_px + cell_px // 2
        assert tuple(img[y, x]) == rgb(PALETTE_HEX[colour]), (r, c, colour)
    if lines:  # thin grey border lines, identical all round
        assert (img[0] == img[0, 0]).all() and (img[:, -1] == img[0, 0]).all()
        assert tuple(img[0, 0]) not in {rgb(h) for h in PALETTE_HEX}


def test_render_grid_random_grid_matches_palette_lookup():
    rng = np.random.default_rng(0)
    grid = rng.integers(0, 10, size=(30, 17), dtype=np.uint8)
    img = pictures.render_grid(grid, cell_px=1)
    expected = np.array([rgb(h) for h in PALETTE_HEX], dtype=np.uint8)[grid]
    assert np.array_equal(img, expected)


def test_draw_task_axes_titles_and_png(tmp_path):
    task = make_task(n_tests=1)
    truth = task.test[0].output
    wrong = truth.copy()
    wrong[0, 0] = 3
    wrong[1, 2] = 3
    fig = pictures.draw_task(task, attempts=[[wrong, truth]], title="hand-made")
    assert isinstance(fig, Figure)
    # 2 demonstration pairs x 2 + test input + truth + 2 attempts
    assert len(fig.axes) == 2 * 2 + 1 + 1 + 2
    titles = [ax.get_title() for ax in fig.axes]
    assert "attempt 1: wrong (2 cells)" in titles
    assert "attempt 2: solved" in titles
    # Each differing cell is marked on the wrong attempt (two rectangles each: halo + red).
    wrong_ax = fig.axes[titles.index("attempt 1: wrong (2 cells)")]
    assert len(wrong_ax.patches) == 2 * 2
    marked = {(int(p.get_y()), int(p.get_x())) for p in wrong_ax.patches}  # (row, col) of each mark
    assert marked == {(0, 0), (1, 2)}
    assert len(fig.axes[titles.index("attempt 2: solved")].patches) == 0
    assert "solved" in fig._suptitle.get_text()

    path = pictures.save_task_picture(task, tmp_path / "sub" / "flip.png", attempts=[[wrong, truth]])
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000
    assert [p.name for p in path.parent.iterdir()] == ["flip.png"]  # no temp file left behind


def test_draw_task_without_attempts_or_truth():
    task = make_task(n_tests=2, known=False)
    assert len(pictures.draw_task(task).axes) == 4 + 2  # inputs only
    fig = pictures.draw_task(task, attempts=[[task.test[0].input, None]])  # 2nd test has no entry
    assert len(fig.axes) == 4 + 2 * 3
    titles = [ax.get_title() for ax in fig.axes]
    assert titles.count("attempt 2: missing") == 2 and "attempt 1: missing" in titles


def test_draw_task_wrong_shape_and_malformed_attempts():
    task = make_task()
    fig = pictures.draw_task(task, attempts=[[np.zeros((5, 5), np.uint8), [[1, 2], [3]]]])
    titles = [ax.get_title() for ax in fig.axes]
    assert "attempt 1: wrong shape 5x5" in titles and "attempt 2: wrong" in titles


def test_gallery_index_names_every_task_with_its_status(tmp_path):
    a = make_task("aaa", n_tests=2)  # both outputs solved (one by attempt_2)
    b = make_task("bbb", n_tests=2)  # one of two solved -> unsolved
    c = make_task("ccc")  # missing from the submission -> unsolved, drawn without attempts
    d = make_task("ddd", known=False)  # truth unknown
    lst = lambda x: x.tolist()  # noqa: E731
    zero = [[0]]
    sub = {
        "aaa": [{"attempt_1": lst(a.test[0].output), "attempt_2": zero},
                {"attempt_1": zero, "attempt_2": lst(a.test[1].output)}],
        "bbb": [{"attempt_1": lst(b.test[0].output), "attempt_2": zero},
                {"attempt_1": zero, "attempt_2": zero}],
        "ddd": [{"attempt_1": zero, "attempt_2": zero}],
    }
    scores = {"headline": "task_score", "task_score": 0.375, "output_score": 0.5, "all_correct": 0.25,
              "n_tasks": 4}
    index = pictures.gallery([a, b, c, d], sub, tmp_path / "gal", scores=scores)
    assert index == tmp_path / "gal" / "index.html"
    text = index.read_text()
    for tid in "aaa", "bbb", "ccc", "ddd":
        assert (tmp_path / "gal" / f"{tid}.png").stat().st_size > 1000
    status = dict(re.findall(r"<tr id='row-(\w+)'>.*?<td class='(\w+)'>", text))
    assert status == {"aaa": "solved", "bbb": "unsolved", "ccc": "unsolved", "ddd": "unknown"}
    assert "(no prediction)" in text.split("row-ccc")[1].split("</tr>")[0]
    for key in scores:
        assert key in text
    assert "37.50%" in text

    # max_tasks: only the first are drawn, the index still names every task.
    index = pictures.gallery([a, b, c, d], sub, tmp_path / "small", max_tasks=1)
    assert sorted(p.name for p in (tmp_path / "small").glob("*.png")) == ["aaa.png"]
    assert all(f"row-{tid}" in index.read_text() for tid in ("aaa", "bbb", "ccc", "ddd"))
