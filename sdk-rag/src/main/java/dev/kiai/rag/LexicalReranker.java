package dev.kiai.rag;

import dev.kiai.core.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An in-process re-ranker. Its lexical score is the IDF-weighted share of the query's content words
 * (English-stemmed) that a chunk contains, with IDF computed over the candidates, so rare query words
 * count more than common ones; with an {@link EmbeddingModel} it blends in the cosine similarity of
 * query and chunk. Ties keep the retrieval order. Thread-safe when the embedding model is.
 */
public final class LexicalReranker implements Reranker {
  private final EmbeddingModel embeddings;
  private final double embeddingWeight;
  private final Terms terms = new Terms();

  private LexicalReranker(EmbeddingModel embeddings, double embeddingWeight) {
    this.embeddings = embeddings;
    this.embeddingWeight = embeddingWeight;
  }

  /** @return a purely lexical re-ranker */
  public static LexicalReranker lexical() {
    return new LexicalReranker(null, 0);
  }

  /**
   * @param model embeds query and chunks
   * @param weight weight of the cosine similarity within 0..1; the lexical score gets the rest
   * @return a re-ranker blending lexical and embedding scores
   */
  public static LexicalReranker withEmbeddings(EmbeddingModel model, double weight) {
    if (!(weight >= 0 && weight <= 1)) {
      throw new IllegalArgumentException("weight must be within 0..1, was " + weight);
    }
    return new LexicalReranker(Objects.requireNonNull(model, "model"), weight);
  }

  @Override
  public List<ScoredChunk> rerank(String query, List<ScoredChunk> candidates) {
    Set<String> q = terms.set(query);
    List<Set<String>> docs = candidates.stream().map(c -> terms.set(c.chunk().title() + "\n" + c.chunk().text())).toList();
    Map<String, Double> idf = new HashMap<>();
    for (String t : q) {
      long df = docs.stream().filter(d -> d.contains(t)).count();
      idf.put(t, Math.log(1 + (candidates.size() - df + 0.5) / (df + 0.5)));
    }
    double total = idf.values().stream().mapToDouble(Double::doubleValue).sum();
    float[] qv = embeddings == null ? null : embeddings.embed(query);
    List<float[]> vectors = embeddings == null ? null
        : embeddings.embedAll(candidates.stream().map(c -> LuceneRagIndex.embeddingText(c.chunk())).toList());
    List<ScoredChunk> out = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      double lexical = 0;
      for (String t : q) {
        if (docs.get(i).contains(t)) {
          lexical += idf.get(t);
        }
      }
      lexical = total == 0 ? 0 : lexical / total;
      double score = qv == null ? lexical
          : (1 - embeddingWeight) * lexical + embeddingWeight * Ranking.cosine(qv, vectors.get(i));
      out.add(candidates.get(i).withScore(score));
    }
    List<ScoredChunk> sorted = new ArrayList<>(out);
    sorted.sort(Comparator.comparingDouble((ScoredChunk c) -> -c.score()).thenComparingInt(out::indexOf));
    return List.copyOf(sorted);
  }
}
