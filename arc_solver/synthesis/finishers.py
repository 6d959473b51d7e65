"""Learned finishing stages: built from the demonstrations at a search node, then applied to any grid."""
from __future__ import annotations

import itertools
from typing import Callable

import numpy as np

from .. import programs as P
from .program import Finish, GridFn
from .size import predict_size


def learn_exact(states, outputs, tests, info) -> Finish | None:
    if all(P.same_grid(s, o) for s, o in zip(states, outputs)):
        return Finish("exact", lambda g: g, 0.0)
    return None


def learn_colour_map(states, outputs, tests, info) -> Finish | None:
    if any(s.shape != o.shape for s, o in zip(states, outputs)):
        return None
    mapping = P.learn_colour_map(zip(states, outputs))
    if mapping is None or (mapping == np.arange(10)).all():
        return None
    seen = np.zeros(10, bool)
    for st in states:
        seen |= P.colour_counts(st) > 0
    cost = 0.5
    if any((~seen & (P.colour_counts(t) > 0)).any() for t in tests):
        # a test colour the demonstrations never mapped: it stays only when the demonstrations showed
        # colours staying (two at least: "swap 5 and 8, the rest stays"); else the map says nothing about it
        if (seen & (mapping == np.arange(10))).sum() < 2:
            return None
        cost = 0.8
    desc = ",".join(f"{c}>{mapping[c]}" for c in range(10) if mapping[c] != c)
    return Finish(f"colour_map({desc})", lambda g, m=mapping: m[g], cost)


def learn_blocks(states, outputs, tests, info) -> Finish | None:
    """Output = an ny x nx arrangement of transformed copies of the state (tiling, mirror tiling,
    rotated quadrants) or blank blocks; each block's transform learned from the demonstrations."""
    ratios = set()
    for s, o in zip(states, outputs):
        (sh, sw), (oh, ow) = s.shape, o.shape
        if oh % sh or ow % sw:
            return None
        ratios.add((oh // sh, ow // sw))
    if len(ratios) != 1:
        return None
    ny, nx = ratios.pop()
    if ny * nx == 1:
        return None
    square = all(s.shape[0] == s.shape[1] for s in states + tests)
    ds = range(8) if square else (0, 2, 5, 7)  # 5, 7 = up-down / left-right flips keep the shape
    choices: list[tuple[str, GridFn]] = [(f"d{d}", lambda g, d=d: P.dihedral(g, d)) for d in ds]
    choices.append(("blank", lambda g: np.zeros_like(g)))
    plan = []
    for i in range(ny):
        for j in range(nx):
            for name, fn in choices:
                ok = True
                for s, o in zip(states, outputs):
                    sh, sw = s.shape
                    t = fn(s)
                    if t.shape != (sh, sw) or not np.array_equal(t, o[i * sh:(i + 1) * sh, j * sw:(j + 1) * sw]):
                        ok = False
                        break
                if ok:
                    plan.append((name, fn))
                    break
            else:
                return None

    def build(g, plan=plan, ny=ny, nx=nx):
        h, w = g.shape
        out = np.zeros((ny * h, nx * w), np.uint8)
        for k, (_, fn) in enumerate(plan):
            t = fn(g)
            if t.shape != (h, w):
                return None
            i, j = divmod(k, nx)
            out[i * h:(i + 1) * h, j * w:(j + 1) * w] = t
        return out

    return Finish(f"blocks({ny}x{nx}:{','.join(n for n, _ in plan)})", build, 0.5)


def learn_fixed_crop(states, outputs, tests, info) -> Finish | None:
    """Output = the state's window of a fixed size at a fixed offset from one of its corners."""
    shapes = {o.shape for o in outputs}
    if len(shapes) != 1:
        return None
    h, w = shapes.pop()
    if any(s.shape[0] < h or s.shape[1] < w for s in states + tests) or all(s.shape == (h, w) for s in states):
        return None
    s0, o0 = states[0], outputs[0]
    # every window of the first state against its output at once
    hits = (np.lib.stride_tricks.sliding_window_view(s0, (h, w)) == o0).all(axis=(2, 3))
    for y, x in zip(*np.nonzero(hits)):
        y, x = int(y), int(x)
        for from_bottom in (False, True):
            for from_right in (False, True):
                dy = s0.shape[0] - h - y if from_bottom else y
                dx = s0.shape[1] - w - x if from_right else x

                def crop(g, dy=dy, dx=dx, fb=from_bottom, fr=from_right):
                    yy = g.shape[0] - h - dy if fb else dy
                    xx = g.shape[1] - w - dx if fr else dx
                    if yy < 0 or xx < 0 or yy + h > g.shape[0] or xx + w > g.shape[1]:
                        return None
                    return g[yy:yy + h, xx:xx + w]

                if all(np.array_equal(crop(s), o) for s, o in zip(states[1:], outputs[1:])) and \
                        all(crop(t) is not None for t in tests):
                    # a tiny window matches by chance far too easily: make it a last resort
                    return Finish(f"fixed_crop({h}x{w}@{'b' if from_bottom else 't'}{dy},"
                                  f"{'r' if from_right else 'l'}{dx})", crop, 1.0 if h * w > 2 else 2.5)
    return None


def learn_periodic_extend(states, outputs, tests, info) -> Finish | None:
    """Output = the state's repeating rows and columns continued to the output's size (predicted for
    the tests from the demonstrations' sizes), or its rows continued as a staircase (extend_shifted),
    then a colour map (017c7c7b-like 'continue the pattern')."""
    if all(s.shape == o.shape for s, o in zip(states, outputs)) or \
            any(o.shape[0] < s.shape[0] or o.shape[1] < s.shape[1] for s, o in zip(states, outputs)):
        return None  # (a grid made of whole tiles shrinks to one by the tile_unit step)
    for continued in (P.extend_periodic, P.extend_shifted):
        ext = []
        for s, o in zip(states, outputs):  # stops at the first state that does not continue
            ext.append(continued(s, *o.shape))
            if ext[-1] is None:
                break
        if ext[-1] is None:
            continue
        mapping = P.learn_colour_map(zip(ext, outputs))
        if mapping is not None:
            break
    else:
        return None
    sizes = [predict_size(states, outputs, t) for t in tests]
    if not all(sizes):
        return None
    known = {tuple(t.shape): s[0] for t, s in zip(tests, sizes)}
    by_shape = {tuple(s.shape): o.shape for s, o in zip(states, outputs)}

    def extend(g, mapping=mapping, continued=continued):
        # demonstrations keep their own sizes; any other grid gets the size predicted for its shape
        size = by_shape.get(tuple(g.shape)) or known.get(tuple(g.shape))
        if size is None:
            return None
        e = continued(g, *size)
        return None if e is None else mapping[e]

    return Finish("periodic_extend" if continued is P.extend_periodic else "staircase_extend", extend, 1.5)


def learn_cell_rule(states, outputs, tests, info, max_features: int = 2,
                    max_rules: int = 3) -> list[Finish]:
    """Each output cell = table[own colour, up to `max_features` context features of the cell]
    (programs.cell_features), the table read off the demonstrations. A feature set counts only if
    its table is consistent on every demonstration cell and covers every test cell; the simplest
    (fewest features, then smallest table) come first, one per distinct test prediction.
    A second, colour-blind form keys the table on "background or not" instead of the colour, and a
    cell's entry may be "keeps its colour": it carries a rule to colours the demonstrations never
    showed ("solid blocks stay, the noise goes")."""
    if any(s.shape != o.shape for s, o in zip(states, outputs)):
        return []
    X = np.concatenate([P.cell_features(s) for s in states])
    Y = np.concatenate([o.ravel() for o in outputs]).astype(np.int64)
    if (X[:, 0] == Y).all():
        return []
    T = [P.cell_features(t) for t in tests]
    n_feat = X.shape[1]
    subsets = [(a,) for a in range(1, n_feat)]
    if max_features >= 2:
        subsets += [(a, b) for a in range(1, n_feat) for b in range(a + 1, n_feat)]
    KEEP = 10  # table value of the colour-blind form: the cell keeps its colour

    def encode(F, sub, blind):
        key = (F[:, 0] != 0).astype(np.int64) if blind else F[:, 0].copy()
        for i, a in enumerate(sub):
            key += F[:, a] << (4 + 10 * i)
        return key

    def table(key: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """(sorted distinct keys, their targets), or None when a key has two targets."""
        both = np.sort(key * 16 + target)  # target < 16: one sort orders by key, then target
        k = both >> 4
        same = k[1:] == k[:-1]
        if (same & (both[1:] != both[:-1])).any():
            return None
        first = np.concatenate([[True], ~same])
        return k[first], both[first] & 15

    # Most feature sets conflict, and a conflict among a few cells is a conflict: a sample of the cells
    # (every changed one, and a spread of the rest) rejects most of them before the whole check.
    changed = np.nonzero(X[:, 0] != Y)[0]
    spread = np.arange(0, len(Y), max(1, len(Y) // 256))
    sample = np.union1d(changed[:: max(1, len(changed) // 256)], spread)
    Xs = X[sample]
    rules = []
    for blind in (False, True):
        target = np.where(Y == X[:, 0], KEEP, Y) if blind else Y
        passed = _screen(Xs, subsets, blind, target[sample])
        for sub, ok in zip(subsets, passed):
            if not ok:
                continue
            found = table(encode(X, sub, blind), target)
            if found is None:
                continue
            table_keys, table_vals = found
            if not all(np.isin(encode(F, sub, blind), table_keys).all() for F in T):
                continue
            rules.append((len(sub), blind, len(table_keys), sub, table_keys, table_vals))
    rules.sort(key=lambda r: r[:3])
    out, seen = [], set()
    for n, blind, size, sub, tk, tv in rules:
        def answer(F, shape, sub=sub, tk=tk, tv=tv, blind=blind):
            key = encode(F, sub, blind)
            idx = np.searchsorted(tk, key)
            idx = np.minimum(idx, len(tk) - 1)
            if (tk[idx] != key).any():
                return None
            v = tv[idx]
            return np.where(v == KEEP, F[:, 0], v).astype(np.uint8).reshape(shape)

        def rule(g, answer=answer):
            return answer(P.cell_features(g), g.shape)

        preds = tuple(answer(F, t.shape).tobytes() for F, t in zip(T, tests))  # the tests' features, once
        if preds in seen:
            continue
        seen.add(preds)
        names = ",".join(P.CELL_FEATURES[a] for a in sub)
        out.append(Finish(f"cell_rule({names}{',blind' if blind else ''})", rule,
                          1.5 + 0.5 * n + 0.2 * blind + 0.002 * size))
        if len(out) >= max_rules:
            break
    return out


def _screen(Xs: np.ndarray, subsets: list[tuple[int, ...]], blind: bool, target: np.ndarray) -> np.ndarray:
    """Per feature set, whether its table is consistent on the sampled cells: every set at once (one
    sort of a (sets, cells) array), the same keys as learn_cell_rule's encode."""
    base = (Xs[:, 0] != 0).astype(np.int64) if blind else Xs[:, 0].astype(np.int64)
    padded = np.concatenate([Xs, np.zeros((len(Xs), 1), Xs.dtype)], axis=1)  # column -1: a zero feature
    keys = base[None, :].repeat(len(subsets), axis=0)
    for j in range(max(len(sub) for sub in subsets)):
        cols = [sub[j] if j < len(sub) else -1 for sub in subsets]
        keys += padded[:, cols].T.astype(np.int64) << (4 + 10 * j)
    both = np.sort(keys * 16 + target, axis=1)
    k = both >> 4
    conflict = (k[:, 1:] == k[:, :-1]) & (both[:, 1:] != both[:, :-1])
    return ~conflict.any(axis=1)


def learn_constant(states, outputs, tests, info) -> Finish | None:
    o0 = outputs[0]
    if len(outputs) > 1 and all(o.shape == o0.shape and np.array_equal(o, o0) for o in outputs[1:]):
        return Finish("constant", lambda g, o=o0: o.copy(), 3.0)
    return None


def _non_bg(g: np.ndarray) -> np.ndarray:
    return g[g != P.most_common(g)]


# Whole-grid properties an output may be looked up by ("three colours -> this picture").
PROPERTIES: tuple[tuple[str, Callable[[np.ndarray], object]], ...] = (
    ("n_colours", lambda g: len(np.unique(_non_bg(g)))),
    ("n_objects", lambda g: P.label(g, -1, True, False)[1]),
    ("n_objects_by_colour", lambda g: P.label(g, -1, False, True)[1]),
    ("main_colour", lambda g: int(np.bincount(_non_bg(g), minlength=10).argmax()) if _non_bg(g).size else -1),
    ("n_cells", lambda g: int(_non_bg(g).size)),
    ("shape", lambda g: g.shape),
    ("symmetric", lambda g: (P.is_symmetric(g, "lr"), P.is_symmetric(g, "ud"))),
    # the picture the non-background cells draw, whatever their colour ("this shape means blue")
    ("pattern", lambda g: (g.shape, (g != P.most_common(g)).tobytes())),
)


def _copy(g: np.ndarray | None) -> np.ndarray | None:
    return None if g is None else g.copy()


def learn_lookup(states, outputs, tests, info) -> list[Finish]:
    """Output = the demonstration output whose input shares a property with the grid. Needs the
    demonstrations to repeat a value with the same output (else any property would 'fit')."""
    out = []
    for name, prop in PROPERTIES:
        table: dict = {}
        for s, o in zip(states, outputs):
            v = prop(s)
            if v in table and not (table[v].shape == o.shape and np.array_equal(table[v], o)):
                break
            table[v] = o
        else:
            if 1 < len(table) < len(states) and all(prop(t) in table for t in tests):
                out.append(Finish(f"lookup({name})", lambda g, p=prop, t=table: _copy(t.get(p(g))), 2.5))
    return out


def learn_part_transforms(states, outputs, tests, info) -> Finish | None:
    """A grid cut by separator lines into equal parts, one of which (picked as select_part picks) is the
    source: each part of the output is the source turned or mirrored, one way per part, or left as it
    was ("the other panels are the first one turned a quarter and a half")."""
    if any(s.shape != o.shape for s, o in zip(states, outputs)):
        return None
    boxes = [P.part_boxes(s) for s in states]
    if any(b is None or len(b) != len(boxes[0]) for b in boxes):
        return None
    for how in P.PART_SELECTORS:
        src = [P.pick_part(s, b, how) for s, b in zip(states, boxes)]
        if any(i is None for i in src):
            continue
        plan = []
        for k in range(len(boxes[0])):
            for d in [-1] + list(range(8)):  # -1: the part stays as it was
                if all(np.array_equal(o[y0:y1, x0:x1], s[y0:y1, x0:x1] if d < 0 else
                                      _turned(s, b[i], d, (y1 - y0, x1 - x0)))
                       for s, o, b, i in zip(states, outputs, boxes, src) for y0, y1, x0, x1 in [b[k]]):
                    plan.append(d)
                    break
            else:
                break
        else:
            if all(d == -1 for d in plan):
                return None

            def build(g, how=how, plan=tuple(plan)):
                b = P.part_boxes(g)
                i = None if b is None or len(b) != len(plan) else P.pick_part(g, b, how)
                if i is None:
                    return None
                out = g.copy()
                for (y0, y1, x0, x1), d in zip(b, plan):
                    if d >= 0:
                        t = _turned(g, b[i], d, (y1 - y0, x1 - x0))
                        if t is None:
                            return None
                        out[y0:y1, x0:x1] = t
                return out

            return Finish(f"part_transforms({how}:{','.join(map(str, plan))})", build, 1.5)
    return None


def _turned(g: np.ndarray, box: tuple[int, int, int, int], d: int, shape: tuple[int, int]) -> np.ndarray | None:
    y0, y1, x0, x1 = box
    t = P.dihedral(g[y0:y1, x0:x1], d)
    return t if t.shape == shape else None


def learn_part_fill(states, outputs, tests, info) -> Finish | None:
    """A grid cut by separator lines into equal parts: the parts holding the most (or fewest, of those not
    empty) non-background cells are filled with their main colour, every other part emptied ("the
    panel with the most dots wins")."""
    if any(s.shape != o.shape for s, o in zip(states, outputs)):
        return None
    for most in (True, False):
        def build(g, most=most):
            boxes = P.part_boxes(g)
            if boxes is None:
                return None
            b = P.most_common(g)
            parts = [g[y0:y1, x0:x1] for y0, y1, x0, x1 in boxes]
            counts = [int((q != b).sum()) for q in parts]
            pick = max(counts) if most else min([c for c in counts if c] or [0])
            if pick == 0:
                return None
            out = g.copy()
            for (y0, y1, x0, x1), q, c in zip(boxes, parts, counts):
                out[y0:y1, x0:x1] = np.bincount(q[q != b], minlength=10).argmax() if c == pick else b
            return out

        if all((r := build(s)) is not None and np.array_equal(r, o) for s, o in zip(states, outputs)):
            return Finish(f"part_fill({'most' if most else 'fewest'})", build, 1.5)
    return None


def learn_elbow(states, outputs, tests, info) -> list[Finish]:
    """An elbow path (programs.elbow) between the lone cells of two colours, in the one colour every changed
    cell takes: which two colours, which of them the path leaves along its row, and the paint, read off
    the demonstrations."""
    if any(s.shape != o.shape for s, o in zip(states, outputs)):
        return []
    paints = set()
    for s, o in zip(states, outputs):
        changed = s != o
        paints |= {int(c) for c in np.unique(o[changed])}
        if not changed.any() or len(paints) > 1:
            return []
    paint = paints.pop()
    lone = [c for c in range(10) if all(np.count_nonzero(g == c) == 1 for g in states + tests)]
    out = []
    for a, b in itertools.permutations(lone, 2):
        for bg in info.bgs:
            def fn(g, a=a, b=b, bg=bg):
                return P.elbow(g, a, b, paint, bg)
            if all((r := fn(s)) is not None and P.same_grid(r, o) for s, o in zip(states, outputs)):
                out.append(Finish(f"elbow({a},{b},{paint}{',bg=auto' if bg == -1 else ''})", fn, 1.0))
                break
    return out
