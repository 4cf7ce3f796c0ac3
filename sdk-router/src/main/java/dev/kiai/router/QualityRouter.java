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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;

/**
 * A learned quality router: predicts, from a prompt's embedding (and optionally simple statistics of its
 * text, {@link PromptFeatures}), whether the weak (cheaper) model's answer is good enough, so that a
 * {@link QualityRoutingPolicy} sends only the prompts most likely to need it to the strong model.
 *
 * <p><b>Targets.</b> With {@link Target#AS_GOOD} each {@link OutcomeExample} becomes the label 1 when the
 * weak model scored at least as well as the strong one, else 0, and the score is the predicted
 * probability of that label. With {@link Target#GAIN} two estimators predict the expected score of each
 * model, {@code P(strong)} and {@code P(weak)} (soft scores are used as they are), and the score is
 * {@code (1 + P(weak) - P(strong)) / 2}: routing the prompts with the largest expected gain
 * {@code P(strong) - P(weak)} to the strong model is what maximises the expected quality at a given
 * premium share. With {@link Target#WEAK} only the weak model's expected score is learned and is the
 * score.
 *
 * <p><b>Estimators.</b> An L2-regularised logistic regression (fitted to its optimum by full-batch
 * L-BFGS, deterministic; soft targets allowed), a similarity-weighted k-nearest-neighbour mean over the training prompts (cosine
 * similarity of the embeddings, weights {@code exp((sim - best) / 0.1)}, smoothed towards the training
 * mean), or the mean of both. Training examples may carry a group (e.g. the subject or the tenant): the
 * out-of-fold split then keeps whole groups together, so that the calibration figures estimate how the
 * router does on <em>unseen</em> groups, and {@link Training#balanceGroups} weights every group equally.
 * Out-of-fold predictions are kept as the <em>calibration</em> set, from which
 * {@link #thresholdForPremiumShare} and {@link #thresholdForQuality} pick thresholds.
 *
 * <p><b>Files.</b> {@link #save} writes one JSON document ({@value #FORMAT}) with the weights, the
 * feature scaling, the neighbour memory (when the method uses it) as base64 little-endian floats, the
 * calibration set and the embedding model id, which {@link QualityRoutingPolicy} checks against the
 * model it is given. {@link #load} also reads files of the previous format ({@value #FORMAT_V1}).
 *
 * <p>Immutable and thread-safe.
 */
public final class QualityRouter {
  /** The file format id written by {@link #save}. */
  public static final String FORMAT = "kiai-quality-router/2";
  /** The previous file format id, still read by {@link #load} (target {@link Target#AS_GOOD}, embedding only). */
  public static final String FORMAT_V1 = "kiai-quality-router/1";
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

  /** What the router learns from the outcomes. */
  public enum Target {
    /** The probability that the weak model scores at least as well as the strong one. */
    AS_GOOD,
    /** The expected score of each model; the score ranks prompts by the weak model's expected advantage. */
    GAIN,
    /**
     * The weak model's expected score alone: the prompts the weak model most likely fails go to the strong
     * model first (when the strong model is right on most prompts, this ranks nearly as the gain does, with
     * one noisy estimate fewer).
     */
    WEAK
  }

  /**
   * Training settings.
   *
   * @param method the estimator
   * @param target what is learned
   * @param promptFeatures whether {@link PromptFeatures} (standardised, times a fixed scale of 0.1) are
   *     appended to the embedding for the logistic regression
   * @param balanceGroups whether every group gets the same total weight (when groups are given)
   * @param k neighbours for {@link Method#KNN} and {@link Method#BLEND}, at least 1
   * @param iterations the most L-BFGS iterations of the logistic regression, at least 1
   * @param l2 L2 penalty on the (mean) log-loss, at least 0
   * @param folds folds of the out-of-fold calibration, at least 2
   * @param seed seed of every random choice
   */
  public record Training(Method method, Target target, boolean promptFeatures, boolean balanceGroups, int k,
      int iterations, double l2, int folds, long seed) {
    public Training {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(target, "target");
      if (k < 1) {
        throw new IllegalArgumentException("k must be >= 1, was " + k);
      }
      if (iterations < 1) {
        throw new IllegalArgumentException("iterations must be >= 1, was " + iterations);
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
     * @return defaults: target {@link Target#AS_GOOD}, embedding only, no group weights, k 32, at most 300
     *     iterations, L2 1e-4, 5 folds, seed 42
     */
    public static Training defaults(Method method) {
      return new Training(method, Target.AS_GOOD, false, false, 32, 300, 1e-4, 5, 42);
    }

    /**
     * @param t the target
     * @return these settings with another target
     */
    public Training withTarget(Target t) {
      return new Training(method, t, promptFeatures, balanceGroups, k, iterations, l2, folds, seed);
    }

    /**
     * @param on whether to use prompt features
     * @return these settings with or without prompt features
     */
    public Training withPromptFeatures(boolean on) {
      return new Training(method, target, on, balanceGroups, k, iterations, l2, folds, seed);
    }

    /**
     * @param on whether every group gets the same total weight
     * @return these settings with or without equal group weights
     */
    public Training withBalanceGroups(boolean on) {
      return new Training(method, target, promptFeatures, on, k, iterations, l2, folds, seed);
    }
  }

  /** A logistic regression over the features. */
  private record Head(float[] weights, float bias) {}

  private final String strongModel;
  private final String weakModel;
  private final String embeddingModelId;
  private final int dimensions;
  private final Method method;
  private final Target target;
  private final int k;
  /** Means and standard deviations of the prompt features, or null without them. */
  private final double[] featureMean;
  private final double[] featureSd;
  /** AS_GOOD: the label head; GAIN: the weak model's head. Null for KNN. */
  private final Head head;
  /** GAIN only: the strong model's head. */
  private final Head strongHead;
  private final float[] memory;
  /** AS_GOOD: labels; GAIN: the weak model's outcomes. */
  private final float[] memoryLabels;
  /** GAIN only: the strong model's outcomes. */
  private final float[] memoryStrong;
  private final double prior;
  private final double priorStrong;
  private final double[] calScores;
  private final double[] calWeak;
  private final double[] calStrong;

  private QualityRouter(String strongModel, String weakModel, String embeddingModelId, int dimensions,
      Method method, Target target, int k, double[] featureMean, double[] featureSd, Head head, Head strongHead,
      float[] memory, float[] memoryLabels, float[] memoryStrong, double prior, double priorStrong,
      double[] calScores, double[] calWeak, double[] calStrong) {
    this.strongModel = strongModel;
    this.weakModel = weakModel;
    this.embeddingModelId = embeddingModelId;
    this.dimensions = dimensions;
    this.method = method;
    this.target = target;
    this.k = k;
    this.featureMean = featureMean;
    this.featureSd = featureSd;
    this.head = head;
    this.strongHead = strongHead;
    this.memory = memory;
    this.memoryLabels = memoryLabels;
    this.memoryStrong = memoryStrong;
    this.prior = prior;
    this.priorStrong = priorStrong;
    this.calScores = calScores;
    this.calWeak = calWeak;
    this.calStrong = calStrong;
  }

  /**
   * Trains a router without groups (the calibration folds are a seeded random split).
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
    return train(examples, null, embedder, strongModel, weakModel, training);
  }

  /**
   * Trains a router.
   *
   * @param examples labelled prompts; each must have outcomes for both models
   * @param groups the group of each example (e.g. its subject), or null: with groups the calibration folds
   *     hold out whole groups, and {@link Training#balanceGroups} weights each group equally
   * @param embedder turns prompts into vectors (the same model must be used when routing)
   * @param strongModel the expensive model id
   * @param weakModel the cheaper model id
   * @param training settings
   * @return the trained router
   * @throws IllegalArgumentException when there are fewer examples (or groups) than folds, the groups do not
   *     match the examples, balanceGroups is set without groups, or an outcome is missing
   */
  public static QualityRouter train(List<OutcomeExample> examples, List<String> groups, EmbeddingModel embedder,
      String strongModel, String weakModel, Training training) {
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
    if (groups != null && groups.size() != n) {
      throw new IllegalArgumentException("groups must have one entry per example, had " + groups.size()
          + " for " + n + " examples");
    }
    if (groups == null && training.balanceGroups()) {
      throw new IllegalArgumentException("balanceGroups needs groups: without them it would be ignored");
    }
    int d = embedder.dimensions();
    double[] weak = new double[n];
    double[] strong = new double[n];
    float[] labels = new float[n];
    float[] strongLabels = new float[n];
    List<String> prompts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      OutcomeExample e = examples.get(i);
      weak[i] = e.score(weakModel);
      strong[i] = e.score(strongModel);
      labels[i] = training.target() == Target.AS_GOOD ? (weak[i] >= strong[i] ? 1f : 0f) : (float) weak[i];
      strongLabels[i] = (float) strong[i];
      prompts.add(e.prompt());
    }
    List<float[]> vectors = embedder.embedAll(prompts);
    double[] mean = null;
    double[] sd = null;
    double[][] raw = null;
    if (training.promptFeatures()) {
      raw = new double[n][];
      mean = new double[PromptFeatures.COUNT];
      sd = new double[PromptFeatures.COUNT];
      for (int i = 0; i < n; i++) {
        raw[i] = PromptFeatures.of(prompts.get(i));
        for (int j = 0; j < PromptFeatures.COUNT; j++) {
          mean[j] += raw[i][j] / n;
        }
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < PromptFeatures.COUNT; j++) {
          sd[j] += (raw[i][j] - mean[j]) * (raw[i][j] - mean[j]) / n;
        }
      }
      for (int j = 0; j < PromptFeatures.COUNT; j++) {
        sd[j] = Math.sqrt(sd[j]) + 1e-9;
      }
    }
    int f = d + (raw == null ? 0 : PromptFeatures.COUNT);
    float[] x = new float[n * f];
    for (int i = 0; i < n; i++) {
      float[] v = normalised(vectors.get(i), d);
      System.arraycopy(v, 0, x, i * f, d);
      if (raw != null) {
        scaleFeatures(raw[i], mean, sd, x, i * f + d);
      }
    }
    double[] sampleWeight = new double[n];
    Arrays.fill(sampleWeight, 1);
    int[] fold = new int[n];
    if (groups == null) {
      int[] order = permutation(n, new Random(training.seed()));
      for (int i = 0; i < n; i++) {
        fold[order[i]] = i % training.folds();
      }
    } else {
      TreeMap<String, Integer> sizes = new TreeMap<>();
      for (String g : groups) {
        sizes.merge(Objects.requireNonNull(g, "group"), 1, Integer::sum);
      }
      if (sizes.size() < training.folds()) {
        throw new IllegalArgumentException("groups must number at least folds (" + training.folds() + "), were "
            + sizes.size());
      }
      List<String> names = new ArrayList<>(sizes.keySet());
      Collections.shuffle(names, new Random(training.seed()));
      Map<String, Integer> foldOf = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        foldOf.put(names.get(i), i % training.folds());
      }
      for (int i = 0; i < n; i++) {
        fold[i] = foldOf.get(groups.get(i));
        if (training.balanceGroups()) {
          sampleWeight[i] = n / (double) (sizes.size() * sizes.get(groups.get(i)));
        }
      }
    }
    double[] oof = new double[n];
    for (int fo = 0; fo < training.folds(); fo++) {
      int[] train = indices(fold, fo, false);
      int[] test = indices(fold, fo, true);
      QualityRouter part = fit(x, f, labels, strongLabels, sampleWeight, d, mean, sd, train, embedder.modelId(),
          strongModel, weakModel, training);
      for (int i : test) {
        oof[i] = part.scoreFeatures(x, i * f);
      }
    }
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    QualityRouter full = fit(x, f, labels, strongLabels, sampleWeight, d, mean, sd, all, embedder.modelId(),
        strongModel, weakModel, training);
    return new QualityRouter(strongModel, weakModel, embedder.modelId(), d, training.method(), training.target(),
        training.k(), mean, sd, full.head, full.strongHead, full.memory, full.memoryLabels, full.memoryStrong,
        full.prior, full.priorStrong, oof, weak, strong);
  }

  private static void scaleFeatures(double[] raw, double[] mean, double[] sd, float[] into, int off) {
    for (int j = 0; j < raw.length; j++) {
      into[off + j] = (float) ((raw[j] - mean[j]) / sd[j] * FEATURE_SCALE);
    }
  }

  /**
   * Prompt features are standardised and then scaled down to the size of one embedding coordinate's
   * typical spread (a unit-norm 384-dim vector has coordinates of about 0.05), so that the common L2
   * penalty treats both kinds of input alike.
   */
  private static final double FEATURE_SCALE = 0.1;

  private static QualityRouter fit(float[] x, int f, float[] y, float[] yStrong, double[] sw, int d, double[] mean,
      double[] sd, int[] rows, String embeddingId, String strong, String weak, Training t) {
    double sumW = 0;
    double pos = 0;
    double posStrong = 0;
    for (int r : rows) {
      sumW += sw[r];
      pos += sw[r] * y[r];
      posStrong += sw[r] * yStrong[r];
    }
    double prior = (pos + 1) / (sumW + 2);
    double priorStrong = (posStrong + 1) / (sumW + 2);
    Head head = null;
    Head strongHead = null;
    if (t.method() != Method.KNN) {
      head = logistic(x, f, y, sw, rows, prior, t);
      if (t.target() == Target.GAIN) {
        strongHead = logistic(x, f, yStrong, sw, rows, priorStrong, t);
      }
    }
    float[] memory = null;
    float[] memoryLabels = null;
    float[] memoryStrong = null;
    if (t.method() != Method.LOGISTIC) {
      memory = new float[rows.length * d];
      memoryLabels = new float[rows.length];
      memoryStrong = t.target() == Target.GAIN ? new float[rows.length] : null;
      for (int i = 0; i < rows.length; i++) {
        System.arraycopy(x, rows[i] * f, memory, i * d, d);
        memoryLabels[i] = y[rows[i]];
        if (memoryStrong != null) {
          memoryStrong[i] = yStrong[rows[i]];
        }
      }
    }
    return new QualityRouter(strong, weak, embeddingId, d, t.method(), t.target(), t.k(), mean, sd, head,
        strongHead, memory, memoryLabels, memoryStrong, prior, priorStrong, new double[0], new double[0],
        new double[0]);
  }

  /**
   * L2-regularised logistic regression fitted to its optimum by full-batch L-BFGS (memory 10, Armijo
   * backtracking): minimises {@code sum_i s_i * logloss_i / sum_i s_i + l2 / 2 * |w|^2} (the bias is not
   * penalised). Deterministic; soft targets in 0..1 are allowed.
   */
  private static Head logistic(float[] x, int f, float[] y, double[] sw, int[] rows, double prior, Training t) {
    int p = f + 1;
    double sumW = 0;
    for (int r : rows) {
      sumW += sw[r];
    }
    final double norm = sumW;
    double[] theta = new double[p];
    theta[f] = Math.log(prior / (1 - prior));
    double[] grad = new double[p];
    double loss = lossAndGradient(x, f, y, sw, rows, norm, t.l2(), theta, grad);
    int m = 10;
    double[][] sHist = new double[m][];
    double[][] yHist = new double[m][];
    double[] rho = new double[m];
    int stored = 0;
    double[] alpha = new double[m];
    double[] next = new double[p];
    double[] nextGrad = new double[p];
    for (int it = 0; it < t.iterations(); it++) {
      double[] dir = grad.clone();
      int count = Math.min(stored, m);
      for (int i = 0; i < count; i++) {
        int idx = Math.floorMod(stored - 1 - i, m);
        alpha[idx] = rho[idx] * dot(sHist[idx], dir);
        axpy(-alpha[idx], yHist[idx], dir);
      }
      if (count > 0) {
        int last = Math.floorMod(stored - 1, m);
        scale(dir, dot(sHist[last], yHist[last]) / dot(yHist[last], yHist[last]));
      }
      for (int i = count - 1; i >= 0; i--) {
        int idx = Math.floorMod(stored - 1 - i, m);
        double beta = rho[idx] * dot(yHist[idx], dir);
        axpy(alpha[idx] - beta, sHist[idx], dir);
      }
      scale(dir, -1);
      double slope = dot(dir, grad);
      if (slope >= 0) {
        dir = grad.clone();
        scale(dir, -1);
        slope = dot(dir, grad);
        stored = 0;
      }
      double step = count == 0 ? 1 / Math.max(1e-12, Math.sqrt(dot(grad, grad))) : 1;
      double nextLoss;
      int tries = 0;
      while (true) {
        for (int j = 0; j < p; j++) {
          next[j] = theta[j] + step * dir[j];
        }
        nextLoss = lossAndGradient(x, f, y, sw, rows, norm, t.l2(), next, nextGrad);
        if (nextLoss <= loss + 1e-4 * step * slope || ++tries > 30) {
          break;
        }
        step /= 2;
      }
      double[] sv = new double[p];
      double[] yv = new double[p];
      for (int j = 0; j < p; j++) {
        sv[j] = next[j] - theta[j];
        yv[j] = nextGrad[j] - grad[j];
      }
      double sy = dot(sv, yv);
      System.arraycopy(next, 0, theta, 0, p);
      System.arraycopy(nextGrad, 0, grad, 0, p);
      double improvement = loss - nextLoss;
      loss = nextLoss;
      if (sy > 1e-12) {
        int idx = stored % m;
        sHist[idx] = sv;
        yHist[idx] = yv;
        rho[idx] = 1 / sy;
        stored++;
      }
      if (Math.sqrt(dot(grad, grad)) < 1e-6 || (improvement >= 0 && improvement < 1e-10)) {
        break;
      }
    }
    float[] w = new float[f];
    for (int j = 0; j < f; j++) {
      w[j] = (float) theta[j];
    }
    return new Head(w, (float) theta[f]);
  }

  private static double lossAndGradient(float[] x, int f, float[] y, double[] sw, int[] rows, double norm,
      double l2, double[] theta, double[] grad) {
    Arrays.fill(grad, 0);
    double loss = 0;
    double b = theta[f];
    for (int r : rows) {
      int off = r * f;
      double z = b;
      for (int j = 0; j < f; j++) {
        z += theta[j] * x[off + j];
      }
      // log(1 + e^z) - y z, computed stably
      loss += sw[r] * ((z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[r] * z);
      double err = sw[r] * (sigmoid(z) - y[r]) / norm;
      for (int j = 0; j < f; j++) {
        grad[j] += err * x[off + j];
      }
      grad[f] += err;
    }
    loss /= norm;
    for (int j = 0; j < f; j++) {
      loss += 0.5 * l2 * theta[j] * theta[j];
      grad[j] += l2 * theta[j];
    }
    return loss;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < y.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static void scale(double[] v, double a) {
    for (int i = 0; i < v.length; i++) {
      v[i] *= a;
    }
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

  /** @return what the router learned */
  public Target target() {
    return target;
  }

  /** @return whether the router also reads the prompt text ({@link #score(String, float[])} is then required) */
  public boolean usesPromptFeatures() {
    return featureMean != null;
  }

  /** @return the number of calibration (out-of-fold) predictions */
  public int calibrationSize() {
    return calScores.length;
  }

  /**
   * The score of a prompt from its embedding alone; for routers without prompt features.
   *
   * @param embedding a prompt's embedding from the router's embedding model
   * @return 0..1, higher when the weak model more likely suffices (see {@link Target})
   * @throws IllegalArgumentException when the embedding has the wrong length
   * @throws IllegalStateException when the router uses prompt features (use {@link #score(String, float[])})
   */
  public double score(float[] embedding) {
    if (featureMean != null) {
      throw new IllegalStateException("this router also uses the prompt text; call score(prompt, embedding)");
    }
    return score(null, embedding);
  }

  /**
   * The score of a prompt: for {@link Target#AS_GOOD} the probability that the weak model's answer is as
   * good as the strong model's; for {@link Target#GAIN} {@code (1 + P(weak) - P(strong)) / 2}; for
   * {@link Target#WEAK} {@code P(weak)}. Either way, higher means the weak model more likely suffices.
   *
   * @param prompt the prompt text (may be null when {@link #usesPromptFeatures()} is false)
   * @param embedding the prompt's embedding from the router's embedding model
   * @return the score, 0..1
   * @throws IllegalArgumentException when the embedding has the wrong length, or the prompt is null and needed
   */
  public double score(String prompt, float[] embedding) {
    if (embedding.length != dimensions) {
      throw new IllegalArgumentException("embedding must have " + dimensions + " dimensions, had " + embedding.length);
    }
    float[] v = normalised(embedding, dimensions);
    if (featureMean == null) {
      return scoreFeatures(v, 0);
    }
    if (prompt == null) {
      throw new IllegalArgumentException("this router uses prompt features: the prompt must not be null");
    }
    float[] x = Arrays.copyOf(v, dimensions + PromptFeatures.COUNT);
    scaleFeatures(PromptFeatures.of(prompt), featureMean, featureSd, x, dimensions);
    return scoreFeatures(x, 0);
  }

  /** Scores a feature row: the embedding (unit length) at {@code off}, then the scaled prompt features if any. */
  private double scoreFeatures(float[] x, int off) {
    double pWeak = 0;
    double pStrong = 0;
    if (head != null) {
      pWeak = logit(head, x, off);
      if (strongHead != null) {
        pStrong = logit(strongHead, x, off);
      }
    }
    if (memory != null) {
      double[] knn = knn(x, off);
      pWeak = head == null ? knn[0] : (pWeak + knn[0]) / 2;
      pStrong = head == null ? knn[1] : (pStrong + knn[1]) / 2;
    }
    return target == Target.GAIN ? (1 + pWeak - pStrong) / 2 : pWeak;
  }

  private static double logit(Head h, float[] x, int off) {
    float[] w = h.weights();
    double z = h.bias();
    for (int j = 0; j < w.length; j++) {
      z += w[j] * x[off + j];
    }
    return sigmoid(z);
  }

  /** @return the similarity-weighted mean of the labels (or weak outcomes) and of the strong outcomes */
  private double[] knn(float[] x, int off) {
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
    double numStrong = priorStrong;
    double den = 1;
    for (double[] e : best) {
      double w = Math.exp((e[0] - top) / KNN_TEMPERATURE);
      num += w * memoryLabels[(int) e[1]];
      if (memoryStrong != null) {
        numStrong += w * memoryStrong[(int) e[1]];
      }
      den += w;
    }
    return new double[] {num / den, numStrong / den};
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
    root.put("target", target.name().toLowerCase(Locale.ROOT));
    root.put("k", k);
    root.put("prior", prior);
    root.put("prior_strong", priorStrong);
    if (featureMean != null) {
      ObjectNode pf = root.putObject("prompt_features");
      array(pf.putArray("mean"), featureMean);
      array(pf.putArray("sd"), featureSd);
    }
    if (head != null) {
      root.put("weights", encode(head.weights()));
      root.put("bias", head.bias());
    }
    if (strongHead != null) {
      root.put("weights_strong", encode(strongHead.weights()));
      root.put("bias_strong", strongHead.bias());
    }
    if (memory != null) {
      root.put("memory", encode(memory));
      root.put("memory_labels", encode(memoryLabels));
      if (memoryStrong != null) {
        root.put("memory_strong", encode(memoryStrong));
      }
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
   * Reads a router written by {@link #save}, in the current format ({@value #FORMAT}) or the previous one
   * ({@value #FORMAT_V1}).
   *
   * @param file the file
   * @return the router
   * @throws ConfigurationException when the file is not a router file, has an unknown format version, or is
   *     inconsistent
   * @throws UncheckedIOException when it cannot be read
   */
  public static QualityRouter load(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read router file " + file + ": " + e.getMessage(), e);
    }
    String format = root == null ? "" : root.path("format").asText();
    boolean v1 = FORMAT_V1.equals(format);
    if (!v1 && !FORMAT.equals(format)) {
      throw new ConfigurationException(format.startsWith("kiai-quality-router/")
          ? file + " has router format " + format + "; this version reads " + FORMAT + " and " + FORMAT_V1
          : file + " is not a " + FORMAT + " file");
    }
    int d = required(root, "dimensions", file).asInt();
    Method method;
    Target target;
    try {
      method = Method.valueOf(required(root, "method", file).asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(file + ": unknown method " + root.get("method"), e);
    }
    try {
      target = v1 ? Target.AS_GOOD : Target.valueOf(required(root, "target", file).asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(file + ": unknown target " + root.get("target"), e);
    }
    double[] mean = null;
    double[] sd = null;
    if (!v1 && root.has("prompt_features")) {
      mean = doubles(root.path("prompt_features").path("mean"));
      sd = doubles(root.path("prompt_features").path("sd"));
      if (mean.length != PromptFeatures.COUNT || sd.length != PromptFeatures.COUNT) {
        throw new ConfigurationException(file + ": prompt_features must have " + PromptFeatures.COUNT + " entries");
      }
    }
    int f = d + (mean == null ? 0 : PromptFeatures.COUNT);
    boolean gain = target == Target.GAIN;
    float[] w = root.has("weights") ? decode(root.get("weights").asText()) : null;
    float[] ws = !v1 && root.has("weights_strong") ? decode(root.get("weights_strong").asText()) : null;
    float[] memory = root.has("memory") ? decode(root.get("memory").asText()) : null;
    float[] labels = root.has("memory_labels") ? decode(root.get("memory_labels").asText()) : null;
    float[] strongLabels = !v1 && root.has("memory_strong") ? decode(root.get("memory_strong").asText()) : null;
    if ((method != Method.KNN && (w == null || w.length != f || (gain && (ws == null || ws.length != f))))
        || (method != Method.LOGISTIC && (memory == null || labels == null || memory.length != labels.length * d
            || (gain && (strongLabels == null || strongLabels.length != labels.length))))) {
      throw new ConfigurationException(file + ": weights or memory do not match method " + method + ", target "
          + target + " and dimensions " + d);
    }
    Head head = w == null ? null : new Head(w, (float) root.path("bias").asDouble());
    Head strongHead = gain && ws != null ? new Head(ws, (float) root.path("bias_strong").asDouble()) : null;
    JsonNode cal = root.path("calibration");
    return new QualityRouter(required(root, "strong_model", file).asText(),
        required(root, "weak_model", file).asText(), required(root, "embedding_model", file).asText(), d, method,
        target, required(root, "k", file).asInt(), mean, sd, head, strongHead, memory, labels,
        gain ? strongLabels : null, required(root, "prior", file).asDouble(), root.path("prior_strong").asDouble(0.5),
        doubles(cal.path("scores")), doubles(cal.path("weak")), doubles(cal.path("strong")));
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
