package dev.kiai.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A learned quality router: predicts, from a prompt's embedding, the probability that the weak (cheaper)
 * model's answer is as good as the strong model's, so that a {@link QualityRoutingPolicy} sends only
 * the prompts most likely to need it to the strong model.
 *
 * <p><b>Training.</b> Each {@link OutcomeExample} becomes the label 1 when the weak model scored at least
 * as well as the strong one, else 0. Two estimators are available and can be blended: an L2-regularised
 * logistic regression on the embedding (AdaGrad, seeded, deterministic), and a similarity-weighted
 * k-nearest-neighbour vote over the training prompts (cosine similarity, weights
 * {@code exp((sim - best) / 0.1)}, smoothed towards the training prior). Out-of-fold predictions of a
 * seeded k-fold split are kept as the <em>calibration</em> set, from which
 * {@link #thresholdForPremiumShare} and {@link #thresholdForQuality} pick thresholds.
 *
 * <p><b>Files.</b> {@link #save} writes one JSON document ({@value #FORMAT}) with the weights, the
 * neighbour memory (when the method uses it) as base64 little-endian floats, the calibration set and
 * the embedding model id, which {@link QualityRoutingPolicy} checks against the model it is given.
 *
 * <p>Immutable and thread-safe.
 */
public final class QualityRouter {
  /** The file format id. */
  public static final String FORMAT = "kiai-quality-router/1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double KNN_TEMPERATURE = 0.1;

  /** How the probability is estimated. */
  public enum Method {
    /** Logistic regression on the embedding: microseconds per decision. */
    LOGISTIC,
    /** Similarity-weighted k nearest neighbours: exact neighbours, cost grows with the training set. */
    KNN,
    /** The mean of both. */
    BLEND
  }

  /**
   * Training settings.
   *
   * @param method the estimator
   * @param k neighbours for {@link Method#KNN} and {@link Method#BLEND}, at least 1
   * @param epochs passes of logistic regression, at least 1
   * @param learningRate AdaGrad step size, greater than 0
   * @param l2 L2 penalty, at least 0
   * @param folds folds of the out-of-fold calibration, at least 2
   * @param seed seed of every random choice
   */
  public record Training(Method method, int k, int epochs, double learningRate, double l2, int folds, long seed) {
    public Training {
      Objects.requireNonNull(method, "method");
      if (k < 1) {
        throw new IllegalArgumentException("k must be >= 1, was " + k);
      }
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
      }
      if (!(learningRate > 0)) {
        throw new IllegalArgumentException("learningRate must be > 0, was " + learningRate);
      }
      if (!(l2 >= 0)) {
        throw new IllegalArgumentException("l2 must be >= 0, was " + l2);
      }
      if (folds < 2) {
        throw new IllegalArgumentException("folds must be >= 2, was " + folds);
      }
    }

    /**
     * @param method the estimator
     * @return defaults: k 32, 20 epochs, learning rate 0.2, L2 1e-4, 5 folds, seed 42
     */
    public static Training defaults(Method method) {
      return new Training(method, 32, 20, 0.2, 1e-4, 5, 42);
    }
  }

  private final String strongModel;
  private final String weakModel;
  private final String embeddingModelId;
  private final int dimensions;
  private final Method method;
  private final int k;
  private final float[] weights;
  private final float bias;
  private final float[] memory;
  private final float[] memoryLabels;
  private final double prior;
  private final double[] calScores;
  private final double[] calWeak;
  private final double[] calStrong;

  private QualityRouter(String strongModel, String weakModel, String embeddingModelId, int dimensions,
      Method method, int k, float[] weights, float bias, float[] memory, float[] memoryLabels, double prior,
      double[] calScores, double[] calWeak, double[] calStrong) {
    this.strongModel = strongModel;
    this.weakModel = weakModel;
    this.embeddingModelId = embeddingModelId;
    this.dimensions = dimensions;
    this.method = method;
    this.k = k;
    this.weights = weights;
    this.bias = bias;
    this.memory = memory;
    this.memoryLabels = memoryLabels;
    this.prior = prior;
    this.calScores = calScores;
    this.calWeak = calWeak;
    this.calStrong = calStrong;
  }

  /**
   * Trains a router.
   *
   * @param examples labelled prompts; each must have outcomes for both models
   * @param embedder turns prompts into vectors (the same model must be used when routing)
   * @param strongModel the expensive model id
   * @param weakModel the cheaper model id
   * @param training settings
   * @return the trained router
   * @throws IllegalArgumentException when there are fewer examples than folds or an outcome is missing
   */
  public static QualityRouter train(List<OutcomeExample> examples, EmbeddingModel embedder, String strongModel,
      String weakModel, Training training) {
    Objects.requireNonNull(embedder, "embedder");
    Objects.requireNonNull(strongModel, "strongModel");
    Objects.requireNonNull(weakModel, "weakModel");
    Objects.requireNonNull(training, "training");
    if (strongModel.equals(weakModel)) {
      throw new IllegalArgumentException("strongModel and weakModel must differ, both were " + strongModel);
    }
    int n = examples.size();
    if (n < training.folds()) {
      throw new IllegalArgumentException("examples must number at least folds (" + training.folds() + "), was " + n);
    }
    int d = embedder.dimensions();
    double[] weak = new double[n];
    double[] strong = new double[n];
    float[] labels = new float[n];
    List<String> prompts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      OutcomeExample e = examples.get(i);
      weak[i] = e.score(weakModel);
      strong[i] = e.score(strongModel);
      labels[i] = weak[i] >= strong[i] ? 1f : 0f;
      prompts.add(e.prompt());
    }
    float[] x = new float[n * d];
    List<float[]> vectors = embedder.embedAll(prompts);
    for (int i = 0; i < n; i++) {
      float[] v = normalised(vectors.get(i), d);
      System.arraycopy(v, 0, x, i * d, d);
    }
    int[] fold = new int[n];
    int[] order = permutation(n, new Random(training.seed()));
    for (int i = 0; i < n; i++) {
      fold[order[i]] = i % training.folds();
    }
    double[] oof = new double[n];
    for (int f = 0; f < training.folds(); f++) {
      int[] train = indices(fold, f, false);
      int[] test = indices(fold, f, true);
      QualityRouter part = fit(x, labels, d, train, embedder.modelId(), strongModel, weakModel, training);
      for (int i : test) {
        oof[i] = part.scoreNormalised(x, i * d);
      }
    }
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    QualityRouter full = fit(x, labels, d, all, embedder.modelId(), strongModel, weakModel, training);
    return new QualityRouter(strongModel, weakModel, embedder.modelId(), d, training.method(), training.k(),
        full.weights, full.bias, full.memory, full.memoryLabels, full.prior, oof, weak, strong);
  }

  private static QualityRouter fit(float[] x, float[] y, int d, int[] rows, String embeddingId, String strong,
      String weak, Training t) {
    double positives = 0;
    for (int r : rows) {
      positives += y[r];
    }
    double prior = (positives + 1) / (rows.length + 2);
    float[] w = null;
    float bias = 0;
    if (t.method() != Method.KNN) {
      w = new float[d];
      double b = Math.log(prior / (1 - prior));
      double[] g2 = new double[d];
      double gb2 = 0;
      Random rnd = new Random(t.seed() + 1);
      int[] order = rows.clone();
      for (int epoch = 0; epoch < t.epochs(); epoch++) {
        shuffle(order, rnd);
        for (int r : order) {
          int off = r * d;
          double z = b;
          for (int j = 0; j < d; j++) {
            z += w[j] * x[off + j];
          }
          double err = sigmoid(z) - y[r];
          for (int j = 0; j < d; j++) {
            double g = err * x[off + j] + t.l2() * w[j];
            if (g != 0) {
              g2[j] += g * g;
              w[j] -= (float) (t.learningRate() * g / Math.sqrt(g2[j] + 1e-8));
            }
          }
          gb2 += err * err;
          b -= t.learningRate() * err / Math.sqrt(gb2 + 1e-8);
        }
      }
      bias = (float) b;
    }
    float[] memory = null;
    float[] memoryLabels = null;
    if (t.method() != Method.LOGISTIC) {
      memory = new float[rows.length * d];
      memoryLabels = new float[rows.length];
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(x, rows[i] * d, memory, i * d, d);
        memoryLabels[i] = y[rows[i]];
      }
    }
    return new QualityRouter(strong, weak, embeddingId, d, t.method(), t.k(), w, bias, memory, memoryLabels, prior,
        new double[0], new double[0], new double[0]);
  }

  /** @return the expensive model id */
  public String strongModel() {
    return strongModel;
  }

  /** @return the cheaper model id */
  public String weakModel() {
    return weakModel;
  }

  /** @return the id of the embedding model the router was trained with */
  public String embeddingModelId() {
    return embeddingModelId;
  }

  /** @return the embedding length */
  public int dimensions() {
    return dimensions;
  }

  /** @return the estimator */
  public Method method() {
    return method;
  }

  /** @return the number of calibration (out-of-fold) predictions */
  public int calibrationSize() {
    return calScores.length;
  }

  /**
   * @param embedding a prompt's embedding from the router's embedding model
   * @return the probability, 0..1, that the weak model's answer is as good as the strong model's
   * @throws IllegalArgumentException when the embedding has the wrong length
   */
  public double score(float[] embedding) {
    if (embedding.length != dimensions) {
      throw new IllegalArgumentException("embedding must have " + dimensions + " dimensions, had " + embedding.length);
    }
    return scoreNormalised(normalised(embedding, dimensions), 0);
  }

  private double scoreNormalised(float[] x, int off) {
    double logistic = 0;
    if (weights != null) {
      double z = bias;
      for (int j = 0; j < dimensions; j++) {
        z += weights[j] * x[off + j];
      }
      logistic = sigmoid(z);
    }
    if (memory == null) {
      return logistic;
    }
    double knn = knn(x, off);
    return weights == null ? knn : (logistic + knn) / 2;
  }

  private double knn(float[] x, int off) {
    int n = memoryLabels.length;
    int kk = Math.min(k, n);
    PriorityQueue<double[]> best = new PriorityQueue<>(kk + 1, (a, b) -> Double.compare(a[0], b[0]));
    for (int i = 0; i < n; i++) {
      int m = i * dimensions;
      double sim = 0;
      for (int j = 0; j < dimensions; j++) {
        sim += memory[m + j] * x[off + j];
      }
      if (best.size() < kk) {
        best.add(new double[] {sim, i});
      } else if (sim > best.peek()[0]) {
        best.poll();
        best.add(new double[] {sim, i});
      }
    }
    double top = Double.NEGATIVE_INFINITY;
    for (double[] e : best) {
      top = Math.max(top, e[0]);
    }
    double num = prior;
    double den = 1;
    for (double[] e : best) {
      double w = Math.exp((e[0] - top) / KNN_TEMPERATURE);
      num += w * memoryLabels[(int) e[1]];
      den += w;
    }
    return num / den;
  }

  /**
   * The threshold below which a calibration share {@code share} of prompts scores, so that routing
   * prompts scoring below it to the strong model sends about that share there.
   *
   * @param share the wanted share of strong-model calls, 0..1
   * @return the threshold
   */
  public double thresholdForPremiumShare(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be within 0..1, was " + share);
    }
    requireCalibration();
    double[] sorted = calScores.clone();
    Arrays.sort(sorted);
    int count = (int) Math.round(share * sorted.length);
    if (count <= 0) {
      return Math.nextDown(sorted[0]);
    }
    if (count >= sorted.length) {
      return Math.nextUp(sorted[sorted.length - 1]);
    }
    return sorted[count];
  }

  /**
   * The highest threshold that, on the calibration set, keeps the routed quality at or above
   * {@code fractionOfStrong} times the strong model's quality while sending the fewest prompts to it.
   *
   * @param fractionOfStrong the quality target relative to the strong model, e.g. 0.95
   * @return the threshold
   */
  public double thresholdForQuality(double fractionOfStrong) {
    if (!(fractionOfStrong > 0 && fractionOfStrong <= 1)) {
      throw new IllegalArgumentException("fractionOfStrong must be within (0,1], was " + fractionOfStrong);
    }
    requireCalibration();
    RoutingCurve curve = RoutingCurve.of(calScores, calWeak, calStrong);
    return thresholdForPremiumShare(curve.premiumShareForQuality(fractionOfStrong));
  }

  /** @return the curve of the calibration (out-of-fold) predictions */
  public RoutingCurve calibrationCurve() {
    requireCalibration();
    return RoutingCurve.of(calScores, calWeak, calStrong);
  }

  private void requireCalibration() {
    if (calScores.length == 0) {
      throw new IllegalStateException("this router has no calibration set");
    }
  }

  /**
   * Writes the router to a file.
   *
   * @param file the target, overwritten
   * @throws UncheckedIOException when it cannot be written
   */
  public void save(Path file) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("strong_model", strongModel);
    root.put("weak_model", weakModel);
    root.put("embedding_model", embeddingModelId);
    root.put("dimensions", dimensions);
    root.put("method", method.name().toLowerCase(Locale.ROOT));
    root.put("k", k);
    root.put("prior", prior);
    if (weights != null) {
      root.put("weights", encode(weights));
      root.put("bias", bias);
    }
    if (memory != null) {
      root.put("memory", encode(memory));
      root.put("memory_labels", encode(memoryLabels));
    }
    ObjectNode cal = root.putObject("calibration");
    array(cal.putArray("scores"), calScores);
    array(cal.putArray("weak"), calWeak);
    array(cal.putArray("strong"), calStrong);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      JSON.writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write router file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a router written by {@link #save}.
   *
   * @param file the file
   * @return the router
   * @throws ConfigurationException when the file is not a router file or is inconsistent
   * @throws UncheckedIOException when it cannot be read
   */
  public static QualityRouter load(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read router file " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new ConfigurationException(file + " is not a " + FORMAT + " file");
    }
    int d = required(root, "dimensions", file).asInt();
    Method method;
    try {
      method = Method.valueOf(required(root, "method", file).asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(file + ": unknown method " + root.get("method"), e);
    }
    float[] w = root.has("weights") ? decode(root.get("weights").asText()) : null;
    float[] memory = root.has("memory") ? decode(root.get("memory").asText()) : null;
    float[] labels = root.has("memory_labels") ? decode(root.get("memory_labels").asText()) : null;
    if ((method != Method.KNN && (w == null || w.length != d))
        || (method != Method.LOGISTIC && (memory == null || labels == null || memory.length != labels.length * d))) {
      throw new ConfigurationException(file + ": weights or memory do not match method " + method
          + " and dimensions " + d);
    }
    JsonNode cal = root.path("calibration");
    return new QualityRouter(required(root, "strong_model", file).asText(),
        required(root, "weak_model", file).asText(), required(root, "embedding_model", file).asText(), d, method,
        required(root, "k", file).asInt(), w, (float) root.path("bias").asDouble(), memory, labels,
        required(root, "prior", file).asDouble(), doubles(cal.path("scores")), doubles(cal.path("weak")),
        doubles(cal.path("strong")));
  }

  private static JsonNode required(JsonNode root, String field, Path file) {
    JsonNode v = root.get(field);
    if (v == null || v.isNull()) {
      throw new ConfigurationException(file + ": router file lacks \"" + field + "\"");
    }
    return v;
  }

  private static String encode(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(b.array());
  }

  private static float[] decode(String s) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[b.remaining() / 4];
    b.asFloatBuffer().get(v);
    return v;
  }

  private static void array(ArrayNode a, double[] v) {
    for (double x : v) {
      a.add((float) x);
    }
  }

  private static double[] doubles(JsonNode a) {
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).asDouble();
    }
    return v;
  }

  static float[] normalised(float[] v, int d) {
    if (v.length != d) {
      throw new IllegalArgumentException("embedding must have " + d + " dimensions, had " + v.length);
    }
    double norm = 0;
    for (float f : v) {
      norm += f * f;
    }
    if (norm == 0 || Math.abs(norm - 1) < 1e-4) {
      return v;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    float[] out = new float[d];
    for (int i = 0; i < d; i++) {
      out[i] = v[i] * inv;
    }
    return out;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  private static int[] indices(int[] fold, int f, boolean in) {
    int c = 0;
    for (int x : fold) {
      if ((x == f) == in) {
        c++;
      }
    }
    int[] out = new int[c];
    int j = 0;
    for (int i = 0; i < fold.length; i++) {
      if ((fold[i] == f) == in) {
        out[j++] = i;
      }
    }
    return out;
  }

  private static int[] permutation(int n, Random rnd) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    shuffle(p, rnd);
    return p;
  }

  private static void shuffle(int[] a, Random rnd) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
