import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from arc_solver.views import (SWAPS, View, apply_view, dihedral, dihedral_shape, invert_view,
                              inverse_dihedral, sample_views)


def random_perm(rng) -> tuple[int, ...]:
    return (0, *(int(x) + 1 for x in rng.permutation(9)))


def test_dihedral_matches_documented_table():
    g = np.arange(12, dtype=np.uint8).reshape(3, 4)
    h, w = g.shape
    table = {
        0: lambda i, j: g[i, j],
        1: lambda i, j: g[j, w - 1 - i],
        2: lambda i, j: g[h - 1 - i, w - 1 - j],
        3: lambda i, j: g[h - 1 - j, i],
        4: lambda i, j: g[j, i],
        5: lambda i, j: g[h - 1 - i, j],
        6: lambda i, j: g[h - 1 - j, w - 1 - i],
        7: lambda i, j: g[i, w - 1 - j],
    }
    for d, cell in table.items():
        t = dihedral(g, d)
        assert t.shape == dihedral_shape(h, w, d) == ((w, h) if d in SWAPS else (h, w))
        assert all(t[i, j] == cell(i, j) for i in range(t.shape[0]) for j in range(t.shape[1]))
        expected = np.rot90(g, d) if d < 4 else np.rot90(g.T, d - 4)
        assert np.array_equal(t, expected)
    # An asymmetric grid has 8 distinct images.
    assert len({dihedral(g, d).tobytes() + bytes(dihedral(g, d).shape) for d in range(8)}) == 8


def test_inverse_dihedral_every_shape():
    rng = np.random.default_rng(0)
    assert [inverse_dihedral(d) for d in range(8)] == [0, 3, 2, 1, 4, 5, 6, 7]
    for h in range(1, 31):
        for w in range(1, 31):
            g = rng.integers(0, 10, (h, w), dtype=np.uint8)
            for d in range(8):
                assert np.array_equal(dihedral(dihedral(g, d), inverse_dihedral(d)), g)


def test_invert_apply_every_view_every_shape():
    rng = np.random.default_rng(1)
    for h in range(1, 31):
        for w in range(1, 31):
            g = rng.integers(0, 10, (h, w), dtype=np.uint8)
            for d in range(8):
                v = View(d, random_perm(rng))
                t = apply_view(g, v)
                assert t.shape == v.shape(h, w)
                assert np.array_equal(invert_view(t, v), g)


def test_apply_view_permutes_colours_after_dihedral():
    g = np.array([[0, 1], [2, 3]], np.uint8)
    v = View(7, (0, 9, 8, 7, 6, 5, 4, 3, 2, 1))
    assert apply_view(g, v).tolist() == [[9, 0], [7, 8]]
    assert View.identity() == View(0, tuple(range(10)), (0, 0))
    assert apply_view(g, View.identity()).tolist() == g.tolist()


def test_view_validation_and_normalisation():
    with pytest.raises(ValueError):
        View(8)
    with pytest.raises(ValueError):
        View(0, (1, 0, 2, 3, 4, 5, 6, 7, 8, 9))  # 0 must stay 0
    with pytest.raises(ValueError):
        View(0, (0, 1, 1, 3, 4, 5, 6, 7, 8, 9))
    with pytest.raises(ValueError):
        View(0, offset=(-1, 0))
    a = View(np.int64(3), np.arange(10), (np.int32(1), 2))
    assert a == View(3, tuple(range(10)), (1, 2)) and hash(a) == hash(View(3, tuple(range(10)), (1, 2)))
    assert View(0, (0, 2, 3, 1, 4, 5, 6, 7, 8, 9)).inverse_perm == (0, 3, 1, 2, 4, 5, 6, 7, 8, 9)


def test_sample_views_distinct_identity_first_deterministic():
    views = sample_views(200, np.random.default_rng(5))
    assert views[0] == View.identity() and len(views) == 200 and len(set(views)) == 200
    assert views == sample_views(200, np.random.default_rng(5))
    assert {v.dihedral for v in views} == set(range(8))
    assert all(v.offset == (0, 0) and v.perm[0] == 0 for v in views)
    assert sample_views(0, np.random.default_rng(0)) == []


def test_sample_views_without_colours():
    views = sample_views(8, np.random.default_rng(0), permute_colours=False)
    assert sorted(v.dihedral for v in views) == list(range(8))
    assert all(v.perm == tuple(range(10)) for v in views)
    with pytest.raises(ValueError):
        sample_views(9, np.random.default_rng(0), permute_colours=False)
    with pytest.raises(ValueError):
        sample_views(3, np.random.default_rng(0), translate=True)  # needs max_shape


@settings(max_examples=50, deadline=None)
@given(h=st.integers(1, 30), w=st.integers(1, 30), seed=st.integers(0, 2**31))
def test_sample_views_translation_fits_canvas(h, w, seed):
    views = sample_views(20, np.random.default_rng(seed), translate=True, max_shape=(h, w))
    assert views[0] == View.identity() and len(set(views)) == 20
    for v in views:
        hh, ww = v.shape(h, w)
        oy, ox = v.offset
        # grid + EOS fits, or the grid fills the side and sits at 0
        assert (oy + hh + 1 <= 30) or (hh == 30 and oy == 0)
        assert (ox + ww + 1 <= 30) or (ww == 30 and ox == 0)
