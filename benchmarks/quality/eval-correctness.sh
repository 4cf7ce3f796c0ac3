#!/usr/bin/env bash
# Correctness checks of kiai-eval (BENCHMARKS.md, "Eval correctness"). One command, offline:
#   benchmarks/quality/eval-correctness.sh
# 1. numeric-match on GSM8K test[:300] through the real CLI (kiai eval run) with two replay models:
#    each case's own reference solution (expect 300/300) and the next case's solution (expect only the
#    pairs whose final answers coincide to pass).
# 2. The metric unit tests that pin ROUGE-L / BLEU to the published worked examples (Lin 2004,
#    Papineni et al. 2002), the GSM8K test and the WireMock judge test.
# Needs JDK 17+, Maven and python3 (to turn the dataset into a golden set); the data comes from
# ../shared/data (see its README.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="$root/../shared/data/eval/gsm8k-test-first300.jsonl"
if [ ! -f "$data" ]; then
  echo "eval-correctness: $data not found (shared datasets absent); nothing to measure" >&2
  exit 2
fi
jar="$(ls "$root"/sdk-cli/target/kiai-cli-*-all.jar 2>/dev/null | head -1 || true)"
if [ -z "$jar" ]; then
  (cd "$root" && mvn -B -q -DskipTests -pl sdk-cli -am package >&2)
  jar="$(ls "$root"/sdk-cli/target/kiai-cli-*-all.jar | head -1)"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$data" "$work" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
out = sys.argv[2]
with open(f"{out}/golden.jsonl", "w", encoding="utf-8") as g, \
     open(f"{out}/own.jsonl", "w", encoding="utf-8") as own, \
     open(f"{out}/neighbour.jsonl", "w", encoding="utf-8") as nb:
    for i, r in enumerate(rows):
        cid = f"gsm8k-{i}"
        g.write(json.dumps({"id": cid, "prompt": r["question"], "expected": r["answer"],
                            "assert": [{"type": "numeric-match"}]}) + "\n")
        own.write(json.dumps({"id": cid, "output": r["answer"]}) + "\n")
        nb.write(json.dumps({"id": cid, "output": rows[(i + 1) % len(rows)]["answer"]}) + "\n")
PY
for replay in own neighbour; do
  set +e
  java -jar "$jar" eval run --golden "$work/golden.jsonl" --model "replay:$work/$replay.jsonl" \
    --report-dir "$work/report-$replay" > "$work/$replay.out" 2> "$work/$replay.err"
  code=$?
  set -e
  passed=$(grep -c '"pass":true' "$work/$replay.out" || true)
  total=$(wc -l < "$work/$replay.out" | tr -d ' ')
  echo "numeric-match, replaying the $replay solution: $passed/$total cases pass (exit $code)"
  grep 'kiai eval run: gsm8k\|golden.jsonl on' "$work/$replay.err" || true
done
echo "neighbour solutions that pass (their final answer equals this case's):"
grep '"pass":true' "$work/neighbour.out" | sed 's/^{"id":"\([^"]*\)".*"reason":"\([^"]*\)".*/  \1: \2/'
(cd "$root" && mvn -B -q -o -pl sdk-eval -am test \
  -Dtest='TextMetricsTest,NumericAnswerTest,Gsm8kNumericMatchTest,JudgeWireMockTest' \
  -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep -v '^\[INFO\]' | grep -E 'gsm8k|ERROR|FAIL' || true)
for t in TextMetricsTest NumericAnswerTest Gsm8kNumericMatchTest JudgeWireMockTest; do
  f="$root/sdk-eval/target/surefire-reports/TEST-dev.kiai.eval.$t.xml"
  printf '%-24s %s\n' "$t" "$(grep -o 'tests="[0-9]*" errors="[0-9]*" skipped="[0-9]*" failures="[0-9]*"' "$f" | head -1)"
done
