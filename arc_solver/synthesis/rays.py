"""Rays per colour, learned from the demonstrations: each colour its own directions and where its rays
start (programs.colour_rays), and which colour's ray lies on top where two cross.

A (colour, direction) is taken when, in every demonstration, every cell its rays would paint is painted
in the output and some of them in its own colour; the first start mode that qualifies wins (a ray from an
object's leading cells is the narrowest reading). Colours whose rays differ must each show theirs in two
demonstrations. Where rays of two colours cross, the colour the output shows there beats the other; those
wins, free of cycles, give the painting order.

    .venv/bin/python -m pytest tests/test_synthesis_rays.py -q
"""
from __future__ import annotations

import numpy as np

from .. import programs as P
from .program import Finish, TaskInfo

MAX_COLOURS = 6  # colours with rays; more is a picture, not a few kinds of marker


def learn_ray_rules(states: list[np.ndarray], outputs: list[np.ndarray], bg: int
                    ) -> tuple[dict[int, tuple[tuple[int, int, str], ...]], tuple[int, ...]] | None:
    """(rules, order) for programs.colour_rays, or None when the outputs are not the states with rays
    added: another shape, a changed non-background cell, no change at all, or crossings in a cycle."""
    if any(s.shape != o.shape for s, o in zip(states, outputs)):
        return None
    changed = [s != o for s, o in zip(states, outputs)]
    if not any(c.any() for c in changed) or any((c & (s != bg)).any() for c, s in zip(changed, states)):
        return None
    colours = sorted({int(c) for s in states for c in np.unique(s)} - {bg})
    labels = [P.ray_labels(s, bg) for s in states]
    rules: dict[int, tuple[tuple[int, int, str], ...]] = {}
    shown: dict[int, set[int]] = {}  # the demonstrations where each colour's rays paint its colour
    for c in colours:
        if not any((o[ch] == c).any() for o, ch in zip(outputs, changed)):
            continue  # no cell turned this colour: it shoots nothing
        taken = []
        for dy, dx in P.DIRECTIONS8:
            for mode in P.RAY_MODES:
                masks = [P.ray_mask(s, c, dy, dx, mode, bg, lab) for s, lab in zip(states, labels)]
                if not all((o[m] != bg).all() for o, m in zip(outputs, masks)):
                    break  # a ray over a cell left empty: the wider modes cover it too
                hits = {i for i, (o, m) in enumerate(zip(outputs, masks)) if (o[m] == c).any()}
                if hits:
                    taken.append((dy, dx, mode))
                    shown.setdefault(c, set()).update(hits)
                    break
        if taken:
            rules[c] = tuple(taken)
    if not rules or len(rules) > MAX_COLOURS:
        return None
    if len(set(rules.values())) > 1 and any(len(d) < 2 for d in shown.values()):
        # colours with rays of their own, one of them seen in one demonstration only: its directions are
        # whatever that picture happened to allow (the rows of a lattice joined looked like four rays)
        return None
    # where rays of two colours cross, the output's colour beats the other's
    beats = np.zeros((10, 10), bool)
    for s, o, lab in zip(states, outputs, labels):
        painted = {c: np.logical_or.reduce([P.ray_mask(s, c, dy, dx, m, bg, lab) for dy, dx, m in r])
                   for c, r in rules.items()}
        for w in rules:
            for c in rules:
                if w != c and (painted[w] & painted[c] & (o == w)).any():
                    beats[w, c] = True
    for k in range(10):  # transitive closure
        beats |= beats[:, k:k + 1] & beats[k:k + 1, :]
    if beats.diagonal().any():
        return None
    order = tuple(sorted(rules, key=lambda c: int(beats[c].sum())))  # beating fewer: painted first, below
    return rules, order


def learn_colour_rays(states: list[np.ndarray], outputs: list[np.ndarray], tests: list[np.ndarray],
                      info: TaskInfo) -> list[Finish]:
    """The finishing stage "rays per colour" for each background choice whose demonstrations it explains
    (learn_ray_rules) and that answers every test input."""
    out: list[Finish] = []
    for b in info.bgs:
        bg = P.most_common(states[0]) if b == -1 else b
        if b == -1 and any(P.most_common(g) != bg for g in states + tests):
            continue  # the rules name colours: one background across the task
        got = learn_ray_rules(states, outputs, bg)
        if got is None:
            continue
        rules, order = got
        known = {int(c) for s in states for c in np.unique(s)}
        # one shared set of rays: a colour the demonstrations never showed shoots the same
        shared = rules[order[0]] if len(set(rules.values())) == 1 and len(rules) == len(known - {bg}) else None

        def fn(g, rules=rules, order=order, bg=bg, known=known, shared=shared):
            new = [int(c) for c in np.unique(g) if int(c) not in known]
            if new and shared is None:
                return None  # an unseen colour, and nothing says what it does
            return P.colour_rays(g, {**rules, **{c: shared for c in new}}, tuple(new) + order, bg)
        if any(fn(t) is None for t in tests):
            continue
        name = ";".join(f"{c}:" + ",".join(f"{dy}{dx}{m[0]}" for dy, dx, m in rules[c]) for c in order)
        out.append(Finish(f"colour_rays({name}{',bg=auto' if b == -1 else ''})", fn, 0.5))
    return out
