"""Parts stacked by a colour precedence learned from the demonstrations.

"Lay the four quadrants on top of each other; where they overlap, grey wins over magenta, magenta over
maroon": the input is cut into equal parts of the output's shape (separator lines, halves, n equal
parts, an n x n grid of parts), and each output cell shows one of the colours the parts put there.
Every such cell says "this colour beats the others here"; when those wins are free of cycles, their
transitive closure is the precedence, and a test cell is answered only where it names one winner.

    .venv/bin/python -m pytest tests/test_synthesis_overlay.py -q
"""
from __future__ import annotations

import numpy as np

from .. import programs as P
from .program import Finish, TaskInfo


def split_modes(info: TaskInfo) -> list[str]:
    """The ways to cut a grid worth trying for this task's shape change."""
    modes = ["sep", "h2", "v2"]
    modes += [f"h{kx}" for ky, kx in info.down if ky == 1 and kx > 2]
    modes += [f"v{ky}" for ky, kx in info.down if kx == 1 and ky > 2]
    modes += [f"g{ky}" for ky, kx in info.down if ky == kx > 1]
    if info.smaller:  # the objects' boxes: cards laid on a table, stacked or combined into the output
        modes.append("obj")
    if info.out_shape and info.smaller:  # every output one small shape: the corners of that shape, folded
        modes.append("c{}x{}".format(*info.out_shape))
    return modes


def learn_precedence(states: list[np.ndarray], outputs: list[np.ndarray], mode: str, bg: int) -> np.ndarray | None:
    """beats[a, b] (transitively closed) read off the demonstrations, or None when a part's shape is not
    the output's, an output cell shows a colour no part put there, or the wins form a cycle."""
    beats = np.zeros((10, 10), bool)
    for s, o in zip(states, outputs):
        parts = P.split(s, mode)
        if parts is None or any(p.shape != o.shape for p in parts):
            return None
        b = P.resolve_bg(s, bg)
        stack = np.stack(parts)
        put = [(stack == c).any(axis=0) & (c != b) for c in range(10)]  # colours the parts put in each cell
        anything = np.logical_or.reduce(put)
        if (o[~anything] != b).any():
            return None
        if not all(put[c][anything & (o == c)].all() for c in range(10)):
            return None  # a cell shows a colour no part put there
        for w in range(10):
            for c in range(10):
                if w != c and (put[c] & (o == w) & anything).any():
                    beats[w, c] = True
    for k in range(10):  # transitive closure
        beats |= beats[:, k:k + 1] & beats[k:k + 1, :]
    if beats.diagonal().any() or not beats.any():
        return None
    return beats


def learn_overlay_precedence(states: list[np.ndarray], outputs: list[np.ndarray], tests: list[np.ndarray],
                             info: TaskInfo) -> list[Finish]:
    out: list[Finish] = []
    for mode in split_modes(info):
        for b in info.bgs:
            beats = learn_precedence(states, outputs, mode, b)
            if beats is None:
                continue
            # The demonstrations are reproduced by construction (every shown colour beats the others there,
            # and the closure has no cycle); the search verifies every finish on them anyway.
            fn = (lambda g, beats=beats, m=mode, b=b: P.overlay_by_precedence(g, beats, m, b))
            if any(fn(t) is None for t in tests):
                continue
            order = "".join(str(c) for c in np.argsort(-beats.sum(axis=1), kind="stable")
                            if beats[c].any() or beats[:, c].any())
            out.append(Finish(f"overlay_precedence({order},{mode}{',bg=auto' if b == -1 else ''})", fn, 0.3))
    return out
