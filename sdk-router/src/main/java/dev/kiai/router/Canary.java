package dev.kiai.router;

import dev.kiai.core.RequestContext;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends a sticky share of requests to a new model and stops itself when the new model misbehaves. A
 * request goes to the candidate when the canary is running and its stickiness key (the user, else the
 * tenant, else the request id) hashes into the first {@code percent} of 10,000 buckets, so a user stays
 * on one side. After each canary call the outcome enters a sliding window of the last {@code window}
 * calls; once it holds {@code minSamples} outcomes, the canary stops when the error rate exceeds
 * {@code maxErrorRate} or the mean judge score falls below {@code minJudgeScore}. A stopped canary stays
 * stopped (see {@link #stopReason()}); requests then take the normal route. Failed canary calls fall
 * back to the normal route, so users do not see them. Thread-safe.
 */
public final class Canary {
  /** Scores a canary answer from 0 (bad) to 1 (good), e.g. by asking a judge model. */
  @FunctionalInterface
  public interface Judge {
    /**
     * @param request the request
     * @param answer the candidate model's answer
     * @return a score in 0..1
     */
    double score(ChatRequest request, ChatResponse answer);
  }

  /**
   * A judge that asks any chat model to grade the canary's answer from 0 to 10 (scaled to 0..1). The
   * judge call goes straight to {@code judge}, off the request path; an unparseable grade counts as 0.
   *
   * @param judge the judging model
   * @param judgeModel the model id to request from it
   * @return the judge
   */
  public static Judge modelJudge(dev.kiai.core.ChatModel judge, String judgeModel) {
    Objects.requireNonNull(judge, "judge");
    Objects.requireNonNull(judgeModel, "judgeModel");
    return (request, answer) -> {
      double score = Verifiers.judgeScore(judge.chat(Verifiers.judgeRequest(judgeModel, request, answer)).text());
      return Double.isNaN(score) ? 0 : score;
    };
  }

  private final String model;
  private final double percent;
  private final double maxErrorRate;
  private final int minSamples;
  private final Judge judge;
  private final double minJudgeScore;
  private final Function<RequestContext, String> stickiness;
  private final byte[] salt;

  private final Object lock = new Object();
  private final boolean[] errors;
  private final double[] scores;
  private int next;
  private int size;
  private long calls;
  private long failures;
  private String stopReason;

  private Canary(Builder b) {
    this.model = b.model;
    this.percent = b.percent;
    this.maxErrorRate = b.maxErrorRate;
    this.minSamples = b.minSamples;
    this.judge = b.judge;
    this.minJudgeScore = b.minJudgeScore;
    this.stickiness = b.stickiness;
    this.salt = b.model.getBytes(StandardCharsets.UTF_8);
    this.errors = new boolean[b.window];
    this.scores = new double[b.window];
  }

  /**
   * @param model the candidate model id
   * @return a builder (defaults: 5 %, stop above 20 % errors, judged over the last 100 calls, at least
   *     20 of them)
   */
  public static Builder builder(String model) {
    return new Builder(model);
  }

  /** @return the candidate model */
  public String model() {
    return model;
  }

  /** @return the share of requests (by stickiness key) sent to the candidate, in percent */
  public double percent() {
    return percent;
  }

  /**
   * @param context a request's context
   * @return the request's bucket, 0..9999
   */
  public int bucket(RequestContext context) {
    String key = stickiness.apply(context);
    return Math.floorMod(fnv1a(key == null ? context.requestId() : key), 10_000);
  }

  /**
   * @param context a request's context
   * @return true when the canary is running and the request's bucket falls into its share
   */
  public boolean selects(RequestContext context) {
    return !stopped() && bucket(context) < percent * 100;
  }

  /** @return true once the canary has stopped itself */
  public boolean stopped() {
    synchronized (lock) {
      return stopReason != null;
    }
  }

  /** @return why the canary stopped, if it has */
  public Optional<String> stopReason() {
    synchronized (lock) {
      return Optional.ofNullable(stopReason);
    }
  }

  /** @return canary calls so far */
  public long calls() {
    synchronized (lock) {
      return calls;
    }
  }

  /** @return failed canary calls so far */
  public long failures() {
    synchronized (lock) {
      return failures;
    }
  }

  /** @return the judge, or null when none is configured */
  Judge judge() {
    return judge;
  }

  /**
   * Records a successful canary call; when a judge is configured, callers pass its score.
   *
   * @param judgeScore the judge's score 0..1, or NaN when there is no judge
   */
  public void recordSuccess(double judgeScore) {
    record(false, judgeScore);
  }

  /** Records a failed canary call. */
  public void recordFailure() {
    record(true, Double.NaN);
  }

  private void record(boolean error, double score) {
    synchronized (lock) {
      calls++;
      if (error) {
        failures++;
      }
      errors[next] = error;
      scores[next] = score;
      next = (next + 1) % errors.length;
      size = Math.min(size + 1, errors.length);
      if (stopReason != null || size < minSamples) {
        return;
      }
      int errs = 0;
      double sum = 0;
      int judged = 0;
      for (int i = 0; i < size; i++) {
        if (errors[i]) {
          errs++;
        } else if (!Double.isNaN(scores[i])) {
          sum += scores[i];
          judged++;
        }
      }
      double rate = errs / (double) size;
      if (rate > maxErrorRate) {
        stopReason = String.format(Locale.ROOT, "error rate %.3f over the last %d calls exceeds %.3f", rate, size,
            maxErrorRate);
      } else if (judge != null && judged >= minSamples / 2 && judged > 0 && sum / judged < minJudgeScore) {
        stopReason = String.format(Locale.ROOT, "mean judge score %.3f over %d judged calls is below %.3f",
            sum / judged, judged, minJudgeScore);
      }
    }
  }

  private int fnv1a(String key) {
    int h = 0x811c9dc5;
    for (byte b : salt) {
      h = (h ^ (b & 0xff)) * 0x01000193;
    }
    h = (h ^ '|') * 0x01000193;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h;
  }

  /** Builds a {@link Canary}. */
  public static final class Builder {
    private final String model;
    private double percent = 5;
    private double maxErrorRate = 0.2;
    private int window = 100;
    private int minSamples = 20;
    private Judge judge;
    private double minJudgeScore;
    private Function<RequestContext, String> stickiness =
        c -> c.user() != null ? c.user() : c.tenant() != null ? c.tenant() : c.requestId();

    private Builder(String model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /** @param percent share of requests for the candidate, 0..100 @return this */
    public Builder percent(double percent) {
      if (!(percent >= 0 && percent <= 100)) {
        throw new IllegalArgumentException("percent must be within 0..100, was " + percent);
      }
      this.percent = percent;
      return this;
    }

    /** @param maxErrorRate the canary stops when its error rate exceeds this, 0..1 @return this */
    public Builder maxErrorRate(double maxErrorRate) {
      if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
        throw new IllegalArgumentException("maxErrorRate must be within 0..1, was " + maxErrorRate);
      }
      this.maxErrorRate = maxErrorRate;
      return this;
    }

    /**
     * @param window outcomes kept, at least 1
     * @param minSamples outcomes needed before the canary may stop, 1..window
     * @return this
     */
    public Builder window(int window, int minSamples) {
      if (window < 1) {
        throw new IllegalArgumentException("window must be >= 1, was " + window);
      }
      if (minSamples < 1 || minSamples > window) {
        throw new IllegalArgumentException("minSamples must be within 1.." + window + ", was " + minSamples);
      }
      this.window = window;
      this.minSamples = minSamples;
      return this;
    }

    /**
     * @param judge scores canary answers (runs on the router's executor, off the request path)
     * @param minMeanScore the canary stops when the mean score falls below this, 0..1
     * @return this
     */
    public Builder judge(Judge judge, double minMeanScore) {
      if (!(minMeanScore >= 0 && minMeanScore <= 1)) {
        throw new IllegalArgumentException("minMeanScore must be within 0..1, was " + minMeanScore);
      }
      this.judge = Objects.requireNonNull(judge, "judge");
      this.minJudgeScore = minMeanScore;
      return this;
    }

    /** @param stickiness the key that keeps a requester on one side @return this */
    public Builder stickiness(Function<RequestContext, String> stickiness) {
      this.stickiness = Objects.requireNonNull(stickiness, "stickiness");
      return this;
    }

    /** @return the canary, running */
    public Canary build() {
      return new Canary(this);
    }
  }
}
