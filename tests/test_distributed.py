"""Two gloo CPU processes with DistributedDataParallel train like one process with the same global batch,
also when each rank cuts its slots into micro-batches (gradient accumulation under DDP's no_sync)."""
import socket
from dataclasses import replace

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from arc_solver.checkpoint import load_checkpoint
from arc_solver.model import ModelConfig, RecursiveModel
from arc_solver.tasks import Pair, Task
from arc_solver.train import TrainConfig, build_dataset, train

MODEL = ModelConfig(d=32, heads=2, hidden=64, T=2, n=1, n_sup=3, n_prefix=2, puzzle_dim=32)
CFG = TrainConfig(batch_size=8, steps=6, canvas_sides=(6, 30), views=2, warmup_steps=2, lr=3e-3, log_every=3,
                  save_every=0, ema_decay=0.9, halt_explore=0.5)


def tiny_tasks() -> list[Task]:
    rng = np.random.default_rng(0)
    tasks = []
    for i in range(4):
        pairs = []
        for _ in range(3):
            h, w = rng.integers(2, 5, 2)
            g = rng.integers(0, 10, (h, w)).astype(np.uint8)
            pairs.append(Pair(g, np.ascontiguousarray(g[::-1])))
        tasks.append(Task(f"t{i}", tuple(pairs[:2]), tuple(pairs[2:])))
    return tasks


def worker(rank: int, world: int, port: int, out: str) -> None:
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    try:
        data = build_dataset(tiny_tasks(), CFG.views, CFG.seed)
        # Every pair fits the 6x6 canvas; 2 x 38 tokens: each rank's 4 slots run as two micro-batches of 2.
        train(replace(CFG, cell_budget=2 * (MODEL.n_prefix + 36)), MODEL, out=out, data=data, progress=False)
    finally:
        dist.destroy_process_group()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_gloo_ranks_match_one_process(tmp_path):
    one = tmp_path / "one.pt"
    train(CFG, MODEL, out=one, data=build_dataset(tiny_tasks(), CFG.views, CFG.seed), progress=False)

    two = tmp_path / "two.pt"
    mp.spawn(worker, args=(2, free_port(), str(two)), nprocs=2, join=True)

    a, b = load_checkpoint(one), load_checkpoint(two)
    assert a["step"] == b["step"] == CFG.steps
    torch.manual_seed(CFG.seed)
    init = RecursiveModel(MODEL).state_dict()
    assert not torch.allclose(a["model"]["blocks.0.mlp.down.weight"], init["blocks.0.mlp.down.weight"])
    for name, p in a["model"].items():
        assert torch.allclose(p, b["model"][name], atol=2e-5, rtol=1e-4), name
    for name, p in a["ema"]["shadow"].items():
        assert torch.allclose(p, b["ema"]["shadow"][name], atol=2e-5, rtol=1e-4), name
    # The embedding rows trained on either rank are identical to the single process's.
    assert a["embedding"].abs().sum() > 0
    assert torch.allclose(a["embedding"], b["embedding"], atol=1e-6)
    # The whole global batch (gathered from both ranks) is the same sequence of samples.
    for sa, sb in zip(a["stream"]["slots"], b["stream"]["slots"]):
        assert np.array_equal(sa["ex"], sb["ex"]) and np.array_equal(sa["steps"], sb["steps"])
        if "y" in sa:
            assert torch.allclose(sa["y"], sb["y"], atol=1e-4)
