#!/usr/bin/env bash
# Answer-level RAG checks on amnesty_qa (20 questions): every gold context passage of the set is
# indexed with `kiai rag index`, each question retrieves its sources with `kiai rag query
# --context-tokens` (the grounded system prompt built by kiai-rag's ContextBuilder), and
# `kiai eval run` asks the model and grades each answer with kiai-eval's `faithfulness` (LLM judge)
# and `citations` assertions. Needs a judge, so it only runs when one is configured:
#
#   KIAI_RAG_MODEL=openai:gpt-4o-mini KIAI_JUDGE=openai:gpt-4o-mini OPENAI_API_KEY=... \
#     benchmarks/quality/rag-amnesty.sh
#
# Model specs are kiai eval's (openai:M, anthropic:M, openai-compatible:URL#M). Needs JDK 17+, Maven, jq.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${KIAI_DATA:-$root/../shared/data}/rag/amnesty_qa.json"
if [ -z "${KIAI_JUDGE:-}" ]; then
  echo "rag-amnesty.sh: skipped: no judge model configured (set KIAI_JUDGE and KIAI_RAG_MODEL, e.g. openai:gpt-4o-mini)" >&2
  exit 0
fi
if [ ! -f "$data" ]; then
  echo "rag-amnesty.sh: skipped: $data not found (set KIAI_DATA to the folder holding rag/amnesty_qa.json)" >&2
  exit 0
fi
model="${KIAI_RAG_MODEL:?set KIAI_RAG_MODEL, e.g. openai:gpt-4o-mini}"
if [ "${KIAI_SKIP_BUILD:-0}" != "1" ]; then
  (cd "$root" && mvn -B -q -o -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl sdk-cli -am package >&2)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
kiai="$root/kiai"

jq -c 'to_entries[] | .key as $c | .value.relevant_chunks | to_entries[]
  | {id: "case\($c)-\(.key)", text: .value}' "$data" > "$work/docs.jsonl"
jq -c 'to_entries[] | {id: "amnesty-\(.key)", query: .value.input}' "$data" > "$work/queries.jsonl"
"$kiai" rag index --docs "$work/docs.jsonl" --index "$work/index" --embeddings "${KIAI_RAG_EMBEDDINGS:-none}" > /dev/null
"$kiai" rag query --index "$work/index" --in "$work/queries.jsonl" --k 4 --mode "${KIAI_RAG_MODE:-bm25}" \
  --context-tokens 1500 > "$work/retrieved.jsonl"
paste -d '\t' "$work/queries.jsonl" "$work/retrieved.jsonl" | jq -R -c 'split("\t") | (.[0] | fromjson) as $q | (.[1] | fromjson) as $r
  | {id: $q.id,
     messages: [{role: "system", content: $r.context.system}, {role: "user", content: $q.query}],
     contexts: [$r.context.sources[] | {id: (.n | tostring), text: .text}],
     assert: [{type: "faithfulness"}, {type: "citations"}]}' > "$work/golden.jsonl"
"$kiai" eval run --golden "$work/golden.jsonl" --model "$model" --judge "$KIAI_JUDGE" --report-dir "${KIAI_REPORT_DIR:-$work/report}"
