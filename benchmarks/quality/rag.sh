#!/usr/bin/env bash
# Retrieval quality on the CISI test collection, measured with the kiai CLI:
# nDCG@10, MAP and recall@100 for kiai's bm25, vector and hybrid modes, and for plain Lucene BM25
# (EnglishAnalyzer, one Lucene document per CISI document) measured in the same run as the baseline.
#
#   benchmarks/quality/rag.sh            # data from ../shared/data (relative to the repo root)
#   KIAI_DATA=/path/to/data benchmarks/quality/rag.sh
#   KIAI_RAG_EMBEDDINGS=none benchmarks/quality/rag.sh   # lexical only (vector/hybrid not measured)
#   KIAI_RAG_QUANTIZE=1 KIAI_RAG_EMBEDDINGS=minilm benchmarks/quality/rag.sh   # int8-quantized HNSW vectors
#
# Needs JDK 17+, Maven, awk. Builds the CLI jar first unless KIAI_SKIP_BUILD=1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${KIAI_DATA:-$root/../shared/data}/rag/cisi"
embeddings="${KIAI_RAG_EMBEDDINGS:-none}"
if [ ! -f "$data/CISI.ALL" ] || [ ! -f "$data/CISI.QRY" ] || [ ! -f "$data/CISI.REL" ]; then
  echo "rag.sh: skipped: CISI not found at $data (set KIAI_DATA to the folder holding rag/cisi)" >&2
  exit 0
fi
if [ "${KIAI_SKIP_BUILD:-0}" != "1" ]; then
  (cd "$root" && mvn -B -q -o -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl sdk-cli -am package >&2)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
kiai="$root/kiai"

# --- convert CISI to JSONL ------------------------------------------------------------------------
esc='function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/[\t\r]/, " ", s); gsub(/  +/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s); return s }'
awk "$esc"'
  function flush() { if (id != "") printf "{\"id\":\"%s\",\"title\":\"%s\",\"text\":\"%s\",\"metadata\":{\"authors\":\"%s\"}}\n", id, esc(t), esc(w), esc(a) }
  /^\.I / { flush(); id = $2 + 0; t = w = a = ""; f = ""; next }
  /^\.[TAWXB]( |$)/ { f = substr($1, 2, 1); next }
  { if (f == "T") t = t " " $0; else if (f == "W") w = w " " $0; else if (f == "A") a = (a == "" ? $0 : a "; " $0) }
  END { flush() }' "$data/CISI.ALL" > "$work/docs.jsonl"
awk '{ q = $1 + 0; d = $2 + 0; if (!((q, d) in seen)) { seen[q, d] = 1; rel[q] = rel[q] (rel[q] == "" ? "" : ",") "\"" d "\"" } }
  END { for (q in rel) print "{\"id\":\"" q "\",\"relevant\":[" rel[q] "]}" }' "$data/CISI.REL" | sort -t'"' -k4,4n > "$work/qrels.jsonl"
awk "$esc"'
  FNR == NR { judged[$1 + 0] = 1; next }
  function flush() { if (id != "" && (id in judged)) printf "{\"id\":\"%s\",\"query\":\"%s\"}\n", id, esc(t " " w) }
  /^\.I / { flush(); id = $2 + 0; t = w = ""; f = ""; next }
  /^\.[TAWXB]( |$)/ { f = substr($1, 2, 1); next }
  { if (f == "T") t = t " " $0; else if (f == "W") w = w " " $0 }
  END { flush() }' "$data/CISI.REL" "$data/CISI.QRY" > "$work/queries.jsonl"
echo "CISI: $(wc -l < "$work/docs.jsonl") documents, $(wc -l < "$work/queries.jsonl") judged queries, $(wc -l < "$data/CISI.REL") judgements" >&2

# --- index and measure ----------------------------------------------------------------------------
"$kiai" rag index --plain --docs "$work/docs.jsonl" --index "$work/plain" > /dev/null
quantize=()
if [ "${KIAI_RAG_QUANTIZE:-0}" = "1" ]; then quantize=(--quantize); fi
"$kiai" rag index --docs "$work/docs.jsonl" --index "$work/kiai" --embeddings "$embeddings" ${quantize[@]+"${quantize[@]}"} > /dev/null

measure() { # label index mode
  local label="$1" index="$2" mode="$3" start end
  start=$(date +%s.%N)
  "$kiai" rag query --index "$index" --in "$work/queries.jsonl" --k 100 --per-doc 1 --mode "$mode" > "$work/run-$label.jsonl" 2> /dev/null
  end=$(date +%s.%N)
  "$kiai" rag eval --qrels "$work/qrels.jsonl" --in "$work/run-$label.jsonl" 2>&1 > /dev/null \
    | sed -n 's/.*nDCG@10=\([0-9.]*\) MAP=\([0-9.]*\) recall@100=\([0-9.]*\).*/\1 \2 \3/p' \
    | awk -v l="$label" -v s="$(echo "$end - $start" | bc)" '{ print l, $1, $2, $3, s }'
}
results="$work/results.txt"
measure "lucene-bm25-baseline" "$work/plain" bm25 > "$results"
measure "kiai-bm25" "$work/kiai" bm25 >> "$results"
if [ "$embeddings" != "none" ]; then
  measure "kiai-vector" "$work/kiai" vector >> "$results"
  measure "kiai-hybrid" "$work/kiai" hybrid >> "$results"
fi
echo "| run | nDCG@10 | MAP | recall@100 | nDCG@10 vs baseline | query wall s (JVM start incl.) |"
echo "|---|---|---|---|---|---|"
awk 'NR == 1 { base = $2 } { printf "| %s | %.4f | %.4f | %.4f | %.2fx | %.1f |\n", $1, $2, $3, $4, $2 / base, $5 }' "$results"
if [ "$embeddings" = "none" ]; then
  echo "(vector and hybrid not measured: KIAI_RAG_EMBEDDINGS=none)"
fi
