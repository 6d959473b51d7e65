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
