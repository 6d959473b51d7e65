"""Colour primitives on hand-made grids."""
from arc_solver import programs as P
from grid_helpers import G, eq


def test_colour_primitives():
    g = G([[0, 1, 2], [2, 2, 0]])
    assert eq(P.keep_colour(g, 2), [[0, 0, 2], [2, 2, 0]])
    assert eq(P.remove_colour(g, 2), [[0, 1, 0], [0, 0, 0]])
    assert P.ranked_colour(g, 0) == 2 and P.ranked_colour(g, -1) == 1
    assert eq(P.colour_pixel(g, 0), [[2]])
    assert P.colour_pixel(G([[1, 2]]), 0) is None  # tie
    assert eq(P.recolour_nonbg(g, -1), [[0, 1, 1], [1, 1, 0]])


def test_learn_colour_map():
    a, b = G([[1, 2], [0, 1]]), G([[3, 2], [0, 3]])
    m = P.learn_colour_map([(a, b)])
    assert eq(P.apply_colour_map(G([[1, 5]]), m), [[3, 5]])  # unseen 5 stays
    assert P.learn_colour_map([(a, G([[3, 2], [0, 4]]))]) is None  # 1 -> 3 and 1 -> 4
    assert P.learn_colour_map([(a, G([[1]]))]) is None


def test_line_majority_by_hand_and_along_the_stripes():
    g = G([[1, 1, 2, 1],
           [3, 3, 3, 4],
           [5, 6, 5, 5]])
    assert eq(P.line_majority(g, 0), [[1, 1, 1, 1], [3, 3, 3, 3], [5, 5, 5, 5]])
    stripes = G([[1, 2, 3], [1, 2, 3], [1, 7, 3], [4, 2, 3]])  # vertical stripes with two noisy cells
    assert eq(P.line_majority(stripes, -1), [[1, 2, 3]] * 4)
    assert P.line_majority(G([[1, 1], [2, 2]]), 0) is None  # nothing to change
