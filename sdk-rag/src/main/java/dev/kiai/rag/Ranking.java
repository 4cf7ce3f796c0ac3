package dev.kiai.rag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;

/** Fusion, per-document collapsing and MMR, shared by every {@link RagIndex}. */
final class Ranking {
  private Ranking() {}

  /** A candidate identified by a key, with its score and ranks in the two lists. */
  record Hit<K>(K key, double score, int lexicalRank, int vectorRank) {}

  /**
   * Fuses two ranked lists (best first, scores as produced by each side).
   *
   * @return the fused list, best first; ties broken by the better single rank, then lexical order
   */
  static <K> List<Hit<K>> fuse(List<Map.Entry<K, Double>> lexical, List<Map.Entry<K, Double>> vector,
      Fusion fusion) {
    Map<K, double[]> acc = new LinkedHashMap<>(); // score, lexRank, vecRank
    double[] lexNorm = normaliser(lexical);
    double[] vecNorm = normaliser(vector);
    for (int i = 0; i < lexical.size(); i++) {
      double[] a = acc.computeIfAbsent(lexical.get(i).getKey(), x -> new double[3]);
      a[0] += fusion.kind() == Fusion.Kind.RRF ? 1.0 / (fusion.rrfK() + i + 1)
          : (1 - fusion.vectorWeight()) * norm(lexical.get(i).getValue(), lexNorm);
      a[1] = i + 1;
    }
    for (int i = 0; i < vector.size(); i++) {
      double[] a = acc.computeIfAbsent(vector.get(i).getKey(), x -> new double[3]);
      a[0] += fusion.kind() == Fusion.Kind.RRF ? 1.0 / (fusion.rrfK() + i + 1)
          : fusion.vectorWeight() * norm(vector.get(i).getValue(), vecNorm);
      a[2] = i + 1;
    }
    List<Hit<K>> out = new ArrayList<>(acc.size());
    acc.forEach((k, a) -> out.add(new Hit<>(k, a[0], (int) a[1], (int) a[2])));
    out.sort(Comparator.comparingDouble((Hit<K> h) -> -h.score())
        .thenComparingInt(h -> Math.min(h.lexicalRank() == 0 ? Integer.MAX_VALUE : h.lexicalRank(),
            h.vectorRank() == 0 ? Integer.MAX_VALUE : h.vectorRank())));
    return out;
  }

  /** A single list as hits (for the one-sided modes). */
  static <K> List<Hit<K>> single(List<Map.Entry<K, Double>> list, boolean lexical) {
    List<Hit<K>> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(new Hit<>(list.get(i).getKey(), list.get(i).getValue(), lexical ? i + 1 : 0, lexical ? 0 : i + 1));
    }
    return out;
  }

  private static <K> double[] normaliser(List<Map.Entry<K, Double>> list) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Map.Entry<K, Double> e : list) {
      min = Math.min(min, e.getValue());
      max = Math.max(max, e.getValue());
    }
    return new double[] {min, max};
  }

  private static double norm(double v, double[] minMax) {
    double range = minMax[1] - minMax[0];
    return range <= 0 ? 1.0 : (v - minMax[0]) / range;
  }

  /** Keeps at most {@code max} hits per document (0 = no limit), in order. */
  static List<ScoredChunk> collapse(List<ScoredChunk> hits, int max) {
    if (max <= 0) {
      return hits;
    }
    Map<String, Integer> seen = new HashMap<>();
    List<ScoredChunk> out = new ArrayList<>();
    for (ScoredChunk h : hits) {
      if (seen.merge(h.chunk().documentId(), 1, Integer::sum) <= max) {
        out.add(h);
      }
    }
    return out;
  }

  /**
   * Maximal marginal relevance over candidates (best first). Relevance is the candidate's score
   * min-max normalised over the candidates; {@code similarity} compares two candidates in [0, 1].
   */
  static List<Integer> mmr(List<Double> scores, int k, double lambda, ToDoubleBiFunction<Integer, Integer> similarity) {
    int n = scores.size();
    double min = scores.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = scores.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    double range = max - min;
    List<Integer> picked = new ArrayList<>();
    boolean[] used = new boolean[n];
    double[] maxSim = new double[n];
    while (picked.size() < Math.min(k, n)) {
      int best = -1;
      double bestValue = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        if (used[i]) {
          continue;
        }
        double rel = range <= 0 ? 1.0 : (scores.get(i) - min) / range;
        double value = lambda * rel - (1 - lambda) * maxSim[i];
        if (value > bestValue) {
          bestValue = value;
          best = i;
        }
      }
      used[best] = true;
      picked.add(best);
      for (int i = 0; i < n; i++) {
        if (!used[i]) {
          maxSim[i] = Math.max(maxSim[i], similarity.applyAsDouble(best, i));
        }
      }
    }
    return picked;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
