#!/usr/bin/env bash
# Quality of Kiai's semantic cache on GPTCache's own paraphrase benchmark, through the kiai CLI.
#
#   benchmarks/quality/cache.sh            # needs ../shared/data (see its README), JDK 17+, Maven, python3
#
# Data: ../shared/data/cache/gptcache-paraphrase-pairs.json, 999 {"origin","similar"} pairs (positives).
# Negatives, by a fixed pairing: origin[i] with similar[(i+1) % 999] (shift by one).
# Split: pairs with even index i form half A (calibration), odd i half B (evaluation); a positive and its
# negative share the index, so they fall in the same half. The threshold is chosen on A only and reported on B.
#
# Reports (all numbers from the kiai CLI):
#  1. calibrate on A for a false-hit rate <= 0.02, then precision/recall on B at that threshold;
#  2. precision/recall on B at GPTCache's thresholds 0.8 and 0.95;
#  3. GPTCache's own protocol on all 999 pairs (store every origin, look up every similar, count right and
#     wrong hits) at 0.8, 0.95 and the calibrated threshold; with and without the guard.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${KIAI_DATA:-$here/../shared/data}/cache/gptcache-paraphrase-pairs.json"
if [ ! -f "$data" ]; then
  echo "cache.sh: $data not found; the shared datasets are needed (see ../shared/data/README.md)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
kiai="$here/kiai"

python3 - "$data" "$work" <<'PY'
import json, sys
pairs = json.load(open(sys.argv[1]))
n = len(pairs)
out = {k: open(f"{sys.argv[2]}/{k}.jsonl", "w") for k in ("A", "B", "all", "positives")}
for i, p in enumerate(pairs):
    half = out["A"] if i % 2 == 0 else out["B"]
    pos = {"id": f"p{i}", "a": p["origin"], "b": p["similar"], "label": 1}
    neg = {"id": f"n{i}", "a": p["origin"], "b": pairs[(i + 1) % n]["similar"], "label": 0}
    for f in (half, out["all"]):
        f.write(json.dumps(pos) + "\n")
        f.write(json.dumps(neg) + "\n")
    out["positives"].write(json.dumps({"id": f"p{i}", "a": p["origin"], "b": p["similar"]}) + "\n")
for f in out.values():
    f.close()
print(f"{n} positive pairs, {n} negatives (origin[i] + similar[i+1]); half A {len(range(0, n, 2))} + {len(range(0, n, 2))}, half B {len(range(1, n, 2))} + {len(range(1, n, 2))}", file=sys.stderr)
PY

field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d['$1'])"; }

echo "== 1. calibrate on half A (max false-hit rate 0.02), evaluate on half B"
calA="$("$kiai" cache calibrate --in "$work/A.jsonl" --max-false-hit-rate 0.02 2>/dev/null)"
echo "A (calibration): $calA"
t="$(echo "$calA" | field threshold)"
echo "B (evaluation):  $("$kiai" cache calibrate --in "$work/B.jsonl" --threshold "$t" 2>/dev/null)"
echo "B without guard: $("$kiai" cache calibrate --in "$work/B.jsonl" --threshold "$t" --no-guard 2>/dev/null)"
calAng="$("$kiai" cache calibrate --in "$work/A.jsonl" --max-false-hit-rate 0.02 --no-guard 2>/dev/null)"
tng="$(echo "$calAng" | field threshold)"
echo "A, no guard (calibration): $calAng"
echo "B, no guard (evaluation):  $("$kiai" cache calibrate --in "$work/B.jsonl" --threshold "$tng" --no-guard 2>/dev/null)"

echo "== 2. half B at GPTCache's thresholds"
for x in 0.8 0.95; do
  echo "B @ $x:          $("$kiai" cache calibrate --in "$work/B.jsonl" --threshold "$x" 2>/dev/null)"
  echo "B @ $x no guard: $("$kiai" cache calibrate --in "$work/B.jsonl" --threshold "$x" --no-guard 2>/dev/null)"
done

echo "== 3. GPTCache's protocol on all 999 pairs: store every origin, look up every similar"
summarise() {
  # A hit is right when it returns the pair's own origin or one with identical text (the file repeats
  # 35 origins; GPTCache, too, counts a hit right when the cached answer is the expected one).
  python3 -c '
import json, sys
origin = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    origin[r["id"]] = r["a"]
right = wrong = miss = 0
for line in sys.stdin:
    r = json.loads(line)
    if "error" in r: continue
    if not r["hit"]: miss += 1
    elif origin[r["matched"]] == origin[r["id"]]: right += 1
    else: wrong += 1
p = right / (right + wrong) if right + wrong else 1.0
print(f"right hits {right}, wrong hits {wrong}, misses {miss}, precision {p:.4f}, recall {right / (right + wrong + miss):.4f}")' "$work/positives.jsonl"
}
for x in 0.8 0.95 "$t"; do
  echo "threshold $x:          $("$kiai" cache pairs --in "$work/positives.jsonl" --threshold "$x" 2>/dev/null | summarise)"
  echo "threshold $x no guard: $("$kiai" cache pairs --in "$work/positives.jsonl" --threshold "$x" --no-guard 2>/dev/null | summarise)"
done
echo "GPTCache's published table (its default ONNX embedding): 0.8: 904 right / 92 wrong; 0.95: 425 right / 25 wrong"
