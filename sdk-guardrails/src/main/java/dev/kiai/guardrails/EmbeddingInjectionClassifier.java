package dev.kiai.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiai.core.embedding.EmbeddingModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The embedding layer of injection defence: k-nearest neighbours over a labelled corpus of attacks and
 * benign prompts, embedded at construction with any {@link EmbeddingModel} (e.g. kiai-embeddings'
 * MiniLM). The bundled corpus ({@link #bundledCorpus()}, written for Kiai plus 52 MIT-licensed attack
 * strings of BIPIA's training split; English, German, French, Spanish) is stored as text so it follows the model in use; embedding it takes one model call per
 * example at construction. {@link LogisticInjectionClassifier} is the faster alternative (trained weights
 * ship with Kiai). Immutable and thread-safe.
 */
public final class EmbeddingInjectionClassifier implements InjectionClassifier {
  static final String CORPUS_RESOURCE = "injection-corpus.jsonl";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final EmbeddingModel model;
  private final int k;
  private final List<float[]> vectors;
  private final boolean[] attack;

  private EmbeddingInjectionClassifier(EmbeddingModel model, int k, List<Example> corpus) {
    this.model = model;
    this.k = k;
    List<String> texts = new ArrayList<>(corpus.size());
    this.attack = new boolean[corpus.size()];
    for (int i = 0; i < corpus.size(); i++) {
      texts.add(corpus.get(i).text());
      attack[i] = corpus.get(i).attack();
    }
    this.vectors = List.copyOf(model.embedAll(texts));
  }

  /**
   * One labelled example of the corpus.
   *
   * @param text the prompt
   * @param attack true for an injection or jailbreak
   * @param category attack or benign class, e.g. {@code instruction_override}, {@code benign_trigger}
   * @param lang ISO 639-1 language code
   * @param group items generated from one template share a group (for grouped cross-validation)
   */
  public record Example(String text, boolean attack, String category, String lang, String group) {
    public Example {
      Objects.requireNonNull(text, "text");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(lang, "lang");
      Objects.requireNonNull(group, "group");
    }

    /**
     * An example without class, language or group ({@code unknown}).
     *
     * @param text the prompt
     * @param attack true for an injection or jailbreak
     */
    public Example(String text, boolean attack) {
      this(text, attack, attack ? "attack" : "benign", "unknown", "unknown");
    }
  }

  /**
   * @param model embeds corpus and queries
   * @return a classifier over the bundled corpus with k = 5
   */
  public static EmbeddingInjectionClassifier withBundledCorpus(EmbeddingModel model) {
    return create(model, 5, bundledCorpus());
  }

  /**
   * @param model embeds corpus and queries
   * @param k neighbours that vote, at least 1
   * @param corpus labelled examples, both labels present
   * @return the classifier
   */
  public static EmbeddingInjectionClassifier create(EmbeddingModel model, int k, List<Example> corpus) {
    Objects.requireNonNull(model, "model");
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    if (corpus.stream().noneMatch(Example::attack) || corpus.stream().allMatch(Example::attack)) {
      throw new IllegalArgumentException("corpus must contain attacks and benign examples");
    }
    return new EmbeddingInjectionClassifier(model, Math.min(k, corpus.size()), List.copyOf(corpus));
  }

  /**
   * The bundled corpus {@code injection-corpus.jsonl}: attacks and benign prompts in English, German,
   * French and Spanish, generated from templates written for Kiai, plus half of the attack strings of
   * BIPIA's training split (MIT licence; see the resource's {@code injection-corpus.README.md} for
   * provenance and classes; no evaluation prompt is in it).
   *
   * @return the bundled corpus, in file order
   */
  public static List<Example> bundledCorpus() {
    InputStream in = EmbeddingInjectionClassifier.class.getResourceAsStream(CORPUS_RESOURCE);
    if (in == null) {
      throw new IllegalStateException("missing bundled resource " + CORPUS_RESOURCE);
    }
    return readCorpus(in);
  }

  /**
   * Reads a corpus in the bundled format: JSON lines {@code {"text","label":0|1,"class","lang","group"}}.
   *
   * @param in the JSONL stream; closed when read
   * @return the examples, in order
   * @throws IllegalArgumentException for a line that is not such an object
   */
  public static List<Example> readCorpus(InputStream in) {
    List<Example> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode n;
        try {
          n = MAPPER.readTree(line);
        } catch (IOException e) {
          throw new IllegalArgumentException("corpus line " + no + " is not JSON: " + e.getMessage(), e);
        }
        if (!n.path("text").isTextual() || !n.path("label").isInt()) {
          throw new IllegalArgumentException("corpus line " + no + " needs \"text\" and \"label\" (0 or 1)");
        }
        out.add(new Example(n.get("text").asText(), n.get("label").asInt() == 1, n.path("class").asText("unknown"),
            n.path("lang").asText("unknown"), n.path("group").asText("line-" + no)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(out);
  }

  @Override
  public double score(String text, ContentSource source) {
    float[] q = model.embed(text);
    double qn = model.normalized() ? 1 : norm(q);
    int n = vectors.size();
    double[] sims = new double[n];
    for (int i = 0; i < n; i++) {
      float[] v = vectors.get(i);
      double dot = 0;
      for (int j = 0; j < q.length; j++) {
        dot += q[j] * v[j];
      }
      sims[i] = model.normalized() ? dot : dot / (qn * norm(v) + 1e-12);
    }
    boolean[] taken = new boolean[n];
    double attackWeight = 0;
    double total = 0;
    for (int round = 0; round < k; round++) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (!taken[i] && (best < 0 || sims[i] > sims[best])) {
          best = i;
        }
      }
      taken[best] = true;
      double w = Math.max(0, sims[best]);
      total += w;
      if (attack[best]) {
        attackWeight += w;
      }
    }
    return total == 0 ? 0 : attackWeight / total;
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  @Override
  public String name() {
    return "knn";
  }
}
