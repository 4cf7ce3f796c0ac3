#!/usr/bin/env bash
# GPU check for the local-GPU planner (issue 8). Runs on the GPU machine (H200, PyTorch, no JDK), after
# benchmarks/gpu/prepare.sh ran on the build machine and ".jre" + "benchmarks/gpu/target" were carried.
# Prints every figure and writes gpu-check.log and gpu-check.json into $OUT. CI never runs it.
#
# What it measures, against the Java VramPlanner (called through `kiai gpu plan`):
#   1. a random-weight Llama-3.1-8B-shaped model in bf16 (PyTorch + transformers): parameter count and
#      weight bytes against the planner;
#   2. generation at several batch sizes and context lengths: torch.cuda.max_memory_allocated against
#      the planner's weights + KV cache (target within +-10 % with the default 2 GiB overhead);
#   3. batch-1 decode tokens/s at 2048 tokens of context against the planner's bandwidth bound, and the
#      copy bandwidth the GPU reaches, so the bound can be read against what the memory really delivers.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${OUT:-$root/benchmarks/gpu/target/out}"
mkdir -p "$OUT"
exec > >(tee -a "$OUT/gpu-check.log") 2>&1
echo "gpu check started $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname)"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
java="$root/.jre/bin/java"
jar="$root/benchmarks/gpu/target/kiai-cli-gpu.jar"
if [ ! -x "$java" ] || [ ! -f "$jar" ]; then
  echo "missing $java or $jar: run benchmarks/gpu/prepare.sh on the build machine and carry both" >&2
  exit 2
fi
"$java" -version 2>&1 | head -n 1
python3 "$root/benchmarks/gpu/vram_check.py" --java "$java" --jar "$jar" --out "$OUT" "$@"
echo "gpu check finished $(date -u +%Y-%m-%dT%H:%M:%SZ)"
