#!/usr/bin/env bash
# Quality figures of kiai-guardrails, measured with the kiai CLI on ../shared/data (see BENCHMARKS.md).
# Usage: benchmarks/quality/guardrails.sh [DATA_DIR]   (default: ../shared/data next to the repo)
# Injection is measured twice: rules only, and rules + the MiniLM classifier (--classifier minilm).
# Needs: JDK 17+, Maven (first run builds the CLI jar), python3 (standard library only) for data
# preparation and scoring. Deterministic: the indirect-injection insertion uses a fixed seed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data="${1:-$repo/../shared/data}"
if [ ! -d "$data/guardrails" ] || [ ! -d "$data/pii" ]; then
  echo "guardrails.sh: dataset folder not found: $data (expected guardrails/ and pii/ inside)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
kiai="$repo/kiai"

python3 "$here/guardrails_data.py" prepare "$data" "$work"
# the bundled classifier corpus must not contain evaluation texts (exact or near-duplicate)
python3 "$here/guardrails_data.py" overlap "$data" \
  "$repo/sdk-guardrails/src/main/resources/dev/kiai/guardrails/injection-corpus.jsonl"

"$kiai" guard injection --in "$work/injecguard.jsonl" > "$work/injecguard.out.jsonl"
"$kiai" guard injection --in "$work/bipia.jsonl" > "$work/bipia.out.jsonl"
"$kiai" guard pii --lang en --in "$work/presidio.jsonl" > "$work/presidio.out.jsonl"

python3 "$here/guardrails_data.py" score "$data" "$work"
"$kiai" guard injection --in "$work/ordinary.jsonl" > "$work/ordinary.out.jsonl"
python3 "$here/guardrails_data.py" score-ordinary "$work"
# the same texts as retrieved documents: the document rules also flag a lone question or task (BIPIA's
# planted instructions look like that), so FAQ-like text is flagged; at threshold 0.55 that rule alone no
# longer flags, and the BIPIA figure is measured at 0.55 too
"$kiai" guard injection --in "$work/ordinary-document.jsonl" > "$work/ordinary.document.out.jsonl"
python3 "$here/guardrails_data.py" score-ordinary "$work" document
"$kiai" guard injection --threshold 0.55 --in "$work/ordinary-document.jsonl" > "$work/ordinary.document-t55.out.jsonl"
python3 "$here/guardrails_data.py" score-ordinary "$work" document-t55
"$kiai" guard injection --threshold 0.55 --in "$work/bipia.jsonl" > "$work/bipia.t55.out.jsonl"
python3 "$here/guardrails_data.py" score-bipia "$work" t55

# rules + the MiniLM logistic-regression layer (shipped weights; see BENCHMARKS.md for how they were trained)
"$kiai" guard injection --classifier minilm --in "$work/injecguard.jsonl" > "$work/injecguard.minilm.out.jsonl"
"$kiai" guard injection --classifier minilm --in "$work/bipia.jsonl" > "$work/bipia.minilm.out.jsonl"
python3 "$here/guardrails_data.py" score-injection "$data" "$work" minilm
"$kiai" guard injection --classifier minilm --in "$work/ordinary.jsonl" > "$work/ordinary.minilm.out.jsonl"
python3 "$here/guardrails_data.py" score-ordinary "$work" minilm

# optional: rules + MiniLM + an LLM judge (one model call per prompt: 144 + 200 calls). Runs only when
# KIAI_JUDGE_MODEL is set, e.g. KIAI_JUDGE_MODEL=gpt-4o-mini with OPENAI_API_KEY; KIAI_JUDGE_PROVIDER
# (openai | anthropic | openai-compatible) and KIAI_JUDGE_BASE_URL select another server (a local
# llama.cpp or vLLM server: openai-compatible with its /v1 URL). KIAI_JUDGE_BAND=LOW,HIGH asks the judge
# only for prompts whose rules + MiniLM score lies in that band and lets it decide there (e.g. 0.2,0.9).
if [ -n "${KIAI_JUDGE_MODEL:-}" ]; then
  judge=(--classifier minilm --judge-model "$KIAI_JUDGE_MODEL" --judge-provider "${KIAI_JUDGE_PROVIDER:-openai}")
  if [ -n "${KIAI_JUDGE_BASE_URL:-}" ]; then judge+=(--judge-base-url "$KIAI_JUDGE_BASE_URL"); fi
  if [ -n "${KIAI_JUDGE_BAND:-}" ]; then judge+=(--judge-band "$KIAI_JUDGE_BAND"); fi
  "$kiai" guard injection "${judge[@]}" --in "$work/injecguard.jsonl" > "$work/injecguard.minilm-judge.out.jsonl"
  "$kiai" guard injection "${judge[@]}" --in "$work/bipia.jsonl" > "$work/bipia.minilm-judge.out.jsonl"
  python3 "$here/guardrails_data.py" score-injection "$data" "$work" minilm-judge
fi
