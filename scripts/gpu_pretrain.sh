#!/usr/bin/env bash
# Pretrain candidate default checkpoints on one GPU, side by side: `tiny` is bound by kernel launches
# there, so a few trainings share one card (four on one H100: 10.5-12.1 steps/s each at batch 256, about
# 1.2x one run's samples together). Every candidate trains on ARC-AGI-1
# training + ARC-AGI-2 training with both evaluation sets excluded (their tasks and every task sharing a
# distinctive grid with them), for MINUTES, and is exported for inference to $OUT/<name>.pt, its output
# and its last log lines in $OUT/<name>.log.
#
#   OUT=/tmp/out PYTHON=python3 MINUTES=7 bash scripts/gpu_pretrain.sh
#
# Candidates (name: extra train flags) are in VARIANTS below; compare them on held-out tasks on the
# machine the model will run on, e.g. `arc-solver bench ttt --checkpoint $OUT/b1.pt --tasks arc-agi-1/evaluation`.
set -u
OUT=${OUT:-runs/pretrain_gpu}
PYTHON=${PYTHON:-.venv/bin/python}
MINUTES=${MINUTES:-7}  # each run is killed at the whole minutes + 150 s
DEVICE=${DEVICE:-cuda}  # cpu: a dry run on a machine without a GPU
VARIANTS=${VARIANTS:-"b1: --lr 0.001 b2: --lr 0.002 v16: --lr 0.001 --views 16 w1: --lr 0.001 --model-d 128 --model-heads 4 --model-hidden 384"}
WORK=${TMPDIR:-/tmp}/gpu_pretrain  # full checkpoints and logs; only the exports go to $OUT
rm -rf "$WORK"
mkdir -p "$OUT" "$WORK"
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv >&2
pids=()
IFS=' ' read -r -a words <<<"$VARIANTS"
name="" flags=()
launch() {
  [ -n "$name" ] || return 0
  echo "== $name: ${flags[*]}" >&2
  timeout $(( ${MINUTES%.*} * 60 + 150 )) "$PYTHON" -m arc_solver train --preset tiny \
      --tasks arc-agi-1/training arc-agi-2/training --exclude arc-agi-1/evaluation arc-agi-2/evaluation \
      --device "$DEVICE" --batch-size 256 --lr-min-ratio 0.1 --memory-fraction 0.2 --compile \
      --minutes "$MINUTES" --save-minutes 2 --log-every 100 "${flags[@]}" \
      --out "$WORK/$name.pt" --export "$OUT/$name.pt" >"$OUT/$name.log" 2>&1 &
  pids+=($!)
}
for w in "${words[@]}"; do
  if [[ $w == *: ]]; then launch; name=${w%:} flags=(); else flags+=("$w"); fi
done
launch
for p in "${pids[@]}"; do wait "$p"; echo "exit $? (pid $p)" >&2; done
for f in "$WORK"/*.log.jsonl; do tail -n 3 "$f" >>"$OUT/$(basename "$f" .log.jsonl).log"; done
ls -la "$OUT" >&2
