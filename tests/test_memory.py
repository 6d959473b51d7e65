"""Batches bounded by memory: the plan per canvas side, gradient accumulation equal to one big batch,
clear refusals before training, the probe."""
from dataclasses import replace

import pytest
import torch

from arc_solver.memory import (BatchDoesNotFit, free_memory, plan_memory, probe_bytes_per_token, split_evenly,
                               tokens_per_sample)
from arc_solver.model import ModelConfig, RecursiveModel
from arc_solver.train import TrainConfig, Trainer, build_dataset

from test_train import CFG, MODEL, tasks


def test_split_evenly_covers_every_slot_in_near_equal_chunks():
    for n in range(1, 40):
        for most in range(1, 45):
            parts = split_evenly(n, most)
            sizes = [p.stop - p.start for p in parts]
            assert parts[0].start == 0 and parts[-1].stop == n
            assert all(a.stop == b.start for a, b in zip(parts, parts[1:]))
            assert max(sizes) <= most and max(sizes) - min(sizes) <= 1
            assert len(parts) == -(-n // most)  # as few forward passes as the budget allows


def test_plan_per_side_from_a_budget_and_from_memory():
    model = RecursiveModel(MODEL)
    P = MODEL.n_prefix
    plan = plan_memory(model, [6, 12, 30], local_batch=64, rows=10, device=torch.device("cpu"),
                       cell_budget=3 * tokens_per_sample(30, P))
    assert plan.micro == {30: 3, 12: (3 * (P + 900)) // (P + 144), 6: 64}
    assert plan.chunks(30, 64)[0] == slice(0, 3) and len(plan.chunks(30, 64)) == 22
    # From memory: 1 MB per token and 100 MB free after the fixed part -> 100 tokens' worth... per side.
    fixed = plan_memory(model, [6], 4, 10, torch.device("cpu"), cell_budget=38).fixed_bytes
    auto = plan_memory(model, [6], local_batch=4, rows=10, device=torch.device("cpu"), bytes_per_token=1e6,
                       available=fixed + 100_000_000)
    assert auto.cell_budget == 100 and auto.micro == {6: 100 // (P + 36)}
    roomy = plan_memory(model, [6], 4, 10, torch.device("cpu"), bytes_per_token=1e6, available=fixed + 10**12)
    assert roomy.cell_budget == 0 and roomy.micro == {6: 4}  # CPU: the whole batch when it fits


def test_settings_that_cannot_fit_are_refused_before_training():
    model = RecursiveModel(MODEL)
    with pytest.raises(BatchDoesNotFit, match=r"cannot hold one sample of the largest canvas \(30x30"):
        plan_memory(model, [6, 30], 8, 10, torch.device("cpu"), cell_budget=500)
    with pytest.raises(BatchDoesNotFit, match="cannot fit on cpu.*Lower --batch-size"):
        plan_memory(model, [6, 30], 8, 10, torch.device("cpu"), bytes_per_token=1e6, available=10**6)
    data = build_dataset(tasks(2), views=2, seed=0)
    with pytest.raises(ValueError, match="cannot hold one sample"):
        Trainer.create(replace(CFG, cell_budget=10), MODEL, data=data)


def test_micro_batches_update_like_one_batch():
    data = build_dataset(tasks(4, hi=7), views=2, seed=0)
    cfg = replace(CFG, batch_size=8, canvas_sides=(8, 30), steps=3)
    whole = Trainer.create(cfg, MODEL, data=data)
    micro = Trainer.create(replace(cfg, cell_budget=3 * tokens_per_sample(8, MODEL.n_prefix)), MODEL, data=data)
    assert whole.plan.micro == {8: 8} and micro.plan.micro == {8: 3}
    for _ in range(3):
        a, b = whole.train_step(), micro.train_step()
        assert a["samples"] == b["samples"] == 8
    for (name, p), q in zip(whole.model.named_parameters(), micro.model.parameters()):
        assert torch.allclose(p, q, atol=1e-5, rtol=1e-4), name
    assert torch.allclose(whole.emb.weight, micro.emb.weight, atol=1e-6)
    assert torch.allclose(whole.stream.slots[0].y, micro.stream.slots[0].y, atol=1e-4)


def test_probe_measures_activation_bytes_that_grow_with_the_network():
    small = probe_bytes_per_token(RecursiveModel(MODEL), 8, torch.device("cpu"))
    wide = probe_bytes_per_token(RecursiveModel(replace(MODEL, d=64, hidden=128)), 8, torch.device("cpu"))
    assert small > 32 * 4 and 1.5 * small < wide  # at least one fp32 state per token; twice the width costs more


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_budget_from_free_memory_fits_the_trm_preset():
    model = RecursiveModel(ModelConfig.preset("trm")).cuda()
    cfg = TrainConfig.preset_for("trm")
    plan = plan_memory(model, list(cfg.canvas_sides), cfg.batch_size, 8000, torch.device("cuda"))
    assert plan.cell_budget >= tokens_per_sample(30, 16) and plan.micro[30] >= 1
    assert plan.fixed_bytes + plan.cell_budget * plan.bytes_per_token <= plan.available_bytes
    S, n = 30, plan.micro[30]
    tokens = torch.randint(2, 12, (n, S, S), device="cuda")
    y, z = model.initial_state(n, S)
    torch.cuda.reset_peak_memory_stats()
    with torch.autocast("cuda", dtype=torch.bfloat16):
        _, _, logits, halt = model(tokens, torch.zeros(n, 512, device="cuda", requires_grad=True), y, z)
    logits.float().mean().backward()
    assert torch.cuda.max_memory_allocated() < plan.available_bytes


def test_free_cuda_memory_counts_the_allocators_unused_cache(monkeypatch):
    # 30 GB free on the card, 50 GB held by torch's caching allocator of which 20 GB are in use: 60 GB usable.
    gb = 2**30
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda device=None: (30 * gb, 80 * gb))
    monkeypatch.setattr(torch.cuda, "memory_reserved", lambda device=None: 50 * gb)
    monkeypatch.setattr(torch.cuda, "memory_allocated", lambda device=None: 20 * gb)
    assert free_memory(torch.device("cuda")) == 60 * gb
