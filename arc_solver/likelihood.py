"""Scoring candidate grids by the model's probability (a product of experts over views).

    arc-solver submit --tasks arc-agi-2/evaluation --scoring probability

The model predicts every cell of the canvas at once, so one forward pass per (view, test input)
gives a distribution over tokens for every cell. Under a view, the log-probability of any candidate
grid is the sum, over the cells it occupies when encoded under that view (its colours and its EOS
border), of the log-probability of its token there; PAD cells are not counted. A candidate's score
is the sum over the views: each view is an expert, and a grid every view finds likely wins. Every
distinct candidate of a task can be scored this way, the program search's too.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import torch

from .kernels import encode_views
from .model import PAD
from .views import View


def candidate_log_probs(log_probs: torch.Tensor, views: Sequence[View], grids: Sequence[np.ndarray]) -> np.ndarray:
    """Score of each grid: sum over views of the log-probability of its encoded cells.

    log_probs: [V, S, S, vocab] log-softmax of the model's logits for one test input under each of the V
    views (views at offset 0, as at inference). A grid that does not fit the S x S canvas scores -inf.
    """
    V, S = log_probs.shape[0], log_probs.shape[1]
    if V != len(views):
        raise ValueError(f"{V} views of log-probabilities for {len(views)} views")
    lp = log_probs.float().cpu()
    out = np.full(len(grids), -np.inf)
    for i, g in enumerate(grids):
        if max(g.shape) > S:
            continue
        tokens = torch.from_numpy(encode_views([g] * V, list(views), S)).long()  # [V, S, S]
        picked = lp.gather(-1, tokens.unsqueeze(-1)).squeeze(-1)  # [V, S, S]
        out[i] = float((picked * (tokens != PAD)).sum())
    return out
