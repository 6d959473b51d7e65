"""Model candidate source: test-time training + augmented inference + voting.

    arc-solver submit --tasks arc-agi-2/evaluation --sources model --checkpoint runs/tiny.pt --views 8 --steps 16

For each task:
  1. K views (dihedral x colour permutation, identity first);
  2. one new puzzle-embedding row per view, zero-initialised (the model only ever
     sees the input plus this row, so the rule of an unseen task must be put into
     its rows first);
  3. test-time training of those rows (network frozen unless `finetune_lr` > 0)
     on the task's demonstration pairs under every view, with deep supervision;
     first with one demonstration held out, whose exact-match rate over the views
     becomes part of every candidate's confidence (leave-one-out check), then on all;
  4. every view of every test input run for `steps` supervision steps (may exceed
     the training value: thinking longer), decoded, inverted back to the task's
     frame; one vote per view, confidence = mean of halting probability and the
     leave-one-out score.
"""
from __future__ import annotations

import logging
import os
import time
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .kernels import decode_views, encode_views
from .model import ModelConfig, RecursiveModel, autocast
from .tasks import Task
from .dataset import task_side
from .train import sample_losses
from .views import View, sample_views
from .vote import Candidate

log = logging.getLogger("arc_solver.search")

DEFAULT_CHECKPOINT = Path(__file__).parent / "checkpoints" / "default.pt"
RANDOM_INIT_FINETUNE_LR = 1e-3


@dataclass(frozen=True)
class SearchConfig:
    views: int = 8  # augmented views per task
    steps: int | None = None  # supervision steps at inference; None = the model's n_sup
    ttt_steps: int = 100  # optimizer steps of test-time training (stopped early by the time limit)
    ttt_sup: int = 2  # supervision steps per test-time training sample
    ttt_batch: int = 16
    ttt_lr: float = 1e-2  # puzzle rows
    finetune_lr: float = 0.0  # > 0: also fine-tune the network at this learning rate
    loo: bool = True  # leave-one-demonstration-out check
    freeze_on_halt: bool = True  # a view's answer stays as it was when its halting head first said "done"
    inference_share: float = 0.25  # of the task's time kept for inference
    device: str = "cpu"
    preset: str = "tiny"  # for random initialisation when there is no checkpoint


def task_seed(task_id: str, seed: int) -> int:
    return (zlib.crc32(task_id.encode()) + 7919 * seed) % (2**31)


class ModelSource:
    """A candidate source (see submit.py): `source(task, time_limit_s, seed) -> [[Candidate]]`."""

    def __init__(self, model: RecursiveModel, cfg: SearchConfig, origin: str,
                 known: dict[str, list[tuple[View, torch.Tensor]]] | None = None):
        self.model = model.to(cfg.device).eval()
        self.cfg = cfg
        self.origin = origin
        # Tasks the checkpoint was trained on: their views and trained rows are the starting point.
        self.known = known or {}
        self.initial_weights = {k: v.clone() for k, v in model.state_dict().items()}
        # Hashes of the test inputs whose outputs the checkpoint trained on (None: not recorded).
        self.test_inputs_trained: set[int] | None = set()
        self._log_probs: torch.Tensor | None = None  # log-softmax of the last prediction's final step
        self.last_scored: tuple | None = None  # (task id, views, [log-probs per test input]) of the last task

    def score(self, task: Task, grids_per_test: list[list[np.ndarray]]) -> list[np.ndarray] | None:
        """Log-probability score (sum over views, `likelihood.candidate_log_probs`) of every grid, per test
        input, from the model's last prediction for `task`; None when that task was not predicted last."""
        if self.last_scored is None or self.last_scored[0] != task.id:
            return None
        from .likelihood import candidate_log_probs

        _, views, per_test = self.last_scored
        return [candidate_log_probs(lp, views, grids) for lp, grids in zip(per_test, grids_per_test)]

    def seen_with_answers(self, tasks: list[Task]) -> tuple[list[str], bool]:
        """(ids of `tasks` the checkpoint may have trained on with their test outputs, exact?).
        Exact when the checkpoint records its trained test inputs (by content); otherwise by id: a task
        the checkpoint has rows for, whose test outputs it may or may not have been shown."""
        if self.test_inputs_trained is None:
            return sorted(t.id for t in tasks if t.id in self.known), False
        if not self.test_inputs_trained:
            return [], True
        from .kernels import hash_grids

        return [t.id for t in tasks if not self.test_inputs_trained.isdisjoint(
            hash_grids([p.input for p in t.test]))], True

    @classmethod
    def load(cls, checkpoint: str | None, cfg: SearchConfig, seed: int = 0) -> "ModelSource":
        """From `checkpoint`, else the default shipped with the package, else random initialisation."""
        path = Path(checkpoint) if checkpoint else (DEFAULT_CHECKPOINT if DEFAULT_CHECKPOINT.exists() else None)
        if path is not None:
            from .checkpoint import load_checkpoint, model_from_checkpoint

            ckpt = load_checkpoint(path)
            model, emb, rows, _ = model_from_checkpoint(ckpt, path, device=cfg.device)
            origin = f"checkpoint {path}" + (" (default)" if not checkpoint else "")
            known: dict[str, list[tuple[View, torch.Tensor]]] = {}
            for i, (tid, d, perm) in enumerate(rows):
                known.setdefault(tid, []).append((View(int(d), tuple(perm)), emb.weight[i].detach().clone()))
            log.info("model source: %s (%d known tasks)", origin, len(known))
            source = cls(model, cfg, origin, known)
            trained = ckpt.get("test_inputs_trained")
            source.test_inputs_trained = None if trained is None else set(trained)
            return source
        else:
            torch.manual_seed(seed)
            model = RecursiveModel(ModelConfig.preset(cfg.preset))
            # A frozen random network cannot carry a rule through its puzzle rows alone: fine-tune it.
            cfg = replace(cfg, finetune_lr=cfg.finetune_lr or RANDOM_INIT_FINETUNE_LR)
            origin = f"random initialisation ({cfg.preset}): all test-time training, network fine-tuned"
        log.info("model source: %s", origin)
        return cls(model, cfg, origin)

    @classmethod
    def from_submit_config(cls, sc) -> "ModelSource":
        device = sc.device
        if device == "cuda" and "LOCAL_RANK" in os.environ:  # torchrun: one GPU per rank
            device = f"cuda:{os.environ['LOCAL_RANK']}"
        cfg = SearchConfig(views=sc.views, steps=sc.steps, ttt_steps=sc.ttt_steps, finetune_lr=sc.finetune_lr,
                           freeze_on_halt=sc.freeze_on_halt, device=device)
        return cls.load(sc.checkpoint, cfg, sc.seed)

    # --- one task -------------------------------------------------------------

    def __call__(self, task: Task, time_limit_s: float, seed: int = 0) -> list[list[Candidate]]:
        t0 = time.monotonic()
        cfg = self.cfg
        rng = np.random.default_rng(task_seed(task.id, seed))
        torch.manual_seed(task_seed(task.id, seed))
        if cfg.finetune_lr > 0:  # each task starts from the same network
            self.model.load_state_dict(self.initial_weights)
        views, rows, S = self.start(task, cfg.views, rng)
        train_deadline = t0 + time_limit_s * (1.0 - cfg.inference_share)

        loo_score = 0.5  # unknown
        if cfg.loo and len(task.train) >= 2 and task.id not in self.known:
            held, rest = task.train[-1], task.train[:-1]
            self.ttt(rest, views, rows, S, cfg.ttt_steps // 2, t0 + (train_deadline - t0) / 2, rng)
            preds = self.predict([held.input], views, rows, S, train_deadline)[0]
            loo_score = float(np.mean([c is not None and np.array_equal(c[0], held.output) for c in preds]))
        self.ttt(task.train, views, rows, S, cfg.ttt_steps, train_deadline, rng)

        out = []
        self.last_scored = None
        predictions = self.predict([p.input for p in task.test], views, rows, S, t0 + time_limit_s)
        if self._log_probs is not None:  # per test input [V, S, S, vocab], for scoring any candidate later
            self.last_scored = (task.id, views, list(self._log_probs.split(len(views))))
        for per_view in predictions:
            out.append([Candidate(g, 1.0, 0.5 * halt + 0.5 * loo_score, "model")
                        for g, halt in (c for c in per_view if c is not None)])
        log.debug("task %s: %d views, S=%d, loo %.2f, %.1fs", task.id, len(views), S, loo_score,
                  time.monotonic() - t0)
        return out

    def start(self, task: Task, k: int, rng: np.random.Generator) -> tuple[list[View], torch.Tensor, int]:
        """k views of the task, their puzzle rows (a fresh leaf) and the task's canvas side."""
        device = torch.device(self.cfg.device)
        known = self.known.get(task.id, [])[:k]  # trained rows: start from them instead of zeros
        views = [v for v, _ in known]
        taken = set(views)
        views += [v for v in sample_views(k + len(known), rng) if v not in taken][: k - len(known)]
        init = torch.zeros(len(views), self.model.cfg.puzzle_dim, device=device)
        for i, (_, row) in enumerate(known):
            init[i] = row.to(device)
        # Views here have no offset, so the side is the same for every dihedral.
        return views, init.clone().requires_grad_(True), task_side(task)

    def encode_pairs(self, pairs, views: list[View], S: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Every (pair, view): input canvas, target canvas (PAD ignored by the loss), row id."""
        inputs = [p.input for p in pairs for _ in views]
        outputs = [p.output for p in pairs for _ in views]
        vs = [v for _ in pairs for v in views]
        device = torch.device(self.cfg.device)
        x = torch.from_numpy(encode_views(inputs, vs, S)).long().to(device)
        y = torch.from_numpy(encode_views(outputs, vs, S)).long().to(device)
        ids = torch.arange(len(views), device=device).repeat(len(pairs))
        return x, y, ids

    def ttt(self, pairs, views, rows: torch.Tensor, S: int, steps: int, deadline: float,
            rng: np.random.Generator) -> int:
        """Fit `rows` (and the network if finetune_lr > 0) on `pairs`; returns optimizer steps taken."""
        cfg, model = self.cfg, self.model
        x, target, ids = self.encode_pairs(pairs, views, S)
        params = [{"params": [rows], "lr": cfg.ttt_lr, "weight_decay": 0.0}]
        if cfg.finetune_lr > 0:
            params.append({"params": list(model.parameters()), "lr": cfg.finetune_lr, "weight_decay": 0.1})
        opt = torch.optim.AdamW(params, betas=(0.9, 0.95))
        model.train(cfg.finetune_lr > 0)
        for p in model.parameters():
            p.requires_grad_(cfg.finetune_lr > 0)
        done = 0
        while done < steps and time.monotonic() < deadline:
            pick = torch.from_numpy(rng.choice(len(x), size=min(cfg.ttt_batch, len(x)), replace=False))
            bx, bt, bid = x[pick], target[pick], ids[pick]
            y, z = model.initial_state(len(pick), S)
            for _ in range(cfg.ttt_sup):  # deep supervision: one loss and step per supervision step
                with autocast(x.device):
                    y, z, logits, halt = model(bx, rows[bid], y, z)
                loss, exact = supervision_loss(logits, halt, bt)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                done += 1
                if done >= steps or time.monotonic() >= deadline:
                    break
        model.eval()
        return done

    def predict(self, inputs: list[np.ndarray], views: list[View], rows: torch.Tensor, S: int,
                deadline: float = float("inf")) -> list[list[tuple[np.ndarray, float] | None]]:
        """For each input, per view: (grid in the task's frame, halting probability) or None.

        Past `deadline` the model stops thinking and the current answer is decoded.
        """
        steps = self.cfg.steps or self.model.cfg.n_sup
        return self.predict_steps(inputs, views, rows, S, [steps], deadline)[steps]

    @torch.no_grad()
    def predict_steps(self, inputs: list[np.ndarray], views: list[View], rows: torch.Tensor, S: int,
                      record: list[int], deadline: float = float("inf")
                      ) -> dict[int, list[list[tuple[np.ndarray, float] | None]]]:
        """Run up to max(record) supervision steps; decode the answer after each step in `record`."""
        model, device = self.model, torch.device(self.cfg.device)
        vs = [v for _ in inputs for v in views]
        x = torch.from_numpy(encode_views([g for g in inputs for _ in views], vs, S)).long().to(device)
        ids = torch.arange(len(views), device=device).repeat(len(inputs))
        y, z = model.initial_state(len(x), S)
        results = {}
        last = max(record)
        # Training replaces a sample once its halting head says "exact", so the states after that
        # point are never trained on; with freeze_on_halt such a view keeps the answer it halted with.
        halted = torch.zeros(len(x), dtype=torch.bool, device=device)
        pred = p_halt = None
        for step in range(1, last + 1):
            with autocast(device):
                y, z, logits, halt = model(x, rows[ids].detach(), y, z)
            step_pred, step_p = logits.argmax(-1).to(torch.uint8), torch.sigmoid(halt.float())
            if pred is None or not self.cfg.freeze_on_halt:
                pred, p_halt = step_pred, step_p
            else:
                pred = torch.where(halted[:, None, None], pred, step_pred)
                p_halt = torch.where(halted, p_halt, step_p)
            halted |= step_p > 0.5
            out_of_time = time.monotonic() > deadline
            if step == last or out_of_time:
                self._log_probs = torch.log_softmax(logits.float(), dim=-1).cpu()
            if step not in record and not out_of_time:
                continue
            decoded = decode_views(pred.cpu().numpy(), vs)
            p_np = p_halt.cpu().numpy()
            answer = [[(decoded[j], float(p_np[j])) if decoded[j] is not None else None
                       for j in range(i * len(views), (i + 1) * len(views))] for i in range(len(inputs))]
            for r in record:
                if r == step or (out_of_time and r > step):
                    results[r] = answer
            if out_of_time:
                break
        return results


def supervision_loss(logits: torch.Tensor, halt: torch.Tensor, target: torch.Tensor
                     ) -> tuple[torch.Tensor, torch.Tensor]:
    """Cross-entropy over non-PAD cells + BCE of the halting logit against 'answer exact'."""
    ce, exact = sample_losses(logits, target)
    bce = F.binary_cross_entropy_with_logits(halt.float(), exact.float())
    return ce.mean() + 0.5 * bce, exact


def sweep(tasks: list[Task], source: ModelSource, views: list[int], steps: list[int], time_limit_s: float,
          seed: int = 0, progress: bool = True) -> dict:
    """pass@2 task score as a function of the number of views and of test-time supervision steps.

    Each task is test-time trained once with max(views) views; the answers after each step count
    are recorded in one pass, and a view count k votes over the first k views (identity first).
    """
    from tqdm import tqdm

    from .scoring import same_grid
    from .vote import top2

    solved = np.zeros((len(views), len(steps)))
    for task in tqdm(tasks, desc="sweep", unit="task", disable=not progress):
        rng = np.random.default_rng(task_seed(task.id, seed))
        vs, rows, S = source.start(task, max(views), rng)
        source.ttt(task.train, vs, rows, S, source.cfg.ttt_steps, time.monotonic() + time_limit_s, rng)
        by_step = source.predict_steps([p.input for p in task.test], vs, rows, S, steps)
        for a, k in enumerate(views):
            for b, s in enumerate(steps):
                score = 0.0
                for pair, per_view in zip(task.test, by_step[s]):
                    cands = [Candidate(g, 1.0, h, "model") for g, h in (c for c in per_view[:k] if c is not None)]
                    attempts, _ = top2(cands, pair.input)
                    score += any(same_grid(g, pair.output) for g in attempts)
                solved[a, b] += score / len(task.test)
    n = max(1, len(tasks))
    return {"views": views, "steps": steps, "tasks": len(tasks),
            "task_score": [[round(x / n, 4) for x in row] for row in solved], "model": source.origin,
            "freeze_on_halt": source.cfg.freeze_on_halt}
