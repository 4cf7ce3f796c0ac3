package dev.kiai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.embeddings.OnnxMiniLmEmbeddingModel;
import dev.kiai.rag.BuiltContext;
import dev.kiai.rag.Chunker;
import dev.kiai.rag.ContextBuilder;
import dev.kiai.rag.Document;
import dev.kiai.rag.Fusion;
import dev.kiai.rag.IngestReport;
import dev.kiai.rag.Loaders;
import dev.kiai.rag.LuceneRagIndex;
import dev.kiai.rag.RetrievalMetrics;
import dev.kiai.rag.ScoredChunk;
import dev.kiai.rag.SearchMode;
import dev.kiai.rag.SearchRequest;
import dev.kiai.rag.Source;
import dev.kiai.rag.TextLanguage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiai rag}: build a retrieval index and query or evaluate it. */
@Command(name = "rag", description = "Retrieval-augmented generation: index documents, query, evaluate.",
    subcommands = {RagCommand.Index.class, RagCommand.Query.class, RagCommand.Eval.class})
final class RagCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a sub-command is required: index, query, eval");
  }

  /**
   * Resolves {@code --embeddings NAME} (or the model id an index was built with): {@code none} means a
   * lexical-only index; {@code minilm} is the in-process all-MiniLM-L6-v2 of kiai-embeddings.
   */
  static EmbeddingModel embeddings(String name) {
    if (name == null || name.equals("none")) {
      return null;
    }
    if (name.equals("minilm") || name.equals(OnnxMiniLmEmbeddingModel.MODEL_ID)) {
      return OnnxMiniLmEmbeddingModel.create();
    }
    throw new Cli.UsageError("unknown embedding model '" + name + "'; known: none, minilm");
  }

  /** {@code kiai rag index}. */
  @Command(name = "index", description = {
      "Index documents into a Lucene folder (BM25 + HNSW vectors when --embeddings names a model).",
      "The file is the whole corpus: new documents are added, changed ones (content hash) replaced,",
      "unchanged ones skipped, and documents indexed before but absent from the file deleted.",
      "Input JSONL: {\"id\",\"text\",\"title\"?,\"source\"?,\"metadata\"?,\"updated_at\"?}",
      "Output JSONL: {\"id\",\"status\":\"added|updated|unchanged\",\"chunks\"}; bad lines get an \"error\"."})
  static final class Index implements Callable<Integer> {
    private final Io io;

    @Option(names = "--docs", description = "Input JSONL file; stdin when absent or '-'.")
    Path docs;

    @Option(names = "--index", required = true, description = "Index folder (created when absent).")
    Path index;

    @Option(names = "--chunk-tokens", defaultValue = "256", description = "Largest chunk in tokens (default ${DEFAULT-VALUE}).")
    int chunkTokens;

    @Option(names = "--overlap", defaultValue = "32", description = "Overlap of size-split chunks in tokens (default ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--embeddings", defaultValue = "none", description = "Embedding model for vectors: none (default) or minilm (all-MiniLM-L6-v2, in-process).")
    String embeddings;

    @Option(names = "--quantize", description = "Store HNSW vectors int8-quantized.")
    boolean quantize;

    @Option(names = "--language", description = "Text analysis for BM25: english (the default for a new index), "
        + "german or standard (no stemming, no stop words). An existing index keeps the language it was built with.")
    String language;

    @Option(names = "--chunk-text-only", description = "Index only the chunk's own text for BM25, without its title "
        + "and section heading.")
    boolean chunkTextOnly;

    @Option(names = "--plain", description = "Baseline layout: one chunk per document, title and text in one field "
        + "(plain Lucene BM25 with EnglishAnalyzer).")
    boolean plain;

    Index(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      Chunker chunker;
      try {
        chunker = plain ? Chunker.wholeDocument() : Chunker.builder().targetTokens(chunkTokens).overlapTokens(overlap).build();
      } catch (IllegalArgumentException e) {
        throw new Cli.UsageError(e.getMessage());
      }
      LuceneRagIndex.Builder b = LuceneRagIndex.builder().directory(index).chunker(chunker).quantized(quantize)
          .contextualText(!plain && !chunkTextOnly);
      if (language != null) {
        try {
          b.language(TextLanguage.of(language));
        } catch (IllegalArgumentException e) {
          throw new Cli.UsageError(e.getMessage());
        }
      }
      EmbeddingModel model = embeddings(embeddings);
      if (model != null) {
        b.embeddingModel(model);
      }
      long started = System.nanoTime();
      try (LuceneRagIndex idx = b.build()) {
        Set<String> seen = new HashSet<>();
        int[] totals = new int[4];
        int code = Jsonl.run(io, docs, "rag index", line -> {
          Document doc;
          try {
            doc = Loaders.record(line);
          } catch (IllegalArgumentException e) {
            throw new Jsonl.BadLine(e.getMessage());
          }
          if (plain && !doc.title().isEmpty()) {
            doc = Document.builder(doc.id()).sourceUri(doc.sourceUri()).metadata(doc.metadata())
                .updatedAt(doc.updatedAt()).text(doc.title() + "\n" + doc.text()).build();
          }
          if (!seen.add(doc.id())) {
            throw new Jsonl.BadLine("duplicate document id " + doc.id());
          }
          IngestReport r = idx.upsert(List.of(doc));
          String status = !r.added().isEmpty() ? "added" : !r.updated().isEmpty() ? "updated" : "unchanged";
          totals[switch (status) {
            case "added" -> 0;
            case "updated" -> 1;
            default -> 2;
          }]++;
          totals[3] += r.chunksWritten();
          ObjectNode out = Jsonl.MAPPER.createObjectNode();
          out.put("status", status);
          out.put("chunks", idx.documents().get(doc.id()).chunks());
          return out;
        });
        if (code != 0) {
          return code;
        }
        List<String> gone = idx.documents().keySet().stream().filter(id -> !seen.contains(id)).sorted().toList();
        List<String> deleted = idx.delete(gone);
        idx.commit();
        io.err.printf(Locale.ROOT, "kiai rag index: %d added, %d updated, %d unchanged, %d deleted; %d chunks written, "
                + "%d chunks in the index; %.1f s%n", totals[0], totals[1], totals[2], deleted.size(), totals[3],
            idx.chunkCount(), (System.nanoTime() - started) / 1e9);
        io.err.flush();
        return 0;
      }
    }
  }

  /** {@code kiai rag query}. */
  @Command(name = "query", description = {
      "Search an index built by 'kiai rag index'.",
      "Input JSONL: {\"id\",\"query\"}",
      "Output JSONL: {\"id\",\"results\":[{\"doc\",\"chunk\",\"score\"}]} ranked best first; bad lines get an \"error\"."})
  static final class Query implements Callable<Integer> {
    private final Io io;

    @Option(names = "--index", required = true, description = "Index folder.")
    Path index;

    @Option(names = "--in", description = "Input JSONL file; stdin when absent or '-'.")
    Path in;

    @Option(names = "--k", defaultValue = "10", description = "Results per query (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--mode", defaultValue = "hybrid", description = "bm25, vector or hybrid (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--candidates", defaultValue = "100", description = "Chunks per side before fusion (default ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--fusion", defaultValue = "rrf", description = "rrf or weighted (default ${DEFAULT-VALUE}).")
    String fusion;

    @Option(names = "--rrf-k", defaultValue = "60", description = "RRF constant (default ${DEFAULT-VALUE}).")
    int rrfK;

    @Option(names = "--vector-weight", defaultValue = "0.5", description = "Vector weight of weighted fusion (default ${DEFAULT-VALUE}).")
    double vectorWeight;

    @Option(names = "--mmr", description = "Diversify by maximal marginal relevance with this lambda (0..1).")
    Double mmr;

    @Option(names = "--per-doc", defaultValue = "0", description = "At most this many chunks per document; 0 = no limit.")
    int perDoc;

    @Option(names = "--filter", description = "Metadata filter key=value; repeatable, all must match.")
    List<String> filters = new ArrayList<>();

    @Option(names = "--context-tokens", description = "Also output \"context\": the grounded system prompt "
        + "(numbered, delimited sources that fit this many tokens) and its \"sources\" [{\"n\",\"chunk\",\"text\"}].")
    Integer contextTokens;

    @Option(names = "--context-model", defaultValue = "gpt-4o-mini",
        description = "Model whose tokens --context-tokens counts (default ${DEFAULT-VALUE}).")
    String contextModel;

    Query(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      SearchMode m;
      try {
        m = SearchMode.valueOf(mode.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new Cli.UsageError("unknown --mode '" + mode + "'; known: bm25, vector, hybrid");
      }
      if (!Files.isDirectory(index)) {
        throw new Cli.UsageError("no index at " + index + "; build one with 'kiai rag index'");
      }
      SearchRequest.Builder template = SearchRequest.builder("").mode(m);
      try {
        template.k(k).candidates(candidates).mmr(mmr).maxChunksPerDocument(perDoc)
            .fusion(switch (fusion) {
              case "rrf" -> Fusion.rrf(rrfK);
              case "weighted" -> Fusion.weighted(vectorWeight);
              default -> throw new IllegalArgumentException("unknown --fusion '" + fusion + "'; known: rrf, weighted");
            });
        for (String f : filters) {
          int eq = f.indexOf('=');
          if (eq < 1) {
            throw new IllegalArgumentException("--filter must be key=value, was '" + f + "'");
          }
          template.filter(f.substring(0, eq), f.substring(eq + 1));
        }
        template.build();
      } catch (IllegalArgumentException e) {
        throw new Cli.UsageError(e.getMessage());
      }
      SearchRequest base = template.build();
      ContextBuilder contexts;
      try {
        contexts = contextTokens == null ? null : ContextBuilder.builder().budget(contextModel, contextTokens).build();
      } catch (IllegalArgumentException e) {
        throw new Cli.UsageError("--context-tokens: " + e.getMessage());
      }
      String modelId = LuceneRagIndex.embeddingModelOf(index).orElse(null);
      if (m != SearchMode.BM25 && modelId == null) {
        throw new Cli.UsageError("--mode " + mode + " needs vectors, but the index at " + index
            + " was built without --embeddings");
      }
      LuceneRagIndex.Builder b = LuceneRagIndex.builder().directory(index).readOnly(true);
      EmbeddingModel model = modelId == null ? null : embeddings(modelId);
      if (model != null) {
        b.embeddingModel(model);
      }
      try (LuceneRagIndex idx = b.build()) {
        return Jsonl.run(io, in, "rag query", line -> {
          List<ScoredChunk> hits = idx.search(base.withQuery(Jsonl.text(line, "query")));
          ObjectNode out = Jsonl.MAPPER.createObjectNode();
          ArrayNode results = out.putArray("results");
          for (ScoredChunk h : hits) {
            ObjectNode r = results.addObject();
            r.put("doc", h.chunk().documentId());
            r.put("chunk", h.chunk().id());
            r.put("score", h.score());
          }
          if (contexts != null) {
            BuiltContext built = contexts.build(hits);
            ObjectNode context = out.putObject("context");
            context.put("system", built.systemPrompt());
            context.put("tokens", built.tokens());
            ArrayNode sources = context.putArray("sources");
            for (Source s : built.sources()) {
              sources.addObject().put("n", s.number()).put("chunk", s.chunk().id()).put("text", s.chunk().text());
            }
          }
          return out;
        });
      }
    }
  }

  /** {@code kiai rag eval}. */
  @Command(name = "eval", description = {
      "Score 'kiai rag query' output against relevance judgements (binary relevance, as trec_eval).",
      "Judgements JSONL (--qrels): {\"id\",\"relevant\":[\"<doc id>\",...]}",
      "Input JSONL: the query output. Output JSONL: {\"id\",\"ndcg\",\"ap\",\"recall\",\"relevant\"};",
      "lines without judgements get an \"error\". The means over judged queries go to stderr."})
  static final class Eval implements Callable<Integer> {
    private final Io io;

    @Option(names = "--qrels", required = true, description = "Relevance judgements JSONL.")
    Path qrels;

    @Option(names = "--in", description = "Query output JSONL; stdin when absent or '-'.")
    Path in;

    @Option(names = "--ndcg-k", defaultValue = "10", description = "nDCG cut-off (default ${DEFAULT-VALUE}).")
    int ndcgK;

    @Option(names = "--recall-k", defaultValue = "100", description = "Recall cut-off (default ${DEFAULT-VALUE}).")
    int recallK;

    Eval(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      if (ndcgK < 1 || recallK < 1) {
        throw new Cli.UsageError("--ndcg-k and --recall-k must be >= 1");
      }
      Map<String, Set<String>> judged = readQrels(qrels);
      double[] sums = new double[3];
      int[] n = new int[1];
      int code = Jsonl.run(io, in, "rag eval", line -> {
        Set<String> relevant = judged.get(line.get("id").asText());
        if (relevant == null) {
          throw new Jsonl.BadLine("no judgements for id " + line.get("id"));
        }
        JsonNode results = line.get("results");
        if (results == null || !results.isArray()) {
          throw new Jsonl.BadLine("missing \"results\" (an array)");
        }
        List<String> ranked = new ArrayList<>();
        results.forEach(r -> ranked.add(r.path("doc").asText()));
        double ndcg = RetrievalMetrics.ndcg(ranked, relevant, ndcgK);
        double ap = RetrievalMetrics.averagePrecision(ranked, relevant);
        double recall = RetrievalMetrics.recall(ranked, relevant, recallK);
        sums[0] += ndcg;
        sums[1] += ap;
        sums[2] += recall;
        n[0]++;
        ObjectNode out = Jsonl.MAPPER.createObjectNode();
        out.put("ndcg", ndcg);
        out.put("ap", ap);
        out.put("recall", recall);
        out.put("relevant", relevant.size());
        return out;
      });
      if (code == 0) {
        io.err.printf(Locale.ROOT, "kiai rag eval: %d judged queries: nDCG@%d=%.4f MAP=%.4f recall@%d=%.4f%n", n[0], ndcgK,
            n[0] == 0 ? 0 : sums[0] / n[0], n[0] == 0 ? 0 : sums[1] / n[0], recallK, n[0] == 0 ? 0 : sums[2] / n[0]);
        io.err.flush();
      }
      return code;
    }

    private static Map<String, Set<String>> readQrels(Path file) {
      Map<String, Set<String>> out = new LinkedHashMap<>();
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        int no = 0;
        while ((line = r.readLine()) != null) {
          no++;
          if (line.isBlank()) {
            continue;
          }
          JsonNode node = Jsonl.MAPPER.readTree(line);
          JsonNode rel = node.get("relevant");
          if (node.get("id") == null || rel == null || !rel.isArray()) {
            throw new Cli.UsageError(file + " line " + no + ": expected {\"id\",\"relevant\":[...]}");
          }
          Set<String> ids = new HashSet<>();
          rel.forEach(x -> ids.add(x.asText()));
          out.computeIfAbsent(node.get("id").asText(), x -> new HashSet<>()).addAll(ids);
        }
      } catch (java.nio.file.NoSuchFileException e) {
        throw new Cli.UsageError("judgements file not found: " + file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      Map<String, Set<String>> frozen = new HashMap<>();
      out.forEach((k, v) -> frozen.put(k, Set.copyOf(v)));
      return frozen;
    }
  }
}
