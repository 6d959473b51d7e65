#!/usr/bin/env bash
# The GPU figures in one prepared run. Steps (STEPS picks and orders them, default: the trm recipe's):
#   tests      the tests that need CUDA (bf16 autocast, the trm memory plan from free memory)
#   bench_tiny bench train for tiny at its batch (32) and at 256: samples/s, cells/s, peak memory
#   bench_trm  bench train for trm with compile
#   train_trm  a 5-minute trm training on ARC-AGI-1 training, its loss curve
#   torchrun   a one-GPU torchrun (NCCL) training
#   submit     the model alone on ARC-AGI-1 evaluation (joint phase on every canvas side), BUDGET seconds,
#              SUBMIT_ARGS added to its command line (e.g. "--joint-batch 256")
#   versus     both sources (the model on the GPU) against programs alone on ARC-AGI-1 evaluation, BUDGET
#              seconds each, run side by side at the same time, each pinned to its own half of the cores
#              with as many workers as cores (after a short run that fills Numba's cache for both)
# Every result lands in $OUT (default runs/gpu); about 12 minutes on one H100 for the default steps.
#
#   make bench-gpu                                   # on a machine with a GPU and the project installed
#   OUT=/tmp/out PYTHON=python3 STEPS="tests bench_tiny submit" BUDGET=450 bash scripts/gpu_check.sh
#
# Each step has its own time limit and the script goes on after a failure, so one broken step
# costs only its own figure.
set -u
OUT=${OUT:-runs/gpu}
PYTHON=${PYTHON:-.venv/bin/python}
STEPS=${STEPS:-tests bench_tiny bench_trm train_trm torchrun}
BUDGET=${BUDGET:-450}
DEVICE=${DEVICE:-cuda}  # cpu: a dry run of the script on a machine without a GPU
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
"$PYTHON" -c 'import torch, numba, numpy; print("torch", torch.__version__, "numba", numba.__version__, "numpy",
numpy.__version__, "cuda", torch.cuda.is_available())' >>"$OUT/gpu.txt" 2>&1
for step in $STEPS; do
  case $step in
    tests) run tests 90 "$PYTHON" -m pytest -q -p no:cacheprovider tests/test_model.py tests/test_memory.py -k cuda ;;
    bench_tiny)
      run bench_tiny 60 "$PYTHON" -m arc_solver bench train --preset tiny --device "$DEVICE" --steps 24
      run bench_tiny_b256 60 "$PYTHON" -m arc_solver bench train --preset tiny --device "$DEVICE" --steps 24 \
          --batch-size 256 ;;
    bench_trm) run bench_trm 240 "$PYTHON" -m arc_solver bench train --preset trm --device "$DEVICE" --compile --steps 12 ;;
    train_trm)
      run train_trm 360 "$PYTHON" -m arc_solver train --preset trm --tasks arc-agi-1/training --device "$DEVICE" \
          --minutes 5 --compile --save-every 0 --out "$OUT/trm5.pt"
      run curve 60 "$PYTHON" -m arc_solver curve "$OUT/trm5.log.jsonl" --out "$OUT/trm5_curve.png" ;;
    torchrun) run torchrun 150 "$PYTHON" -m torch.distributed.run --standalone --nproc_per_node=1 -m arc_solver train \
        --preset trm --tasks arc-agi-1/training --device "$DEVICE" --steps 20 --save-every 0 --out "$OUT/torchrun.pt" ;;
    submit)  # the run's files go to a scratch folder; its summary, score and log come back in $OUT
      sub=${TMPDIR:-/tmp}/gpu_submit
      rm -rf "$sub"
      run submit $((BUDGET + 30)) "$PYTHON" -m arc_solver submit --tasks arc-agi-1/evaluation --sources model \
          --device "$DEVICE" --workers 1 --time-budget "$BUDGET" --joint-share 0.95 --out "$sub/submission.json" \
          ${SUBMIT_ARGS:-}
      cp "$sub/submission.score.md" "$OUT/submit.score.md" 2>/dev/null ;;
    versus)
      sub=${TMPDIR:-/tmp}/gpu_versus
      rm -rf "$sub"
      half=$(( $(nproc) / 2 ))
      run warm 120 "$PYTHON" -m arc_solver submit --tasks arc-agi-1/training --sources programs --workers "$half" \
          --time-budget 30 --out "$sub/warm/submission.json"
      for name in programs both; do
        if [ $name = programs ]; then cores=0-$((half - 1)) sources=programs
        else cores=$half-$((2 * half - 1)) sources=programs,model; fi
        pin=(taskset -c "$cores")
        command -v taskset >/dev/null || { pin=(); echo "no taskset: the two runs share every core" >&2; }
        run "$name" $((BUDGET + 60)) "${pin[@]}" "$PYTHON" -m arc_solver submit --tasks arc-agi-1/evaluation \
            --sources "$sources" --device "$DEVICE" --workers "$half" --time-budget "$BUDGET" \
            --out "$sub/$name/submission.json" ${SUBMIT_ARGS:-} &
      done
      wait
      for name in programs both; do cp "$sub/$name/submission.score.md" "$OUT/$name.score.md" 2>/dev/null; done ;;
    *) echo "unknown step $step" >&2 ;;
  esac
done
rm -f "$OUT"/*.pt  # checkpoints stay behind: the figures are in the JSON, logs and the curve
