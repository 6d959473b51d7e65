"""The recursive model: sizes, 2-D rotary positions, the recursion and its gradients, puzzle rows."""
import math

import pytest
import torch

from arc_solver.model import (MODEL_PRESETS, ModelConfig, PuzzleEmbedding, RecursiveModel, apply_rotary, autocast,
                              rotary_2d)

SMALL = ModelConfig(d=32, heads=2, hidden=48, T=2, n=2, n_sup=3, n_prefix=2, puzzle_dim=40)


def test_trm_has_about_seven_million_parameters():
    model = RecursiveModel(ModelConfig.preset("trm"))
    n = model.num_parameters()
    print(f"trm parameters (without puzzle embeddings): {n:,}")
    assert abs(n - 7e6) / 7e6 < 0.10
    cfg = model.cfg
    assert (cfg.d, cfg.heads, cfg.hidden, cfg.T, cfg.n, cfg.n_sup, cfg.n_prefix, cfg.blocks) == \
        (512, 8, 1536, 3, 4, 16, 16, 2)
    # No biases anywhere in the blocks (the halting head keeps one to start at "not yet").
    assert all(not name.endswith("bias") for name, _ in model.named_parameters() if not name.startswith("halt"))


def test_presets_and_config_errors():
    assert set(MODEL_PRESETS) == {"tiny", "trm"}
    assert ModelConfig.preset("tiny").d < ModelConfig.preset("trm").d
    with pytest.raises(ValueError, match="unknown model preset"):
        ModelConfig.preset("huge")
    with pytest.raises(ValueError, match="divisible by 4"):
        ModelConfig(d=24, heads=4)
    with pytest.raises(ValueError, match="puzzle_dim"):
        ModelConfig(d=32, heads=2, n_prefix=1, puzzle_dim=64)


@pytest.mark.parametrize("S", [1, 3, 7, 30])
def test_forward_shapes_any_canvas(S):
    torch.manual_seed(0)
    model = RecursiveModel(SMALL)
    B = 3
    tokens = torch.randint(0, 12, (B, S, S))
    y, z = model.initial_state(B, S)
    y2, z2, logits, halt = model(tokens, torch.randn(B, SMALL.puzzle_dim), y, z)
    assert logits.shape == (B, S, S, 12) and halt.shape == (B,)
    assert y2.shape == z2.shape == (B, SMALL.n_prefix + S * S, SMALL.d)
    assert not y2.requires_grad and not z2.requires_grad  # the carry is detached
    assert torch.isfinite(logits).all()


def test_rotary_position_of_a_cell_is_the_same_at_every_canvas_size():
    P, hd = 3, 16
    cos5, sin5 = rotary_2d(5, P, hd, 100.0, "cpu")
    cos9, sin9 = rotary_2d(9, P, hd, 100.0, "cpu")
    for r in range(5):
        for c in range(5):
            assert torch.equal(cos5[P + r * 5 + c], cos9[P + r * 9 + c])
            assert torch.equal(sin5[P + r * 5 + c], sin9[P + r * 9 + c])
    # Prefix positions are not rotated.
    assert torch.equal(cos9[:P], torch.ones(P, hd)) and torch.equal(sin9[:P], torch.zeros(P, hd))


def test_rotary_scores_depend_only_on_the_row_and_column_offset():
    torch.manual_seed(1)
    S, hd = 8, 16
    cos, sin = rotary_2d(S, 0, hd, 100.0, "cpu")
    q, k = torch.randn(hd), torch.randn(hd)

    def score(a, b):  # query at cell a, key at cell b
        qa = apply_rotary(q.view(1, 1, 1, hd), cos[a[0] * S + a[1]], sin[a[0] * S + a[1]])
        kb = apply_rotary(k.view(1, 1, 1, hd), cos[b[0] * S + b[1]], sin[b[0] * S + b[1]])
        return float((qa * kb).sum())

    assert math.isclose(score((1, 2), (3, 5)), score((4, 0), (6, 3)), rel_tol=1e-4, abs_tol=1e-5)
    assert math.isclose(score((0, 0), (0, 0)), score((7, 7), (7, 7)), rel_tol=1e-4, abs_tol=1e-5)
    # Row and column offsets are told apart (not a 1-D position in disguise).
    assert not math.isclose(score((0, 0), (1, 2)), score((0, 0), (2, 1)), rel_tol=1e-3)
    # Rotation keeps the norm.
    x = torch.randn(2, 2, S * S, hd)
    assert torch.allclose(apply_rotary(x, cos, sin).norm(dim=-1), x.norm(dim=-1), atol=1e-5)


def manual_step(model, tokens, puzzle, y, z):
    """The recursion written out: T-1 recursions without gradients, the last with them."""
    cfg = model.cfg
    x = model.embed(tokens, puzzle)
    rope = rotary_2d(tokens.shape[1], cfg.n_prefix, cfg.d // cfg.heads, cfg.rope_base, "cpu")

    def recursion(y, z):
        for _ in range(cfg.n):
            z = model.f(x + y + z, rope)
        return model.f(y + z, rope), z

    with torch.no_grad():
        for _ in range(cfg.T - 1):
            y, z = recursion(y, z)
    y, z = recursion(y, z)
    return y, z, model.head(y[:, cfg.n_prefix:]), model.halt(y[:, 0])


def test_forward_is_the_recursion_and_only_the_last_recursion_has_gradients():
    torch.manual_seed(2)
    model = RecursiveModel(SMALL)
    with torch.no_grad():  # a halting head that reads y, so its gradient is not trivially zero
        model.halt.weight.normal_()
    S, B = 4, 2
    tokens = torch.randint(0, 12, (B, S, S))
    puzzle = torch.randn(B, SMALL.puzzle_dim)
    y0, z0 = model.initial_state(B, S)

    y, z, logits, halt = model(tokens, puzzle, y0, z0)
    (logits.square().mean() + halt.sum()).backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters()}
    model.zero_grad()

    my, mz, mlogits, mhalt = manual_step(model, tokens, puzzle, y0, z0)
    (mlogits.square().mean() + mhalt.sum()).backward()
    assert torch.allclose(y, my) and torch.allclose(z, mz)
    assert torch.allclose(logits.flatten(), mlogits.flatten()) and torch.allclose(halt, mhalt.squeeze(-1))
    for n, p in model.named_parameters():
        assert torch.allclose(grads[n], p.grad, atol=1e-6), n

    # Changing the number of gradient-free recursions changes the answer but not which calls get gradients:
    # with T=1 the result differs (the recursion really repeats).
    one = RecursiveModel(ModelConfig(**{**SMALL.to_dict(), "T": 1}))
    one.load_state_dict(model.state_dict())
    y1, *_ = one(tokens, puzzle, y0, z0)
    assert not torch.allclose(y1, y)


def test_carried_state_changes_the_answer():
    """Deep supervision depends on y, z being carried: the same input from a different state differs."""
    torch.manual_seed(3)
    model = RecursiveModel(SMALL).eval()
    tokens = torch.randint(0, 12, (1, 5, 5))
    puzzle = torch.zeros(1, SMALL.puzzle_dim)
    y, z = model.initial_state(1, 5)
    with torch.no_grad():
        y1, z1, l1, _ = model(tokens, puzzle, y, z)
        y2, z2, l2, _ = model(tokens, puzzle, y1, z1)
    assert not torch.allclose(l1, l2)


def test_puzzle_rows_change_the_answer_and_get_gradients():
    torch.manual_seed(4)
    model = RecursiveModel(SMALL)
    emb = PuzzleEmbedding(5, SMALL.puzzle_dim)
    assert torch.equal(emb.weight, torch.zeros(5, SMALL.puzzle_dim))  # zero-initialised
    tokens = torch.randint(0, 12, (2, 3, 3))
    ids = torch.tensor([1, 3])
    rows = emb.lookup(ids)
    y, z = model.initial_state(2, 3)
    _, _, logits, _ = model(tokens, rows, y, z)
    logits.square().mean().backward()
    assert rows.grad is not None and rows.grad.abs().sum() > 0
    with torch.no_grad():
        _, _, other, _ = model(tokens, torch.ones(2, SMALL.puzzle_dim), y, z)
    assert not torch.allclose(other, logits)


def test_sign_sgd_touches_only_the_rows_in_the_batch():
    emb = PuzzleEmbedding(6, 4)
    emb.weight[5] = 1.0
    ids = torch.tensor([1, 3, 1])
    grad = torch.tensor([[1.0, -1.0, 0.5, 0.0], [-2.0, 2.0, 0.0, 0.0], [1.0, 1.0, -1.0, 0.0]])
    emb.sign_sgd_rows(ids, grad, lr=0.1, weight_decay=0.0)
    # Row 1's gradients are summed first: (2, 0, -0.5, 0) -> sign (1, 0, -1, 0).
    assert torch.allclose(emb.weight[1], torch.tensor([-0.1, 0.0, 0.1, 0.0]))
    assert torch.allclose(emb.weight[3], torch.tensor([0.2, -0.2, 0.0, 0.0]) / 2)
    assert torch.equal(emb.weight[[0, 2, 4]], torch.zeros(3, 4))
    assert torch.equal(emb.weight[5], torch.ones(4))  # untouched: no weight decay either
    new = emb.extend(2)
    assert list(new) == [6, 7] and emb.rows == 8 and torch.equal(emb.weight[6:], torch.zeros(2, 4))


def test_autocast_is_fp32_on_cpu():
    model = RecursiveModel(SMALL)
    tokens = torch.randint(0, 12, (1, 2, 2))
    with autocast("cpu"):
        y, z, logits, halt = model(tokens, torch.zeros(1, SMALL.puzzle_dim), *model.initial_state(1, 2))
    assert logits.dtype == torch.float32 and y.dtype == torch.float32


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_bf16_autocast_on_cuda():
    model = RecursiveModel(SMALL).to("cuda")
    tokens = torch.randint(0, 12, (2, 4, 4), device="cuda")
    with autocast("cuda"):
        _, _, logits, _ = model(tokens, torch.zeros(2, SMALL.puzzle_dim, device="cuda"),
                                *model.initial_state(2, 4))
    assert logits.dtype == torch.bfloat16
