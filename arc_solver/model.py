"""The recursive latent model (a Tiny Recursive Model with a variable canvas).

    python -m arc_solver train --preset tiny --tasks arc-agi-1/training --minutes 5 --out runs/tiny.pt

Read top to bottom: config and presets, the pieces of one block (RMSNorm,
2-D rotary positions, attention, SwiGLU), the network f, the recursion, the
puzzle embedding table with its own sign-SGD update, inference.

Three states of shape [B, P + S*S, d], P = puzzle-embedding prefix positions,
S = canvas side chosen per batch:
  x  embedded input canvas plus the puzzle-embedding prefix (fixed per sample),
  y  the current answer,
  z  a latent scratch state.
One recursion: n times z = f(x + y + z), then y = f(y + z); T recursions per
supervision step, the first T-1 without gradients. Logits = head(y) on the
canvas positions; a halting head reads y's first (prefix) position and says
whether the current answer is already exact.
"""
from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, fields

import torch
import torch.nn as nn
import torch.nn.functional as F

from .flags import option

PAD, EOS, VOCAB = 0, 1, 12  # colour c is token c + 2


# --- config -----------------------------------------------------------------

@dataclass(frozen=True)
class ModelConfig:
    d: int = option(512, "width of every state")
    heads: int = option(8, "attention heads")
    hidden: int = option(1536, "SwiGLU hidden width")
    blocks: int = option(2, "transformer blocks in the one network f")
    T: int = option(3, "recursions per supervision step (the first T-1 without gradients)")
    n: int = option(4, "z updates per recursion")
    n_sup: int = option(16, "supervision steps per sample (training maximum, inference default)")
    n_prefix: int = option(16, "puzzle-embedding positions in front of the canvas")
    puzzle_dim: int = option(512, "width of one embedding row; zero-padded to n_prefix * d")
    vocab: int = option(VOCAB, "tokens: PAD, EOS and 10 colours")
    rope_base: float = option(100.0, "rotary base; positions are at most 29, so a small base spreads the frequencies")
    norm_eps: float = option(1e-5, "RMSNorm epsilon")

    def __post_init__(self):
        if self.d % self.heads or (self.d // self.heads) % 4:
            raise ValueError(f"d={self.d} / heads={self.heads} must give a head width divisible by 4 "
                             "(2-D rotary: half rows, half columns, in pairs)")
        if not 0 < self.puzzle_dim <= self.n_prefix * self.d:
            raise ValueError(f"puzzle_dim={self.puzzle_dim} must be in 1..n_prefix*d={self.n_prefix * self.d}")
        if self.T < 1 or self.n < 1 or self.n_sup < 1 or self.n_prefix < 1:
            raise ValueError("T, n, n_sup and n_prefix must be >= 1")

    @classmethod
    def preset(cls, name: str) -> "ModelConfig":
        if name not in MODEL_PRESETS:
            raise ValueError(f"unknown model preset {name!r}; choose from {', '.join(MODEL_PRESETS)}")
        return MODEL_PRESETS[name]

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


MODEL_PRESETS: dict[str, ModelConfig] = {
    # The reference sizes for ARC: about 7M parameters besides the puzzle embeddings.
    "trm": ModelConfig(),
    # Trains on a 2-core CPU in minutes; same recursion, fewer and shorter steps.
    "tiny": ModelConfig(d=64, heads=2, hidden=192, T=2, n=2, n_sup=6, n_prefix=4, puzzle_dim=128),
}


def autocast(device: torch.device | str):
    """bf16 autocast on CUDA; plain fp32 elsewhere."""
    device = torch.device(device)
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


# --- one block ----------------------------------------------------------------

def rms_norm(x: torch.Tensor, eps: float) -> torch.Tensor:
    # In fp32 for stability under bf16 autocast; no learned scale, as in the reference.
    return F.rms_norm(x.float(), (x.shape[-1],), eps=eps).to(x.dtype)


def rotary_2d(S: int, n_prefix: int, head_dim: int, base: float, device) -> tuple[torch.Tensor, torch.Tensor]:
    """cos, sin of shape [P + S*S, head_dim] for 2-D rotary positions.

    The first half of each head rotates with the cell's row, the second half
    with its column, so cell (r, c) has the same position at every canvas
    side S. Prefix positions get angle 0 (no rotation): they carry no place.
    """
    quarter = head_dim // 4
    freq = base ** (-torch.arange(quarter, dtype=torch.float32, device=device) / quarter)
    idx = torch.arange(S * S, device=device)
    rows, cols = (idx // S).float(), (idx % S).float()
    ang_r, ang_c = rows[:, None] * freq, cols[:, None] * freq  # [S*S, quarter]
    ang = torch.cat([ang_r, ang_r, ang_c, ang_c], dim=-1)  # [S*S, head_dim]
    ang = torch.cat([torch.zeros(n_prefix, head_dim, device=device), ang], dim=0)
    return ang.cos(), ang.sin()


def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate pairs (a_i, b_i) inside each half (rows | columns) of the head: x [B, H, L, hd]."""
    q = x.shape[-1] // 4
    a_r, b_r, a_c, b_c = x.split(q, dim=-1)
    rotated = torch.cat([-b_r, a_r, -b_c, a_c], dim=-1)
    return x * cos.to(x.dtype) + rotated * sin.to(x.dtype)


class Attention(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.heads = cfg.heads
        self.qkv = nn.Linear(cfg.d, 3 * cfg.d, bias=False)
        self.out = nn.Linear(cfg.d, cfg.d, bias=False)

    def forward(self, h: torch.Tensor, rope: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        B, L, d = h.shape
        q, k, v = self.qkv(h).view(B, L, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        q, k = apply_rotary(q, *rope), apply_rotary(k, *rope)
        a = F.scaled_dot_product_attention(q, k, v)  # every position sees every other (no mask)
        return self.out(a.transpose(1, 2).reshape(B, L, d))


class SwiGLU(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.gate_up = nn.Linear(cfg.d, 2 * cfg.hidden, bias=False)
        self.down = nn.Linear(cfg.hidden, cfg.d, bias=False)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        gate, up = self.gate_up(h).chunk(2, dim=-1)
        return self.down(F.silu(gate) * up)


class Block(nn.Module):
    """Post-norm: h = norm(h + attn(h)); h = norm(h + mlp(h))."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.eps = cfg.norm_eps
        self.attn = Attention(cfg)
        self.mlp = SwiGLU(cfg)

    def forward(self, h: torch.Tensor, rope) -> torch.Tensor:
        h = rms_norm(h + self.attn(h, rope), self.eps)
        return rms_norm(h + self.mlp(h), self.eps)


# --- the model ----------------------------------------------------------------

class RecursiveModel(nn.Module):
    """One network f of `blocks` blocks, used for every update of z and y."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.tok_emb = nn.Embedding(cfg.vocab, cfg.d)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.blocks))
        self.head = nn.Linear(cfg.d, cfg.vocab, bias=False)
        self.halt = nn.Linear(cfg.d, 1, bias=True)
        # Starting answer and latent: fixed random vectors, broadcast over positions.
        self.register_buffer("y_init", torch.randn(cfg.d))
        self.register_buffer("z_init", torch.randn(cfg.d))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Linear):  # LeCun normal: keeps unit-scale activations
                nn.init.trunc_normal_(m.weight, std=1.0 / math.sqrt(m.in_features), a=-2 / math.sqrt(m.in_features),
                                      b=2 / math.sqrt(m.in_features))
        nn.init.trunc_normal_(self.tok_emb.weight, std=1.0 / math.sqrt(self.cfg.d))
        # Halting starts firmly at "not yet" so early training runs every supervision step.
        nn.init.zeros_(self.halt.weight)
        nn.init.constant_(self.halt.bias, -5.0)

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def embed(self, tokens: torch.Tensor, puzzle: torch.Tensor) -> torch.Tensor:
        """x = [puzzle rows as P prefix positions ; token embeddings of the canvas], scaled by sqrt(d)."""
        B = tokens.shape[0]
        cfg = self.cfg
        prefix = F.pad(puzzle, (0, cfg.n_prefix * cfg.d - puzzle.shape[-1])).view(B, cfg.n_prefix, cfg.d)
        x = torch.cat([prefix.to(self.tok_emb.weight.dtype), self.tok_emb(tokens.flatten(1))], dim=1)
        return x * math.sqrt(cfg.d)

    def initial_state(self, B: int, S: int) -> tuple[torch.Tensor, torch.Tensor]:
        L = self.cfg.n_prefix + S * S
        return (self.y_init.expand(B, L, -1).contiguous(), self.z_init.expand(B, L, -1).contiguous())

    def f(self, h: torch.Tensor, rope) -> torch.Tensor:
        for block in self.blocks:
            h = block(h, rope)
        return h

    def compile_network(self, backend: str = "inductor") -> None:
        """torch.compile the network f once, with symbolic batch and sequence sizes: every call of the
        recursion, at every canvas side, reuses the same few graphs (with and without gradients),
        instead of one fully unrolled graph per canvas side. The weights are untouched."""
        self.f = torch.compile(self.f, dynamic=True, backend=backend)

    def recursion(self, x, y, z, rope):
        for _ in range(self.cfg.n):
            z = self.f(x + y + z, rope)
        y = self.f(y + z, rope)
        return y, z

    def forward(self, tokens: torch.Tensor, puzzle: torch.Tensor, y: torch.Tensor, z: torch.Tensor):
        """One supervision step.

        tokens [B, S, S] long canvas, puzzle [B, puzzle_dim] embedding rows,
        y, z [B, P + S*S, d] carried states. Returns (y, z) detached for the
        next step, logits [B, S, S, vocab] and the halting logit [B].
        """
        B, S, _ = tokens.shape
        cfg = self.cfg
        x = self.embed(tokens, puzzle)
        rope = rotary_2d(S, cfg.n_prefix, cfg.d // cfg.heads, cfg.rope_base, tokens.device)
        with torch.no_grad():
            for _ in range(cfg.T - 1):
                y, z = self.recursion(x, y, z, rope)
        y, z = self.recursion(x, y, z, rope)
        logits = self.head(y[:, cfg.n_prefix:]).view(B, S, S, cfg.vocab)
        halt = self.halt(y[:, 0]).squeeze(-1)
        return y.detach(), z.detach(), logits, halt


# --- puzzle embeddings --------------------------------------------------------

class PuzzleEmbedding(nn.Module):
    """One zero-initialised row per (task, view); not a parameter of the network.

    Trained by `sign_sgd_rows` at its own learning rate, touching only the rows
    of the batch (the reference's scheme), so it has no optimizer state and a
    checkpoint holds just the table.
    """

    def __init__(self, rows: int, dim: int):
        super().__init__()
        self.register_buffer("weight", torch.zeros(rows, dim))

    @property
    def rows(self) -> int:
        return self.weight.shape[0]

    def lookup(self, ids: torch.Tensor) -> torch.Tensor:
        """Rows for `ids` as a fresh leaf that collects their gradient."""
        return self.weight[ids].detach().requires_grad_(True)

    def extend(self, n: int) -> range:
        """Append n zero rows (e.g. for unseen tasks at test time); returns their ids."""
        start = self.rows
        self.weight = torch.cat([self.weight, self.weight.new_zeros(n, self.weight.shape[1])])
        return range(start, start + n)

    @torch.no_grad()
    def sign_sgd_rows(self, ids: torch.Tensor, grad: torch.Tensor, lr: float, weight_decay: float,
                      world: int = 1) -> None:
        """row <- row * (1 - lr * wd) - lr * sign(sum of its gradients), only for rows in `ids`.

        Under torch.distributed the ids and gradients of every rank are
        gathered first, so each rank applies the same update and the tables
        stay identical.
        """
        if world > 1:
            import torch.distributed as dist

            all_ids = [torch.empty_like(ids) for _ in range(world)]
            all_grads = [torch.empty_like(grad) for _ in range(world)]
            dist.all_gather(all_ids, ids)
            dist.all_gather(all_grads, grad.contiguous())
            ids, grad = torch.cat(all_ids), torch.cat(all_grads)
        uniq, inverse = torch.unique(ids, return_inverse=True)
        total = torch.zeros(len(uniq), grad.shape[1], dtype=torch.float32, device=grad.device)
        total.index_add_(0, inverse, grad.float())
        rows = self.weight[uniq]
        self.weight[uniq] = rows * (1.0 - lr * weight_decay) - lr * torch.sign(total)
