"""Voting: candidate grids from every source -> ranking -> two attempts.

A candidate's votes are the sum of its weights (e.g. one per view that produced
it, or a larger weight for a verified program); ties are broken by mean
confidence, then deterministically by the grid's bytes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Candidate:
    grid: np.ndarray  # uint8, in the task's own frame
    weight: float = 1.0  # votes this candidate brings
    confidence: float = 0.0  # e.g. halting probability in 0..1
    source: str = "model"  # which candidate source produced it
    detail: str = ""  # e.g. the program family that produced it (for the score report)


@dataclass
class Ranked:
    grid: np.ndarray
    votes: float
    confidence: float  # mean over the candidates merged into it
    sources: dict[str, float] = field(default_factory=dict)  # source -> votes it gave

    @property
    def source(self) -> str:
        """The source that gave this grid the most votes."""
        return max(self.sources.items(), key=lambda kv: (kv[1], kv[0]))[0]


def grid_key(grid: np.ndarray) -> bytes:
    g = np.ascontiguousarray(grid, dtype=np.uint8)
    return g.shape[0].to_bytes(1, "little") + g.shape[1].to_bytes(1, "little") + g.tobytes()


# The program search's unverified guesses (programs that reproduce only some demonstrations).
GUESS_SOURCE = "partial"


def rank(candidates: list[Candidate], scores: dict[bytes, float] | None = None) -> list[Ranked]:
    """Merge equal grids and order them best first.

    Count voting (no `scores`): most votes, then mean confidence. With `scores` (grid_key -> the model's
    log-probability, `likelihood.py`): verified programs first (by their votes), then the highest score,
    with votes and confidence breaking ties.

    Either way the program search's best guess comes right after the verified programs and its other
    guesses take their place with the rest: on ARC-AGI-1 training, with nothing verified, a first guess
    was right in 6 of 22 unsolved tasks, where the model trained jointly on held-out tasks answers 8 of
    70 (`bench ttt`, README); the second guess was never right on ARC-AGI-1 evaluation.
    """
    merged: dict[bytes, list] = {}
    for c in candidates:
        key = grid_key(c.grid)
        entry = merged.setdefault(key, [c.grid, 0.0, 0.0, 0, {}])
        entry[1] += c.weight
        entry[2] += c.confidence
        entry[3] += 1
        entry[4][c.source] = entry[4].get(c.source, 0.0) + c.weight
    ranked = [(key, Ranked(np.asarray(g, dtype=np.uint8), votes, conf / n, srcs))
              for key, (g, votes, conf, n, srcs) in merged.items()]
    guesses = [r.sources[GUESS_SOURCE] for _, r in ranked if GUESS_SOURCE in r.sources]
    best_guess = max(guesses) if guesses else None

    def tier(r: Ranked) -> int:  # 2 verified programs, 1 the best guess, 0 the rest
        if "programs" in r.sources:
            return 2
        return int(GUESS_SOURCE in r.sources and r.sources[GUESS_SOURCE] == best_guess)

    if scores is None:
        ranked.sort(key=lambda kr: (-tier(kr[1]), -kr[1].votes, -kr[1].confidence, kr[0]))
    else:
        ranked.sort(key=lambda kr: (-tier(kr[1]), -kr[1].sources.get("programs", 0.0), -scores.get(kr[0], -np.inf),
                                    -kr[1].votes, -kr[1].confidence, kr[0]))
    return [r for _, r in ranked]


def top2(candidates: list[Candidate], fallback: np.ndarray, scores: dict[bytes, float] | None = None
         ) -> tuple[list[np.ndarray], list[str]]:
    """Two distinct attempts and the source of each; one candidate fills both, none gives the fallback."""
    ranked = rank(candidates, scores)
    if not ranked:
        return [fallback, fallback], ["fallback", "fallback"]
    best = ranked[:2]
    if len(best) == 1:
        best = best * 2
    return [r.grid for r in best], [r.source for r in best]


def detail_of(grid: np.ndarray, candidates: list[Candidate], source: str) -> str:
    """The detail of the first candidate from `source` equal to `grid` ('' if none has one)."""
    key = grid_key(grid)
    return next((c.detail for c in candidates if c.source == source and c.detail and grid_key(c.grid) == key), "")
