package dev.kiai.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The embedding layer of injection defence as a logistic-regression model over sentence embeddings
 * (e.g. kiai-embeddings' all-MiniLM-L6-v2). Trained weights for MiniLM ship with Kiai
 * ({@link #bundled}): they were produced from the bundled corpus ({@link
 * EmbeddingInjectionClassifier#bundledCorpus()}) by {@code kiai guard train-injection}, which calls
 * {@link #train}, so start-up costs no embedding of the corpus. The decision threshold was chosen by
 * grouped cross-validation on that corpus (items of one template never in both training and validation
 * folds) and is folded into the bias: {@link #score} is 0.5 exactly at the chosen threshold.
 *
 * <p>Cost per scan: one embedding of the text (the embedding dominates) and one dot product. Immutable
 * and thread-safe when the embedding model is.
 *
 * <pre>{@code
 * try (OnnxMiniLmEmbeddingModel minilm = OnnxMiniLmEmbeddingModel.create()) {
 *   InjectionDetector detector = InjectionDetector.builder()
 *       .classifier(LogisticInjectionClassifier.bundled(minilm)).build();
 *   detector.scan("Translate your response into Spanish.");
 * }
 * }</pre>
 */
public final class LogisticInjectionClassifier implements InjectionClassifier {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final EmbeddingModel model;
  private final Weights weights;
  private final double offset;

  private LogisticInjectionClassifier(EmbeddingModel model, Weights weights) {
    this.model = model;
    this.weights = weights;
    this.offset = weights.bias() - logit(weights.threshold());
  }

  /**
   * Trained weights of the logistic model.
   *
   * @param modelId the embedding model they were trained with ({@link EmbeddingModel#modelId()})
   * @param coefficients one per embedding dimension
   * @param bias the intercept
   * @param threshold raw probability at which a text counts as an attack (chosen by cross-validation);
   *     {@link LogisticInjectionClassifier#score} maps it to 0.5
   * @param l2 the L2 penalty used in training
   * @param corpusSha256 SHA-256 of the training texts and labels ({@link #corpusHash})
   * @param crossValidation figures of the cross-validation that chose {@code l2} and {@code threshold}
   */
  public record Weights(String modelId, double[] coefficients, double bias, double threshold, double l2,
      String corpusSha256, Map<String, Double> crossValidation) {
    public Weights {
      Objects.requireNonNull(modelId, "modelId");
      coefficients = coefficients.clone();
      Objects.requireNonNull(corpusSha256, "corpusSha256");
      crossValidation = Map.copyOf(crossValidation);
      if (!(threshold > 0 && threshold < 1)) {
        throw new IllegalArgumentException("threshold must be within (0, 1), was " + threshold);
      }
    }

    /** @return a copy of the coefficients */
    @Override
    public double[] coefficients() {
      return coefficients.clone();
    }

    /** @return these weights as JSON (the format {@link #fromJson} reads) */
    public String toJson() {
      ObjectNode n = MAPPER.createObjectNode();
      n.put("model", modelId);
      n.put("dimensions", coefficients.length);
      n.put("bias", bias);
      n.put("threshold", threshold);
      n.put("l2", l2);
      n.put("corpus_sha256", corpusSha256);
      ObjectNode cv = n.putObject("cross_validation");
      new java.util.TreeMap<>(crossValidation).forEach(cv::put);
      ArrayNode w = n.putArray("coefficients");
      for (double c : coefficients) {
        w.add((float) c);
      }
      try {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * @param json the output of {@link #toJson}
     * @return the weights
     * @throws ConfigurationException when the JSON is not a weights file
     */
    public static Weights fromJson(String json) {
      try {
        JsonNode n = MAPPER.readTree(json);
        JsonNode w = n.get("coefficients");
        if (w == null || !w.isArray() || n.get("model") == null) {
          throw new ConfigurationException("not an injection weights file: needs model and coefficients");
        }
        double[] c = new double[w.size()];
        for (int i = 0; i < c.length; i++) {
          c[i] = w.get(i).asDouble();
        }
        Map<String, Double> cv = new LinkedHashMap<>();
        n.path("cross_validation").fields().forEachRemaining(e -> cv.put(e.getKey(), e.getValue().asDouble()));
        return new Weights(n.get("model").asText(), c, n.path("bias").asDouble(), n.path("threshold").asDouble(0.5),
            n.path("l2").asDouble(), n.path("corpus_sha256").asText(""), cv);
      } catch (IOException e) {
        throw new ConfigurationException("cannot parse injection weights: " + e.getMessage(), e);
      }
    }
  }

  /**
   * The outcome of {@link #train}.
   *
   * @param classifier trained on the whole corpus with the chosen settings
   * @param outOfFold for each corpus item, its raw probability from the model of the fold that did not
   *     see it (at the chosen L2), in corpus order
   */
  public record Training(LogisticInjectionClassifier classifier, double[] outOfFold) {
    public Training {
      Objects.requireNonNull(classifier, "classifier");
      outOfFold = outOfFold.clone();
    }

    /** @return a copy of the out-of-fold probabilities */
    @Override
    public double[] outOfFold() {
      return outOfFold.clone();
    }
  }

  /**
   * Settings of {@link #train}.
   *
   * @param folds cross-validation folds, at least 2; whole groups go to one fold
   * @param maxFalsePositiveRate the threshold is the lowest at which the out-of-fold false-positive rate
   *     on benign corpus items stays at or below this
   * @param l2Grid L2 penalties tried; the one with the highest out-of-fold recall at that
   *     false-positive rate wins (ties: the larger penalty)
   * @param seed shuffles groups into folds
   */
  public record TrainingOptions(int folds, double maxFalsePositiveRate, List<Double> l2Grid, long seed) {
    public TrainingOptions {
      if (folds < 2) {
        throw new IllegalArgumentException("folds must be >= 2, was " + folds);
      }
      if (!(maxFalsePositiveRate >= 0 && maxFalsePositiveRate < 1)) {
        throw new IllegalArgumentException("maxFalsePositiveRate must be within [0, 1), was " + maxFalsePositiveRate);
      }
      l2Grid = List.copyOf(l2Grid);
      if (l2Grid.isEmpty()) {
        throw new IllegalArgumentException("l2Grid must not be empty");
      }
    }

    /** @return 5 folds, false-positive rate 0.02, L2 in {1e-4, 1e-3, 1e-2, 1e-1}, seed 20261130 */
    public static TrainingOptions defaults() {
      return new TrainingOptions(5, 0.02, List.of(1e-4, 1e-3, 1e-2, 1e-1), 20261130L);
    }
  }

  /**
   * The shipped weights for this embedding model.
   *
   * @param model the embedding model; its {@link EmbeddingModel#modelId()} selects the weights (shipped:
   *     {@code all-minilm-l6-v2-q})
   * @return the classifier
   * @throws ConfigurationException when no weights ship for the model
   */
  public static LogisticInjectionClassifier bundled(EmbeddingModel model) {
    Objects.requireNonNull(model, "model");
    String name = "injection-logreg-" + model.modelId() + ".json";
    try (InputStream in = LogisticInjectionClassifier.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new ConfigurationException("no bundled injection weights for embedding model '" + model.modelId()
            + "' (shipped: all-minilm-l6-v2-q); train them with kiai guard train-injection and use of()");
      }
      return of(model, Weights.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param model the embedding model the weights were trained with
   * @param weights trained weights
   * @return the classifier
   * @throws ConfigurationException when model id or dimensions differ from the weights'
   */
  public static LogisticInjectionClassifier of(EmbeddingModel model, Weights weights) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(weights, "weights");
    if (!model.modelId().equals(weights.modelId()) || model.dimensions() != weights.coefficients.length) {
      throw new ConfigurationException("injection weights are for " + weights.modelId() + " ("
          + weights.coefficients.length + " dimensions), not " + model.modelId() + " (" + model.dimensions() + ")");
    }
    return new LogisticInjectionClassifier(model, weights);
  }

  /**
   * Trains on a labelled corpus: embeds every example once, chooses L2 penalty and threshold by grouped
   * k-fold cross-validation (see {@link TrainingOptions}), then fits on the whole corpus. Classes are
   * weighted to equal total weight. Deterministic for a deterministic embedding model.
   *
   * @param model embeds the corpus
   * @param corpus labelled examples, both labels present
   * @param options folds, false-positive budget, L2 grid, seed
   * @return the classifier and the out-of-fold probabilities
   */
  public static Training train(EmbeddingModel model, List<EmbeddingInjectionClassifier.Example> corpus,
      TrainingOptions options) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(options, "options");
    if (corpus.stream().noneMatch(EmbeddingInjectionClassifier.Example::attack)
        || corpus.stream().allMatch(EmbeddingInjectionClassifier.Example::attack)) {
      throw new IllegalArgumentException("corpus must contain attacks and benign examples");
    }
    int n = corpus.size();
    List<String> texts = new ArrayList<>(n);
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      texts.add(corpus.get(i).text());
      y[i] = corpus.get(i).attack();
    }
    double[][] x = new double[n][];
    List<float[]> vectors = model.embedAll(texts);
    for (int i = 0; i < n; i++) {
      x[i] = toDouble(vectors.get(i));
    }
    int[] fold = folds(corpus, options.folds(), options.seed());

    double bestL2 = options.l2Grid().get(0);
    double bestRecall = -1;
    double[] bestOof = null;
    Map<String, Double> cv = new LinkedHashMap<>();
    for (double l2 : options.l2Grid()) {
      double[] oof = new double[n];
      for (int f = 0; f < options.folds(); f++) {
        List<Integer> trainIdx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (fold[i] != f) {
            trainIdx.add(i);
          }
        }
        double[] wb = fit(x, y, trainIdx, l2);
        for (int i = 0; i < n; i++) {
          if (fold[i] == f) {
            oof[i] = sigmoid(dot(wb, x[i]));
          }
        }
      }
      double t = thresholdFor(oof, y, options.maxFalsePositiveRate());
      double recall = rate(oof, y, true, t);
      cv.put("recall_at_l2_" + l2, recall);
      if (recall > bestRecall || (recall == bestRecall && l2 > bestL2)) {
        bestRecall = recall;
        bestL2 = l2;
        bestOof = oof;
      }
    }
    double threshold = thresholdFor(bestOof, y, options.maxFalsePositiveRate());
    cv.put("folds", (double) options.folds());
    cv.put("max_false_positive_rate", options.maxFalsePositiveRate());
    cv.put("recall", rate(bestOof, y, true, threshold));
    cv.put("false_positive_rate", rate(bestOof, y, false, threshold));
    List<Integer> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    double[] wb = fit(x, y, all, bestL2);
    Weights weights = new Weights(model.modelId(), Arrays.copyOf(wb, wb.length - 1), wb[wb.length - 1], threshold,
        bestL2, corpusHash(corpus), cv);
    return new Training(new LogisticInjectionClassifier(model, weights), bestOof);
  }

  /**
   * @param corpus labelled examples
   * @return hex SHA-256 over every example's label and text, in order; stored with trained weights so a
   *     changed corpus is noticed
   */
  public static String corpusHash(List<EmbeddingInjectionClassifier.Example> corpus) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (EmbeddingInjectionClassifier.Example e : corpus) {
        md.update((e.attack() ? "1\t" : "0\t").getBytes(StandardCharsets.UTF_8));
        md.update(e.text().getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return the trained weights */
  public Weights weights() {
    return weights;
  }

  /**
   * @param text the text
   * @param source unused: the model was trained on prompts regardless of source
   * @return calibrated probability-like score, 0.5 exactly at the cross-validated threshold
   */
  @Override
  public double score(String text, ContentSource source) {
    float[] v = model.embed(text);
    double[] c = weights.coefficients;
    double z = offset;
    for (int i = 0; i < c.length; i++) {
      z += c[i] * v[i];
    }
    return sigmoid(z);
  }

  @Override
  public String name() {
    return "logreg";
  }

  // --- training internals ---------------------------------------------------------------------------

  /** Groups shuffled with the seed and dealt round-robin to folds. */
  static int[] folds(List<EmbeddingInjectionClassifier.Example> corpus, int k, long seed) {
    List<String> groups = new ArrayList<>(new java.util.TreeSet<>(corpus.stream()
        .map(EmbeddingInjectionClassifier.Example::group).toList()));
    java.util.Collections.shuffle(groups, new Random(seed));
    Map<String, Integer> foldOf = new java.util.HashMap<>();
    for (int i = 0; i < groups.size(); i++) {
      foldOf.put(groups.get(i), i % k);
    }
    int[] out = new int[corpus.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = foldOf.get(corpus.get(i).group());
    }
    return out;
  }

  /**
   * L2-regularised, class-balanced logistic regression by Nesterov-accelerated gradient descent.
   *
   * @return coefficients followed by the bias
   */
  static double[] fit(double[][] x, boolean[] y, List<Integer> idx, double l2) {
    int d = x[idx.get(0)].length;
    int pos = 0;
    for (int i : idx) {
      pos += y[i] ? 1 : 0;
    }
    int neg = idx.size() - pos;
    double wPos = idx.size() / (2.0 * pos);
    double wNeg = idx.size() / (2.0 * neg);
    double[] w = new double[d + 1];
    double[] prev = new double[d + 1];
    double[] look = new double[d + 1];
    double[] grad = new double[d + 1];
    double lr = 1.0 / (0.25 * 2 + l2); // features near unit length, plus the bias column
    for (int iter = 1; iter <= 600; iter++) {
      double mom = (iter - 1.0) / (iter + 2.0);
      for (int j = 0; j <= d; j++) {
        look[j] = w[j] + mom * (w[j] - prev[j]);
      }
      Arrays.fill(grad, 0);
      for (int i : idx) {
        double p = sigmoid(dot(look, x[i]));
        double g = (p - (y[i] ? 1 : 0)) * (y[i] ? wPos : wNeg);
        double[] xi = x[i];
        for (int j = 0; j < d; j++) {
          grad[j] += g * xi[j];
        }
        grad[d] += g;
      }
      for (int j = 0; j <= d; j++) {
        grad[j] /= idx.size();
        if (j < d) {
          grad[j] += l2 * look[j];
        }
      }
      System.arraycopy(w, 0, prev, 0, d + 1);
      for (int j = 0; j <= d; j++) {
        w[j] = look[j] - lr * grad[j];
      }
    }
    return w;
  }

  /** The lowest score threshold with false-positive rate at most {@code maxFpr} on the benign items. */
  static double thresholdFor(double[] p, boolean[] y, double maxFpr) {
    List<Double> neg = new ArrayList<>();
    for (int i = 0; i < p.length; i++) {
      if (!y[i]) {
        neg.add(p[i]);
      }
    }
    neg.sort(null);
    int allowed = (int) Math.floor(maxFpr * neg.size());
    // flag when p >= t: with t just above the (allowed+1)-th highest benign score, at most `allowed` pass
    double kth = neg.get(neg.size() - 1 - Math.min(allowed, neg.size() - 1));
    double t = Math.nextUp(kth);
    return Math.min(0.999, Math.max(0.001, t));
  }

  static double rate(double[] p, boolean[] y, boolean label, double t) {
    int hit = 0;
    int total = 0;
    for (int i = 0; i < p.length; i++) {
      if (y[i] == label) {
        total++;
        hit += p[i] >= t ? 1 : 0;
      }
    }
    return total == 0 ? 0 : (double) hit / total;
  }

  private static double dot(double[] wb, double[] x) {
    double z = wb[x.length];
    for (int j = 0; j < x.length; j++) {
      z += wb[j] * x[j];
    }
    return z;
  }

  private static double[] toDouble(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  static double logit(double p) {
    return Math.log(p / (1 - p));
  }
}
