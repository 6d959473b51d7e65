"""Batches bounded by memory: how many samples of each canvas side one forward pass may hold.

    arc-solver train --preset trm --tasks arc-agi-1/training --device cuda --minutes 60 --out runs/trm.pt
    arc-solver train --preset trm ... --cell-budget 200000      # tokens per forward pass, by hand

A training step keeps its global batch (`batch_size` samples per optimizer step); what memory
bounds is one forward pass. A sample of canvas side S costs P + S*S tokens (P puzzle-prefix
positions), and activation memory grows with tokens, so each step splits its slots into
micro-batches of at most `cell_budget` tokens and accumulates their gradients.

The budget comes from `--cell-budget`, or (0, auto) from memory: a probe runs one training
forward + backward of the real network on the largest canvas and measures the bytes kept per
token (on CUDA the allocator's peak; elsewhere the tensors saved for backward), then the budget
is what fits in `memory_fraction` of the free memory after the weights, gradients, optimizer
state, EMA, puzzle rows and carried y/z states. A setting that cannot hold one sample of the
largest side is refused before training starts.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass

import torch

from .model import ModelConfig, RecursiveModel, autocast


class BatchDoesNotFit(ValueError):
    """A batch setting that cannot fit; raised before training starts."""


@dataclass(frozen=True)
class MemoryPlan:
    cell_budget: int  # tokens per forward pass per rank (0 = no limit)
    micro: dict[int, int]  # canvas side -> samples per forward pass (at most the local batch)
    source: str  # where the budget came from
    bytes_per_token: float | None = None  # measured activation bytes per token (largest side)
    fixed_bytes: int | None = None  # weights, grads, optimizer, EMA, rows, carried states
    available_bytes: int | None = None  # memory the plan may use in all

    def chunks(self, S: int, n: int) -> list[slice]:
        """n slots of side S as contiguous micro-batches of near-equal size (at most two sizes per
        side, so a compiled model sees few shapes)."""
        return split_evenly(n, self.micro.get(S, n))

    def summary(self) -> dict:
        gb = lambda b: None if b is None else round(b / 2**30, 2)
        return {"cell_budget": self.cell_budget, "budget_source": self.source,
                "micro_batch_per_side": {str(k): v for k, v in sorted(self.micro.items())},
                "activation_bytes_per_token": None if self.bytes_per_token is None else round(self.bytes_per_token),
                "fixed_gb": gb(self.fixed_bytes), "available_gb": gb(self.available_bytes)}


def split_evenly(n: int, most: int) -> list[slice]:
    parts = max(1, math.ceil(n / max(1, most)))
    base, extra = divmod(n, parts)
    out, lo = [], 0
    for i in range(parts):
        hi = lo + base + (i < extra)
        out.append(slice(lo, hi))
        lo = hi
    return out


def tokens_per_sample(S: int, n_prefix: int) -> int:
    return n_prefix + S * S


def fixed_bytes(model_cfg: ModelConfig, n_params: int, rows: int, local_batch: int, sides: list[int],
                ema: bool) -> int:
    """Memory held for the whole run: fp32 weights, gradients, AdamW's two moments, the EMA copy,
    the puzzle table, and the carried y and z (fp32) of every slot of every canvas side."""
    weights = 4 * n_params * (1 + 1 + 2 + int(ema))
    table = 4 * rows * model_cfg.puzzle_dim
    carry = 2 * 4 * model_cfg.d * local_batch * sum(tokens_per_sample(S, model_cfg.n_prefix) for S in sides)
    return weights + table + carry


def probe_bytes_per_token(model: RecursiveModel, S: int, device: torch.device, batch: int = 2) -> float:
    """Activation bytes per token of one training forward + backward of `model` on side S."""
    cfg = model.cfg
    gen = torch.Generator(device=device).manual_seed(0)  # leaves the global RNG (and so training) as it was
    tokens = torch.randint(2, cfg.vocab, (batch, S, S), device=device, generator=gen)
    puzzle = torch.zeros(batch, cfg.puzzle_dim, device=device, requires_grad=True)
    y, z = model.initial_state(batch, S)
    n_tok = batch * tokens_per_sample(S, cfg.n_prefix)
    if device.type == "cuda":
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
        base = torch.cuda.memory_allocated(device)
        with autocast(device):
            _, _, logits, halt = model(tokens, puzzle, y, z)
        (logits.float().mean() + halt.float().mean()).backward()
        torch.cuda.synchronize(device)
        used = torch.cuda.max_memory_allocated(device) - base
    else:
        # No allocator statistics off CUDA: count the bytes autograd keeps for backward (the bulk of
        # training memory), each storage once, plus a margin for the temporaries of one block.
        seen: dict[int, int] = {}

        def pack(t: torch.Tensor):
            try:
                seen[t.untyped_storage().data_ptr()] = t.untyped_storage().nbytes()
            except (RuntimeError, NotImplementedError):
                seen[id(t)] = t.numel() * t.element_size()
            return t

        with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t), autocast(device):
            _, _, logits, halt = model(tokens, puzzle, y, z)
        (logits.float().mean() + halt.float().mean()).backward()
        used = 1.25 * sum(seen.values())
    model.zero_grad(set_to_none=True)
    return used / n_tok


def free_memory(device: torch.device) -> int | None:
    """Bytes free for this process now: CUDA's free memory plus what torch's caching allocator holds
    unused (a second plan in one process would otherwise count the first one's freed blocks as taken),
    else the machine's available RAM."""
    if device.type == "cuda":
        cached = torch.cuda.memory_reserved(device) - torch.cuda.memory_allocated(device)
        return int(torch.cuda.mem_get_info(device)[0] + cached)
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def plan_memory(model: RecursiveModel, sides: list[int], local_batch: int, rows: int, device: torch.device,
                cell_budget: int = 0, memory_fraction: float = 0.85, ema: bool = True,
                bytes_per_token: float | None = None, available: int | None = None) -> MemoryPlan:
    """Micro-batch size per canvas side for `local_batch` slots per side on this rank.

    cell_budget > 0 is taken as given (and checked against memory when it can be measured);
    0 means auto: CUDA plans from free memory; other devices use the whole batch unless it would
    not fit in the available RAM. `bytes_per_token` and `available` override the probe (tests).
    """
    cfg = model.cfg
    largest = max(sides)
    need_one = tokens_per_sample(largest, cfg.n_prefix)
    if cell_budget and cell_budget < need_one:
        raise BatchDoesNotFit(f"--cell-budget {cell_budget} cannot hold one sample of the largest canvas "
                              f"({largest}x{largest} + {cfg.n_prefix} prefix positions = {need_one} tokens)")
    whole = local_batch * need_one  # tokens of the largest side's full batch
    fixed = fixed_bytes(cfg, model.num_parameters(), rows, local_batch, sides, ema)
    measure = cell_budget == 0 or device.type == "cuda"
    if measure and bytes_per_token is None:
        bytes_per_token = probe_bytes_per_token(model, largest, device)
    if measure and available is None:
        free = free_memory(device)
        available = None if free is None else int(free * memory_fraction)
    if cell_budget:
        budget, source = cell_budget, "--cell-budget"
    elif available is None:
        budget, source = 0, "no limit (free memory unknown)"
    else:
        room = available - fixed
        fit = int(room // bytes_per_token) if room > 0 else 0
        if device.type == "cuda":
            budget, source = fit, f"{memory_fraction:g} of free {device.type} memory"
        else:  # CPU: split only when the whole batch would not fit
            budget, source = (0, "whole batch (fits in RAM)") if fit >= whole else (fit, "available RAM")
    if available is not None and bytes_per_token is not None:
        use = budget or whole
        if fixed + use * bytes_per_token > available or (budget and budget < need_one):
            gb = lambda b: b / 2**30
            raise BatchDoesNotFit(
                f"the batch cannot fit on {device}: {gb(available):.1f} GB usable "
                f"({memory_fraction:g} of free), {gb(fixed):.1f} GB held for weights, optimizer, EMA, rows and "
                f"carried states of {local_batch} slots x {len(sides)} canvas sides, and "
                f"{bytes_per_token / 1024:.0f} KB per token of activations; one {largest}x{largest} sample needs "
                f"{need_one} tokens. Lower --batch-size, use fewer --canvas-sides, or a smaller --cell-budget.")
    micro = {S: local_batch if not budget else max(1, min(local_batch, budget // tokens_per_sample(S, cfg.n_prefix)))
             for S in sides}
    return MemoryPlan(budget, micro, source, bytes_per_token, fixed, available)
