package dev.kiai.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.ChatModel;
import dev.kiai.core.Kiai;
import dev.kiai.core.RequestContext;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.error.KiaiException;
import dev.kiai.core.pricing.PriceTable;
import dev.kiai.core.prompt.PromptRegistry;
import dev.kiai.core.prompt.PromptTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link GoldenSuite} against a model and checks every answer.
 *
 * <pre>{@code
 * EvalRunner runner = EvalRunner.builder()
 *     .model(ReplayModel.fromClasspath("replay/support.jsonl"))   // or any provider
 *     .judge(judgeModel)                                            // for model-graded assertions
 *     .concurrency(4).timeout(Duration.ofSeconds(30)).retries(2).caseTimeout(Duration.ofMinutes(2))
 *     .cacheDirectory(Path.of("target/eval-cache"))
 *     .build();
 * EvalReport report = runner.run(GoldenSuite.load("classpath:golden/support.jsonl"));
 * }</pre>
 *
 * <p>Cases run in parallel with at most {@code concurrency} at a time; each model call has its own
 * timeout and is retried when the failure is retryable ({@link KiaiException#retryable()} or a
 * timeout), and the whole case (model call, retries, assertions and judge calls) is bounded by
 * {@link Builder#caseTimeout}. Results come back in file order whatever the completion order. Calls go through
 * {@link Kiai}, so answers are priced with the {@link PriceTable}. With a cache directory an unchanged
 * case (same model, template version, input and parameters) is answered from disk and costs nothing,
 * and so is a judge verdict for the same judge, judge prompt version and rendered prompt; replayed
 * answers bypass the cache. Immutable and thread-safe; one runner may run many suites.
 */
public final class EvalRunner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChatModel model;
  private final String modelName;
  private final String modelLabel;
  private final ChatModel judgeModel;
  private final String judgeModelName;
  private final EmbeddingModel embeddings;
  private final PiiDetector pii;
  private final PromptRegistry prompts;
  private final PromptRegistry judgePrompts;
  private final PriceTable prices;
  private final int concurrency;
  private final Duration timeout;
  private final Duration caseTimeout;
  private final int retries;
  private final Duration retryBackoff;
  private final Path cacheDirectory;
  private final Path recordTo;

  private EvalRunner(Builder b) {
    this.model = Objects.requireNonNull(b.model, "model");
    this.modelName = b.modelName;
    this.modelLabel = model.provider() + ":" + (modelName != null ? modelName
        : model.defaultModel() == null ? "default" : model.defaultModel());
    this.judgeModel = b.judge;
    this.judgeModelName = b.judgeModelName;
    this.embeddings = b.embeddings;
    this.pii = b.pii == null ? PiiDetector.builtIn() : b.pii;
    this.prompts = b.prompts;
    this.judgePrompts = b.judgePrompts;
    this.prices = b.prices == null ? PriceTable.bundled() : b.prices;
    this.concurrency = b.concurrency;
    this.timeout = b.timeout;
    this.caseTimeout = b.caseTimeout;
    this.retries = b.retries;
    this.retryBackoff = b.retryBackoff;
    this.cacheDirectory = b.cacheDirectory;
    this.recordTo = b.recordTo;
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /** @return {@code provider:model} of the model under test, as shown in reports */
  public String modelLabel() {
    return modelLabel;
  }

  /**
   * Runs every case and returns the report; never throws for a failing or erroring case.
   *
   * @param suite the golden set
   * @return the report with cases in file order
   * @throws ConfigurationException when a case names a template but no prompt registry is configured,
   *     or the judge prompts cannot be loaded
   * @throws UncheckedIOException when record mode cannot write its file
   */
  public EvalReport run(GoldenSuite suite) {
    Objects.requireNonNull(suite, "suite");
    if (prompts == null && suite.cases().stream().anyMatch(c -> c.template() != null)) {
      throw new ConfigurationException("suite " + suite.name()
          + " has template cases; configure EvalRunner.builder().prompts(registry)");
    }
    Instant started = Instant.now();
    ExecutorService workers = Executors.newFixedThreadPool(concurrency, daemon("kiai-eval-case"));
    ExecutorService calls = Executors.newCachedThreadPool(daemon("kiai-eval-call"));
    try (Kiai kiai = Kiai.builder().model(model).prices(prices).build();
         Kiai judgeKiai = judgeModel == null ? null : Kiai.builder().model(judgeModel).prices(prices).build()) {
      ResultCache diskCache = cacheDirectory == null ? null : new ResultCache(cacheDirectory);
      Judge judge = judgeKiai == null ? null : new Judge(judgeKiai, judgeModelName, judgeLabel(),
          judgePrompts == null ? Judge.bundledPrompts() : judgePrompts, diskCache);
      Assertions assertions = new Assertions(judge, embeddings, pii);
      ResultCache cache = model instanceof ReplayModel ? null : diskCache;
      List<Future<CaseResult>> futures = new ArrayList<>();
      for (GoldenCase c : suite.cases()) {
        futures.add(workers.submit(() -> bounded(c, calls, () -> runCase(c, kiai, calls, cache, assertions, judge))));
      }
      List<CaseResult> results = new ArrayList<>(futures.size());
      for (int i = 0; i < futures.size(); i++) {
        results.add(await(futures.get(i), suite.cases().get(i)));
      }
      if (recordTo != null) {
        record(results);
      }
      return new EvalReport(suite.name(), modelLabel, judge == null ? null : judgeLabel(), started,
          Duration.between(started, Instant.now()), results);
    } finally {
      workers.shutdownNow();
      calls.shutdownNow();
    }
  }

  private String judgeLabel() {
    return judgeModel.provider() + ":" + (judgeModelName != null ? judgeModelName
        : judgeModel.defaultModel() == null ? "default" : judgeModel.defaultModel());
  }

  private static CaseResult await(Future<CaseResult> f, GoldenCase c) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while running case " + c.id());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return new CaseResult(c.id(), CaseResult.Status.ERRORED, 0, List.of(), "", null,
          cause.getClass().getSimpleName() + ": " + cause.getMessage(), c.tags(), c.weight(), 0, false, null);
    }
  }

  ChatRequest request(GoldenCase c) {
    ChatRequest.Builder b;
    if (c.template() != null) {
      PromptTemplate t = prompts.get(c.template());
      b = t.renderStrict(c.vars()).toRequestBuilder();
    } else if (c.prompt() != null) {
      b = ChatRequest.builder().addUser(c.prompt());
    } else {
      b = ChatRequest.builder().messages(c.messages());
    }
    if (modelName != null) {
      b.model(modelName);
    }
    ChatRequest r = b.build();
    return r.toBuilder().context(r.context().toBuilder().attribute(ReplayModel.CASE_ID_ATTRIBUTE, c.id())
        .requestId("eval-" + c.id()).build()).build();
  }

  private CaseResult runCase(GoldenCase c, Kiai kiai, ExecutorService calls, ResultCache cache,
      Assertions assertions, Judge judge) {
    ChatRequest request;
    try {
      request = request(c);
    } catch (KiaiException | IllegalArgumentException e) {
      return errored(c, "", "cannot build the request: " + e.getMessage(), 0);
    }
    String input = request.lastUserText();
    String key = cache == null ? null : cacheKey(c, request, judge);
    CaseOutput output = null;
    int attempts = 0;
    boolean cached = false;
    if (cache != null) {
      output = cache.get(key).orElse(null);
      cached = output != null;
    }
    if (output == null) {
      String lastError = null;
      while (output == null && attempts <= retries) {
        if (attempts > 0) {
          sleep(retryBackoff.multipliedBy(1L << Math.min(attempts - 1, 6)));
        }
        attempts++;
        Future<ChatResponse> call = calls.submit(() -> kiai.chat(request));
        try {
          ChatResponse r = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          output = new CaseOutput(r.text(), r.model(), r.usage(), r.cost().known() ? r.cost().total() : null,
              r.latency());
        } catch (TimeoutException e) {
          call.cancel(true);
          lastError = "timed out after " + timeout.toMillis() + " ms";
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          lastError = cause.getClass().getSimpleName() + ": " + cause.getMessage();
          if (!(cause instanceof KiaiException k && k.retryable())) {
            break;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          call.cancel(true);
          return errored(c, input, "interrupted", attempts);
        }
      }
      if (output == null) {
        return errored(c, input, lastError + (attempts > 1 ? " (after " + attempts + " attempts)" : ""), attempts);
      }
      if (cache != null) {
        cache.put(key, output);
      }
    }
    List<AssertionResult> results = new ArrayList<>();
    BigDecimal judgeCost = BigDecimal.ZERO;
    for (AssertionSpec spec : c.assertions()) {
      Assertions.Outcome o = assertions.evaluate(spec, c, input, output);
      results.add(o.result());
      judgeCost = judgeCost.add(o.judgeCost());
    }
    CaseResult.Status status = results.stream().anyMatch(AssertionResult::errored) ? CaseResult.Status.ERRORED
        : results.stream().allMatch(AssertionResult::pass) ? CaseResult.Status.PASSED : CaseResult.Status.FAILED;
    return new CaseResult(c.id(), status, score(results), results, input, output, null, c.tags(), c.weight(),
        attempts, cached, judgeCost);
  }

  /** Weighted mean of assertion scores; an assertion without a score counts 1 when passed, else 0. */
  static double score(List<AssertionResult> results) {
    if (results.isEmpty()) {
      return 1.0;
    }
    double sum = 0;
    double weights = 0;
    for (AssertionResult a : results) {
      double s = a.errored() ? 0 : a.score() != null ? a.score() : a.pass() ? 1 : 0;
      sum += a.weight() * s;
      weights += a.weight();
    }
    return sum / weights;
  }

  private String cacheKey(GoldenCase c, ChatRequest r, Judge judge) {
    StringBuilder input = new StringBuilder();
    for (ChatMessage m : r.messages()) {
      input.append(m.role()).append('\u0000').append(m.content()).append('\u0001');
    }
    ObjectNode params = JSON.createObjectNode();
    params.put("model", r.model());
    params.put("temperature", r.temperature());
    params.put("max_tokens", r.maxTokens());
    params.put("top_p", r.topP());
    params.put("seed", r.seed());
    params.put("stop", String.join("\u0000", r.stop()));
    params.put("response_format", String.valueOf(r.responseFormat()));
    String template = r.context().template() == null ? "" : r.context().template().toString();
    return ResultCache.key(modelLabel, template, ResultCache.sha256(input.toString()), params.toString());
  }

  private void record(List<CaseResult> results) {
    StringBuilder sb = new StringBuilder();
    for (CaseResult r : results) {
      if (r.output() == null) {
        continue;
      }
      ObjectNode n = JSON.createObjectNode();
      n.put("id", r.id());
      n.put("output", r.output().text());
      n.put("model", r.output().model());
      n.put("input_tokens", r.output().usage().inputTokens());
      n.put("output_tokens", r.output().usage().outputTokens());
      n.put("latency_ms", r.output().latency().toMillis());
      sb.append(n).append('\n');
    }
    try {
      if (recordTo.getParent() != null) {
        Files.createDirectories(recordTo.getParent());
      }
      Files.writeString(recordTo, sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write recording " + recordTo, e);
    }
  }

  /**
   * Runs one case within {@link Builder#caseTimeout}: the model call with its retries and every
   * assertion, judge calls included. A case that overruns is cancelled and reported as errored.
   */
  private CaseResult bounded(GoldenCase c, ExecutorService calls, Callable<CaseResult> work) {
    Future<CaseResult> f = calls.submit(work);
    try {
      return f.get(caseTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return errored(c, "", "case timed out after " + caseTimeout.toMillis() + " ms", 0);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      return errored(c, "", "interrupted", 0);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return errored(c, "", cause.getClass().getSimpleName() + ": " + cause.getMessage(), 0);
    }
  }

  private static CaseResult errored(GoldenCase c, String input, String error, int attempts) {
    return new CaseResult(c.id(), CaseResult.Status.ERRORED, 0, List.of(), input, null, error, c.tags(), c.weight(),
        attempts, false, null);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Builds an {@link EvalRunner}. */
  public static final class Builder {
    private ChatModel model;
    private String modelName;
    private ChatModel judge;
    private String judgeModelName;
    private EmbeddingModel embeddings;
    private PiiDetector pii;
    private PromptRegistry prompts;
    private PromptRegistry judgePrompts;
    private PriceTable prices;
    private int concurrency = 4;
    private Duration timeout = Duration.ofSeconds(60);
    private Duration caseTimeout = Duration.ofMinutes(5);
    private int retries = 2;
    private Duration retryBackoff = Duration.ofMillis(500);
    private Path cacheDirectory;
    private Path recordTo;

    private Builder() {}

    /** @param model the model under test (required) @return this */
    public Builder model(ChatModel model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /** @param modelName model id sent with each request; null uses the model's default @return this */
    public Builder modelName(String modelName) {
      this.modelName = modelName;
      return this;
    }

    /** @param judge the model that grades model-graded assertions @return this */
    public Builder judge(ChatModel judge) {
      this.judge = judge;
      return this;
    }

    /** @param judgeModelName model id for judge requests; null uses the judge's default @return this */
    public Builder judgeModelName(String judgeModelName) {
      this.judgeModelName = judgeModelName;
      return this;
    }

    /** @param embeddings the model for {@code similar} @return this */
    public Builder embeddings(EmbeddingModel embeddings) {
      this.embeddings = embeddings;
      return this;
    }

    /** @param pii the detector for {@code no-pii}; null means {@link PiiDetector#builtIn()} @return this */
    public Builder piiDetector(PiiDetector pii) {
      this.pii = pii;
      return this;
    }

    /** @param prompts templates that {@code template} cases name @return this */
    public Builder prompts(PromptRegistry prompts) {
      this.prompts = prompts;
      return this;
    }

    /**
     * @param judgePrompts replaces the bundled judge prompts; must contain {@code llm-rubric},
     *     {@code factuality}, {@code answer-relevance}, {@code faithfulness} and {@code pairwise}
     * @return this
     */
    public Builder judgePrompts(PromptRegistry judgePrompts) {
      this.judgePrompts = judgePrompts;
      return this;
    }

    /** @param prices prices for cost totals; default {@link PriceTable#bundled()} @return this */
    public Builder prices(PriceTable prices) {
      this.prices = prices;
      return this;
    }

    /** @param concurrency cases run at the same time, 1..256; default 4 @return this */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1 || concurrency > 256) {
        throw new IllegalArgumentException("concurrency must be within 1..256, was " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /** @param timeout limit of one model call, &gt; 0; default 60 s @return this */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * @param caseTimeout limit of one whole case: the model call with its retries and all assertions,
     *     judge calls included; &gt; 0; default 5 min. An overrunning case is cancelled and errored.
     * @return this
     */
    public Builder caseTimeout(Duration caseTimeout) {
      if (caseTimeout == null || caseTimeout.isNegative() || caseTimeout.isZero()) {
        throw new IllegalArgumentException("caseTimeout must be positive, was " + caseTimeout);
      }
      this.caseTimeout = caseTimeout;
      return this;
    }

    /** @param retries extra attempts after a retryable failure or timeout, 0..10; default 2 @return this */
    public Builder retries(int retries) {
      if (retries < 0 || retries > 10) {
        throw new IllegalArgumentException("retries must be within 0..10, was " + retries);
      }
      this.retries = retries;
      return this;
    }

    /** @param backoff wait before the first retry, doubled each time; default 500 ms @return this */
    public Builder retryBackoff(Duration backoff) {
      if (backoff == null || backoff.isNegative()) {
        throw new IllegalArgumentException("retryBackoff must be >= 0, was " + backoff);
      }
      this.retryBackoff = backoff;
      return this;
    }

    /** @param dir where answers are cached; null disables the cache @return this */
    public Builder cacheDirectory(Path dir) {
      this.cacheDirectory = dir;
      return this;
    }

    /**
     * Record mode: after each run, write every answer as replay JSONL ({@code {"id","output",...}}) to
     * this file, for {@link ReplayModel#fromFile(Path)}.
     *
     * @param file the recording to write; null disables recording
     * @return this
     */
    public Builder recordTo(Path file) {
      this.recordTo = file;
      return this;
    }

    /**
     * @return the runner
     * @throws NullPointerException when no model was set
     */
    public EvalRunner build() {
      Objects.requireNonNull(model, "model");
      return new EvalRunner(this);
    }
  }
}
