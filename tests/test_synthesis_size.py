"""Output-size prediction from the demonstrations' size relations, against sizes worked out by hand."""
from types import SimpleNamespace

import numpy as np

from arc_solver.synthesis.size import predict_size, size_first


def blank(h, w, seed=0):
    g = np.zeros((h, w), np.uint8)
    g[np.random.default_rng(seed).random((h, w)) < 0.2] = 3
    return g


def test_same_size_and_constant_and_scaled():
    ins = [blank(3, 4), blank(5, 2), blank(6, 6)]
    assert predict_size(ins[:2], ins[:2], ins[2])[0] == (6, 6)  # same as the input
    const = [np.zeros((3, 3), np.uint8)] * 2
    assert predict_size(ins[:2], const, ins[2]) == ((3, 3), "3 x 3")
    doubled = [np.zeros((2 * g.shape[0], 3 * g.shape[1]), np.uint8) for g in ins[:2]]
    assert predict_size(ins[:2], doubled, ins[2]) == ((12, 18), "2*height x 3*width")
    transposed = [np.zeros(g.shape[::-1], np.uint8) for g in ins[:2]]
    assert predict_size(ins[:2], transposed, blank(4, 7))[0] == (7, 4)
    padded = [np.zeros((g.shape[0] + 2, g.shape[1] + 2), np.uint8) for g in ins[:2]]
    assert predict_size(ins[:2], padded, blank(4, 7))[0] == (6, 9)


def test_size_from_the_content_and_from_counts():
    def scene(h, w, y, x, bh, bw, n_dots):
        g = np.zeros((h, w), np.uint8)
        g[y:y + bh, x:x + bw] = 2
        for k in range(n_dots):
            g[h - 1, 2 * k] = 5
        return g
    a, b, t = scene(10, 10, 1, 1, 3, 4, 0), scene(12, 9, 2, 3, 2, 5, 0), scene(11, 11, 4, 2, 5, 3, 0)
    crops = [np.zeros((3, 4), np.uint8), np.zeros((2, 5), np.uint8)]
    assert predict_size([a, b], crops, t)[0] == (5, 3)  # the content's box
    # the block spans the same columns as the dots: only the object count tells the widths apart
    a, b, t = scene(10, 10, 1, 0, 3, 7, 2), scene(12, 12, 2, 0, 2, 7, 3), scene(11, 11, 4, 0, 5, 7, 4)
    row_of_objects = [np.zeros((1, 3), np.uint8), np.zeros((1, 4), np.uint8)]
    assert predict_size([a, b], row_of_objects, t)[0] == (1, 5)  # one cell per object


def test_no_prediction_from_one_demonstration_or_without_a_rule():
    g = blank(3, 3)
    assert predict_size([g], [np.zeros((7, 1), np.uint8)], g) is None
    odd = [np.zeros((5, 5), np.uint8), np.zeros((2, 9), np.uint8)]
    assert predict_size([blank(3, 3), blank(3, 3, 1)], odd, g) is None


def test_programs_with_the_predicted_size_come_first():
    a, b, c = (SimpleNamespace(predictions=(np.zeros(shape, np.uint8),)) for shape in ((3, 3), (4, 2), (4, 2)))
    none = SimpleNamespace(predictions=(None,))
    assert size_first([a, b, none, c], [((4, 2), "rule")]) == [b, none, c, a]
    assert size_first([a, b], [None]) == [a, b]  # no prediction: order unchanged
