"""Training: data selection (no evaluation test output ever), variable canvas, deep supervision with
halting, exact resume from checkpoints, config checks, inference helper, CLI."""
import json
from dataclasses import replace

import numpy as np
import pytest
import torch

from arc_solver import kernels
from arc_solver.checkpoint import export_for_inference, load_checkpoint, load_model
from arc_solver.cli import main as cli_main
from arc_solver.model import ModelConfig, RecursiveModel
from arc_solver.tasks import Pair, Task, load_tasks
from arc_solver.train import (TrainConfig, Trainer, build_dataset, inference_side, merge_tasks, predict,
                              side_files, train)

MODEL = ModelConfig(d=32, heads=2, hidden=64, T=2, n=1, n_sup=3, n_prefix=2, puzzle_dim=32)
CFG = TrainConfig(batch_size=6, steps=8, canvas_sides=(4, 6, 30), views=2, warmup_steps=2, lr=3e-3, log_every=2,
                  save_every=0, ema_decay=0.9, halt_explore=0.5)


def grid(rng, lo=1, hi=5):
    h, w = rng.integers(lo, hi, 2)
    return rng.integers(0, 10, (h, w)).astype(np.uint8)


def flip_task(task_id: str, rng, n_train=2, is_evaluation=False, lo=1, hi=5) -> Task:
    pairs = [Pair(g, np.ascontiguousarray(g[::-1])) for g in (grid(rng, lo, hi) for _ in range(n_train + 1))]
    return Task(task_id, tuple(pairs[:n_train]), tuple(pairs[n_train:]), is_evaluation=is_evaluation)


def tasks(n=3, seed=0, hi=5):
    rng = np.random.default_rng(seed)
    return [flip_task(f"t{i}", rng, hi=hi) for i in range(n)]


def test_dataset_rows_and_which_test_pairs_are_trained_on():
    rng = np.random.default_rng(1)
    a = flip_task("a", rng)
    b = flip_task("b", rng, is_evaluation=True)  # marked evaluation by its loader
    c = flip_task("c", rng)  # named with --eval-tasks
    d = replace(flip_task("d", rng), test=(Pair(grid(rng), None),))  # no solution known
    merged = merge_tasks([a, b, c, d], eval_tasks=[c])
    assert [t.id for t in merged] == ["a", "b", "c", "d"] and merged[2].is_evaluation
    data = build_dataset(merged, views=3, seed=0)
    assert len(data.rows()) == 4 * 3 and data.rows()[0] == ("a", 0, tuple(range(10)))  # identity view first
    assert data.row(2, 1) == 7
    kinds = {(data.tasks[e.task].id, e.kind) for e in data.examples}
    assert kinds == {("a", "train"), ("a", "test"), ("b", "train"), ("c", "train"), ("d", "train")}
    assert len(data.examples) == 2 * 4 + 1


def test_bundled_evaluation_test_outputs_are_never_examples():
    ev = load_tasks("arc-agi-2/evaluation").tasks
    data = build_dataset(merge_tasks(tasks(2), ev[:40]), views=1, seed=0)
    assert all(e.kind == "train" for e in data.examples if data.tasks[e.task].is_evaluation)
    assert any(e.kind == "test" for e in data.examples)  # the non-evaluation tasks keep theirs


def test_stream_never_serves_an_evaluation_test_output():
    rng = np.random.default_rng(2)
    held = np.full((3, 3), 9, np.uint8)  # colour 9 appears nowhere else
    ev = Task("ev", (Pair(grid(rng), grid(rng)),) * 2, (Pair(grid(rng), held),), is_evaluation=True)
    other = [replace(t, train=tuple(Pair(p.input % 9, p.output % 9) for p in t.train),
                     test=tuple(Pair(p.input % 9, p.output % 9) for p in t.test)) for t in tasks(3)]
    data = build_dataset(merge_tasks(other, [ev]), views=4, seed=0)
    tr = Trainer.create(replace(CFG, batch_size=8), MODEL, data=data)
    seen = 0
    for _ in range(60):
        slots = tr.stream.next(tr.model)
        views = [replace(data.views[data.examples[e].task][k], offset=tuple(o))
                 for e, k, o in zip(slots.ex, slots.view, slots.offset)]
        for g in kernels.decode_views(slots.targets.to(torch.uint8).numpy(), views):
            assert g is not None and not (g.shape == held.shape and (g == 9).all())
            seen += 1
        tr.stream.finish_step(slots, np.full(len(slots.ex), 10.0))  # everyone halts: fresh samples next time
    assert seen == 60 * 8


def test_variable_canvas_slots_hold_their_pairs():
    data = build_dataset(tasks(4, hi=12), views=3, seed=0)
    tr = Trainer.create(replace(CFG, canvas_sides=(4, 6, 8, 13, 30), batch_size=4), MODEL, data=data)
    sides = set()
    for _ in range(20):
        slots = tr.stream.next(tr.model)
        sides.add(slots.S)
        assert slots.inputs.shape[1:] == (slots.S, slots.S)
        for i, (e, k, o) in enumerate(zip(slots.ex, slots.view, slots.offset)):
            ex = data.examples[e]
            assert ex.side <= slots.S and (slots.S == 4 or ex.side > {6: 4, 8: 6, 13: 8, 30: 13}[slots.S])
            v = replace(data.views[ex.task][k], offset=tuple(o))
            got_in, got_out = kernels.decode_views(
                torch.stack([slots.inputs[i], slots.targets[i]]).to(torch.uint8).numpy(), [v, v])
            assert np.array_equal(got_in, ex.input) and np.array_equal(got_out, ex.output)
        tr.stream.finish_step(slots, np.full(len(slots.ex), 10.0))
    assert len(sides) >= 2


def test_halting_and_refill():
    data = build_dataset(tasks(2), views=2, seed=0)
    tr = Trainer.create(replace(CFG, batch_size=4, canvas_sides=(6, 30)), MODEL, data=data)  # one canvas side
    slots = tr.stream.next(tr.model)
    slots.min_halt = np.array([0, 0, 3, 0])
    y_before = slots.y.clone()
    halted = tr.stream.finish_step(slots, np.array([1.0, -1.0, 1.0, -1.0]))
    # Slot 0 says "exact" and may stop; slot 2 must run to step 3 first (exploration); 1 and 3 go on.
    assert halted.tolist() == [True, False, False, False]
    slots.y += 1.0  # pretend the model moved the states
    again = tr.stream.next(tr.model)
    assert again is slots and slots.steps.tolist() == [0, 1, 1, 1]
    assert torch.equal(slots.y[0], tr.model.y_init.expand_as(slots.y[0]))  # the fresh sample starts over
    assert torch.equal(slots.y[1], y_before[1] + 1.0)  # the others keep their carry
    slots.steps[:] = MODEL.n_sup - 1
    assert tr.stream.finish_step(slots, np.full(4, -5.0)).all()  # N_sup reached: everyone halts


def test_training_reduces_the_loss():
    data = build_dataset(tasks(3), views=2, seed=0)
    tr = Trainer.create(replace(CFG, steps=60, log_every=10, ema_decay=0.0, lr=1e-2, warmup_steps=5), MODEL, data=data)
    tr.run(None, progress=False)
    first, last = tr.history[0], tr.history[-1]
    assert last["ce"] < 0.8 * first["ce"], (first, last)
    assert tr.emb.weight.abs().sum() > 0


def same_state(a: dict, b: dict) -> None:
    for part in (a["model"], a["ema"]["shadow"]):
        other = b["model"] if part is a["model"] else b["ema"]["shadow"]
        for k in part:
            assert torch.equal(part[k], other[k]), k
    assert a["ema"]["updates"] == b["ema"]["updates"]
    assert torch.equal(a["embedding"], b["embedding"])
    oa, ob = a["optimizer"]["state"], b["optimizer"]["state"]
    for i in oa:
        for k in oa[i]:
            assert torch.equal(torch.as_tensor(oa[i][k]), torch.as_tensor(ob[i][k])), (i, k)
    for sa, sb in zip(a["stream"]["slots"], b["stream"]["slots"]):
        assert np.array_equal(sa["ex"], sb["ex"]) and np.array_equal(sa["steps"], sb["steps"])
        if "y" in sa:
            assert torch.equal(sa["y"], sb["y"]) and torch.equal(sa["z"], sb["z"])
    assert a["stream"]["rng"] == b["stream"]["rng"]


def test_resume_continues_exactly(tmp_path):
    data = build_dataset(tasks(3, hi=7), views=2, seed=0)
    cfg = replace(CFG, steps=10, save_carry=True)
    straight, halves = tmp_path / "straight.pt", tmp_path / "halves.pt"
    train(cfg, MODEL, out=straight, data=data, progress=False)
    train(replace(cfg, steps=5), MODEL, out=halves, data=data, progress=False)
    assert load_checkpoint(halves)["step"] == 5
    train(cfg, MODEL, out=halves, resume=halves, data=data, progress=False)
    a, b = load_checkpoint(straight), load_checkpoint(halves)
    assert a["step"] == b["step"] == 10
    same_state(a, b)
    # Config and log sit beside the checkpoint; the log holds both halves.
    conf, logf = side_files(halves)
    assert json.loads(conf.read_text())["train"]["steps"] == 10
    steps = [json.loads(line)["step"] for line in logf.read_text().splitlines()]
    assert steps == [2, 4, 5, 6, 8, 10]


def test_resume_without_carry_still_loads(tmp_path):
    data = build_dataset(tasks(2), views=2, seed=0)
    path = tmp_path / "x.pt"
    train(replace(CFG, steps=3, save_carry=False), MODEL, out=path, data=data, progress=False)
    assert "y" not in load_checkpoint(path)["stream"]["slots"][0]
    out = train(replace(CFG, steps=5, save_carry=False), MODEL, out=path, resume=path, data=data, progress=False)
    assert out["step"] == 5


def test_loading_with_a_different_config_fails_clearly(tmp_path):
    data = build_dataset(tasks(2), views=2, seed=0)
    path = tmp_path / "x.pt"
    train(replace(CFG, steps=2), MODEL, out=path, data=data, progress=False)
    with pytest.raises(ValueError, match=r"different training config.*lr: 0\.003 in the checkpoint, 0\.001 now"):
        Trainer.create(replace(CFG, lr=1e-3), MODEL, data=data, resume=path)
    with pytest.raises(ValueError, match=r"different model config.*hidden: 64 in the checkpoint, 96 now"):
        Trainer.create(CFG, replace(MODEL, hidden=96), data=data, resume=path)
    with pytest.raises(ValueError, match="row map"):
        Trainer.create(CFG, MODEL, data=build_dataset(tasks(3), views=2, seed=0), resume=path)
    # Run-length fields may change.
    Trainer.create(replace(CFG, steps=100, save_every=7), MODEL, data=data, resume=path)


class EchoModel(RecursiveModel):
    """Answers with its input canvas: predict() must give every view's input back in the task's frame."""

    def forward(self, tokens, puzzle, y, z):
        logits = torch.nn.functional.one_hot(tokens, 12).float() * 5
        return y, z, logits, torch.zeros(tokens.shape[0])


def test_predict_decodes_and_inverts_every_view():
    from arc_solver.views import sample_views

    rng = np.random.default_rng(3)
    grids = [grid(rng, 1, 8) for _ in range(3)]
    views = sample_views(4, rng)
    model = EchoModel(MODEL)
    inputs = [g for g in grids for _ in views]
    vs = [v for _ in grids for v in views]
    out = predict(model, torch.zeros(len(inputs), MODEL.puzzle_dim), inputs, vs, S=9, steps=2, batch_size=5)
    assert len(out) == 2 and len(out[-1]) == len(inputs)
    for (g, conf), want in zip(out[-1], inputs):
        assert np.array_equal(g, want) and conf == 0.5


def test_predict_with_a_trained_checkpoint(tmp_path):
    data = build_dataset(tasks(2), views=2, seed=0)
    path = tmp_path / "x.pt"
    train(replace(CFG, steps=4), MODEL, out=path, data=data, progress=False)
    model, emb, rows, cfg = load_model(path)
    assert cfg == MODEL and len(rows) == emb.rows == 4
    task = data.tasks[0]
    S = inference_side(task, CFG.canvas_sides)
    out = predict(model, emb.weight[[0, 1]], [task.test[0].input] * 2, data.views[0], S)
    assert len(out) == MODEL.n_sup
    for g, conf in out[-1]:
        assert (g is None or g.ndim == 2) and 0.0 <= conf <= 1.0


def test_inference_export_predicts_the_same_and_refuses_resume(tmp_path):
    data = build_dataset(tasks(2), views=2, seed=0)
    full, slim = tmp_path / "full.pt", tmp_path / "slim.pt"
    train(replace(CFG, steps=3), MODEL, out=full, data=data, progress=False)
    export_for_inference(full, slim)
    assert slim.stat().st_size < full.stat().st_size
    a, b = load_model(full), load_model(slim)
    for (ka, va), (kb, vb) in zip(a[0].state_dict().items(), b[0].state_dict().items()):
        assert ka == kb and torch.equal(va, vb)  # the EMA weights
    assert torch.equal(a[1].weight, b[1].weight) and a[2] == b[2] and a[3] == b[3]
    with pytest.raises(ValueError, match="inference-only"):
        Trainer.create(replace(CFG, steps=4), MODEL, data=data, resume=slim)


def task_folder(folder, ts):
    """Write tasks as one-task JSON files (the ARC-AGI-2 repository's layout)."""
    folder.mkdir()
    for t in ts:
        obj = {"train": [{"input": p.input.tolist(), "output": p.output.tolist()} for p in t.train],
               "test": [{"input": p.input.tolist(), "output": p.output.tolist()} for p in t.test]}
        (folder / f"{t.id}.json").write_text(json.dumps(obj))
    return folder


def test_cli_train(tmp_path, capsys):
    folder = task_folder(tmp_path / "tasks", tasks(2))
    out = tmp_path / "run" / "tiny.pt"
    args = ["train", "--preset", "tiny", "--tasks", str(folder), "--views", "2", "--steps", "2",
            "--batch-size", "4", "--out", str(out)]
    assert cli_main(args) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["step"] == 2 and out.exists()
    conf = json.loads(out.with_suffix(".config.json").read_text())
    assert conf["model"]["d"] == ModelConfig.preset("tiny").d and conf["train"]["batch_size"] == 4
    resume = [a if a != "2" or i != args.index("--steps") + 1 else "3" for i, a in enumerate(args)]
    assert cli_main(resume + ["--resume", str(out)]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["step"] == 3


# --- schedule, EMA, compile (short runs must export trained weights) ------------------

def test_warm_up_is_a_fraction_of_the_planned_run():
    from arc_solver.train import lr_factor

    cfg = TrainConfig(steps=100, warmup_frac=0.1)
    assert lr_factor(cfg, 4, 0.05) == pytest.approx(0.5) and lr_factor(cfg, 10, 0.1) == 1.0
    assert lr_factor(cfg, 99, 0.99) == 1.0  # constant after warm-up by default
    cos = replace(cfg, lr_min_ratio=0.1)
    assert lr_factor(cos, 55, 0.55) == pytest.approx(0.55) and lr_factor(cos, 100, 1.0) == pytest.approx(0.1)
    fixed = TrainConfig(warmup_steps=4)
    assert [lr_factor(fixed, s, 0.0) for s in range(5)] == [0.25, 0.5, 0.75, 1.0, 1.0]
    # The trm preset on a short run reaches its learning rate (a fixed 2000-step warm-up never did).
    data = build_dataset(tasks(2), views=2, seed=0)
    tr = Trainer.create(replace(CFG, steps=20, warmup_steps=0, warmup_frac=0.25, log_every=5), MODEL, data=data)
    tr.run(None, progress=False)
    assert [h["lr"] for h in tr.history] == pytest.approx([CFG.lr] * 4)  # steps 5, 10, 15, 20: past 25%
    timed = Trainer.create(replace(CFG, steps=0, minutes=10.0, warmup_frac=0.1), MODEL, data=data)
    timed.seconds = 30.0  # half-way through a 60 s warm-up of a 10-minute run
    assert timed.lr_mult() == pytest.approx(0.5)


def test_ema_is_bias_corrected():
    from arc_solver.train import EMA

    net = torch.nn.Linear(1, 1, bias=False)
    ema = EMA(net, decay=0.9)
    thetas = [1.0, 2.0, 4.0]
    for t in thetas:
        net.weight.data.fill_(t)
        ema.update(net)
    w = np.array([0.9 ** 2, 0.9, 1.0])
    assert ema.shadow["weight"].item() == pytest.approx(float((w * thetas).sum() / w.sum()), rel=1e-6)
    first = EMA(net, decay=0.999)
    net.weight.data.fill_(7.0)
    first.update(net)
    assert first.shadow["weight"].item() == pytest.approx(7.0)  # no trace of the initial weight


def test_a_short_run_exports_weights_not_dominated_by_the_initialisation(tmp_path):
    data = build_dataset(tasks(3), views=2, seed=0)
    path = tmp_path / "x.pt"
    train(replace(CFG, steps=30, ema_decay=0.999, lr=1e-2, warmup_steps=3), MODEL, out=path, data=data, progress=False)
    torch.manual_seed(CFG.seed)
    init = RecursiveModel(MODEL).state_dict()
    ckpt = load_checkpoint(path)
    assert ckpt["ema"]["updates"] == 30
    exported, final = ckpt["ema"]["shadow"], ckpt["model"]
    for name in ("blocks.0.mlp.down.weight", "head.weight"):
        moved = (final[name] - init[name]).norm()
        assert (exported[name] - init[name]).norm() > 0.5 * moved, name  # uncorrected 0.999 gives about 0.03
    assert "y" not in ckpt["stream"]["slots"][0]  # carried states are not saved by default


def test_compiled_network_keeps_few_graphs_across_canvas_sides_and_batches():
    from torch._dynamo.utils import counters

    torch._dynamo.reset()
    counters.clear()
    data = build_dataset(tasks(6, hi=12), views=2, seed=0)
    cfg = replace(CFG, canvas_sides=(4, 6, 8, 13, 30), batch_size=5, steps=12)
    plain = Trainer.create(cfg, MODEL, data=data)
    compiled = Trainer.create(cfg, MODEL, data=data)
    compiled.model.compile_network(backend="eager")  # dynamo's graph capture without code generation
    for _ in range(12):
        plain.train_step()
        compiled.train_step()
    assert len({s.S for s in compiled.stream.slots if s.inputs is not None}) >= 3
    assert counters["stats"]["unique_graphs"] <= 4  # with and without gradients, batch 1 specialised
    for p, q in zip(plain.model.parameters(), compiled.model.parameters()):
        assert torch.allclose(p, q, atol=1e-5)


def test_a_network_that_fails_to_compile_trains_without_compiling(monkeypatch, caplog):
    def broken_compile(fn, **kw):
        def fails(*a, **k):
            raise RuntimeError("no C++ compiler found\nsecond line")
        return fails

    monkeypatch.setattr(torch, "compile", broken_compile)
    data = build_dataset(tasks(3), views=2, seed=0)
    cfg = replace(CFG, compile=True, steps=3)
    with caplog.at_level("WARNING", logger="arc_solver.train"):
        tr = Trainer.create(cfg, MODEL, data=data)
        assert "f" in vars(tr.model)  # the compiled stand-in
        tr.run(None, progress=False)
    assert tr.step == 3 and "f" not in vars(tr.model)
    assert "compiling the network failed (no C++ compiler found)" in caplog.text
    # the failed first try updated nothing: the optimizer took exactly the 3 steps
    assert {int(st["step"]) for st in tr.opt.state.values()} == {3}


def test_cli_flags_come_from_the_config_and_resume_keeps_its_settings(tmp_path, capsys):
    folder = task_folder(tmp_path / "tasks", tasks(2))
    out = tmp_path / "run.pt"
    args = ["train", "--tasks", str(folder), "--views", "2", "--steps", "2", "--batch-size", "4", "--out", str(out),
            "--warmup-frac", "0.5", "--ema-decay", "0.99", "--halt-explore", "0.2", "--canvas-sides", "5", "30",
            "--betas", "0.8", "0.9", "--no-translate", "--model-d", "16", "--model-heads", "2", "--model-n-sup", "2", "--model-puzzle-dim", "32"]
    assert cli_main(args) == 0
    conf = json.loads(out.with_suffix(".config.json").read_text())
    assert conf["train"]["warmup_frac"] == 0.5 and conf["train"]["canvas_sides"] == [5, 30]
    assert conf["train"]["betas"] == [0.8, 0.9] and conf["train"]["translate"] is False
    assert conf["model"]["d"] == 16 and conf["model"]["n_sup"] == 2 and conf["model"]["hidden"] == 192  # tiny's
    assert conf["memory"]["micro_batch_per_side"] == {"5": 4}
    # Resume names only the run length: every other setting comes from the checkpoint.
    assert cli_main(["train", "--resume", str(out), "--out", str(out), "--steps", "3"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["step"] == 3
    # The loss curve of the run, from its log.
    assert cli_main(["curve", str(out.with_suffix(".log.jsonl")), "--out", str(tmp_path / "curve.png")]) == 0
    import matplotlib.image

    picture = matplotlib.image.imread(tmp_path / "curve.png")
    assert picture.shape[0] > 200 and picture.std() > 0.05
    # A changed setting is refused in one line with exit status 2, as is a run without a length.
    capsys.readouterr()
    assert cli_main(["train", "--resume", str(out), "--out", str(out), "--steps", "4", "--lr", "0.5"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "lr: 0.001 in the checkpoint, 0.5 now" in err[0]
    assert cli_main(["train", "--tasks", str(folder), "--out", str(tmp_path / "y.pt")]) == 2
    assert capsys.readouterr().err.strip() == "arc-solver train: error: give a run length: --steps N or --minutes M"


def test_init_from_starts_the_network_from_a_checkpoint_with_fresh_rows(tmp_path, capsys):
    pre = tmp_path / "pre.pt"
    train(replace(CFG, steps=4), MODEL, out=pre, data=build_dataset(tasks(3), views=2, seed=0), progress=False)
    slim = tmp_path / "pre_slim.pt"
    export_for_inference(pre, slim)
    # Other tasks (e.g. a submission's demonstrations), other views: the rows are new, the network is the checkpoint's.
    held = merge_tasks([], eval_tasks=tasks(2, seed=7))
    tr = Trainer.create(replace(CFG, init_from=str(slim), steps=1), MODEL, data=build_dataset(held, views=3, seed=1))
    exported = load_checkpoint(slim)["model"]
    for name, p in tr.model.state_dict().items():
        assert torch.equal(p, exported[name]), name
    assert tr.emb.rows == 6 and tr.emb.weight.abs().sum() == 0
    assert torch.equal(tr.ema.shadow["head.weight"], exported["head.weight"])
    with pytest.raises(ValueError, match="different model config"):
        Trainer.create(replace(CFG, init_from=str(slim)), replace(MODEL, hidden=96), data=build_dataset(held, 3, 1))
    # From the command line the model's shape comes from the checkpoint.
    folder = task_folder(tmp_path / "tasks", tasks(2, seed=7))
    out = tmp_path / "ttt.pt"
    assert cli_main(["train", "--init-from", str(slim), "--eval-tasks", str(folder), "--tasks", str(folder),
                     "--steps", "2", "--batch-size", "4", "--canvas-sides", "6", "30", "--out", str(out)]) == 0
    assert load_checkpoint(out)["model_config"] == MODEL.to_dict()
