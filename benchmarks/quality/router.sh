#!/usr/bin/env bash
# Learned quality router on MMLU outcomes, measured with the kiai CLI (BENCHMARKS.md, "Router quality").
#
#   benchmarks/quality/router.sh                 # lexical featurizer, logistic regression, seeds 42 7 2024
#   SEEDS=42 METHOD=knn DIMS=256 benchmarks/quality/router.sh
#
# For each seed: split ../shared/data/routing/mmlu-outcomes-dev.jsonl by whole subjects (25 % of the 40
# subjects held out, seeded shuffle), train on the rest, and report on the held-out subjects: APGR,
# CPT(50%), CPT(80%) and the premium share reaching 95 % of GPT-4's accuracy, beside a random router on
# the same prompts (mean of 20 seeds). Outputs (router files, curves) go to benchmarks/target/quality-router.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${KIAI_DATA:-$here/../shared/data}/routing/mmlu-outcomes-dev.jsonl"
if [ ! -f "$data" ]; then
  echo "router.sh: $data not found; set KIAI_DATA to the folder holding routing/mmlu-outcomes-dev.jsonl" >&2
  exit 2
fi
out="$here/benchmarks/target/quality-router${OUT_SUFFIX:-}"
mkdir -p "$out"
seeds="${SEEDS:-42 7 2024}"
method="${METHOD:-logistic}"
embedding="${EMBEDDING:-lexical}"
dims="${DIMS:-1024}"
strong=gpt-4-1106-preview
weak=mixtral-8x7b-instruct
kiai="$here/kiai"
echo "data: $data ($(wc -l < "$data") prompts); method $method; embedding $embedding ($dims dims if lexical); seeds $seeds"
for seed in $seeds; do
  echo
  echo "=== seed $seed"
  "$kiai" route split --in "$data" --by subject --holdout 0.25 --seed "$seed" \
    --train-out "$out/train-$seed.jsonl" --test-out "$out/test-$seed.jsonl"
  "$kiai" route train --in "$out/train-$seed.jsonl" --strong "$strong" --weak "$weak" \
    --method "$method" --embedding "$embedding" --dims "$dims" --seed "$seed" --out "$out/router-$seed.json"
  "$kiai" route bench --router "$out/router-$seed.json" --in "$out/test-$seed.jsonl" \
    --curve "$out/curve-$seed.csv"
done
