package dev.kiai.rag;

import dev.kiai.core.ChatModel;
import dev.kiai.core.Kiai;
import dev.kiai.core.Trace;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.error.UngroundedAnswerException;
import dev.kiai.core.telemetry.TelemetryNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Answers questions from an index with enforced citations: retrieve, optionally re-rank, fit the
 * sources into the context budget, generate, check the citations, and when the answer is not grounded
 * re-ask up to {@link Builder#maxReasks} times with the problems listed, then
 * {@link OnUngrounded#STRIP strip} the unsupported sentences or {@link OnUngrounded#FAIL fail} with
 * an {@link UngroundedAnswerException}. The response's trace gets a {@code rag} entry listing the
 * sources and the sentences each supports.
 *
 * <p>To put the same behaviour on every request of a {@link Kiai} instead, use
 * {@link #interceptor()}. Thread-safe.
 */
public final class RagPipeline {
  /** What to do with an answer that is still not grounded after the re-asks. */
  public enum OnUngrounded {
    /** Remove every sentence that is uncited, cites a missing source or is unsupported. */
    STRIP,
    /** Throw {@link UngroundedAnswerException}. */
    FAIL
  }

  private final Grounding grounding;
  private final Function<ChatRequest, ChatResponse> model;

  private RagPipeline(Builder b) {
    this.grounding = new Grounding(b.index, b.search, b.reranker, b.keepAfterRerank, b.contexts,
        b.enforcer == null ? CitationEnforcer.create() : b.enforcer, b.maxReasks, b.onUngrounded, b.meters);
    this.model = b.model;
  }

  /** @return a builder */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param question the question
   * @return the grounded answer
   * @throws UngroundedAnswerException when the answer stays ungrounded and the pipeline fails
   */
  public RagAnswer answer(String question) {
    return answer(ChatRequest.of(question));
  }

  /**
   * @param request a request whose last user message is the question (earlier messages are kept)
   * @return the grounded answer
   * @throws UngroundedAnswerException when the answer stays ungrounded and the pipeline fails
   */
  public RagAnswer answer(ChatRequest request) {
    if (model == null) {
      throw new IllegalStateException("no model: build the pipeline with model(...) or kiai(...), "
          + "or use interceptor() inside a Kiai chain");
    }
    Grounding.Outcome o = grounding.run(request, model);
    ChatResponse r = o.answer().response();
    List<Trace.Entry> entries = new ArrayList<>(r.trace().entries());
    entries.add(new Trace.Entry(Grounding.STAGE, o.decision(), o.attributes()));
    ChatResponse traced = r.withTrace(new Trace(entries));
    RagAnswer a = o.answer();
    return new RagAnswer(traced, a.context(), a.report(), a.attempts(), a.retrieved());
  }

  /** @return an interceptor doing the same for every request that passes through a chain */
  public RagInterceptor interceptor() {
    return new RagInterceptor(grounding);
  }

  /** Configures a {@link RagPipeline}. */
  public static final class Builder {
    private RagIndex index;
    private SearchRequest search = SearchRequest.builder("").k(8).build();
    private Reranker reranker;
    private int keepAfterRerank = Integer.MAX_VALUE;
    private ContextBuilder contexts;
    private CitationEnforcer enforcer;
    private int maxReasks = 1;
    private OnUngrounded onUngrounded = OnUngrounded.STRIP;
    private Function<ChatRequest, ChatResponse> model;
    private MeterRegistry meters;

    private Builder() {}

    /**
     * Counts answers ({@value TelemetryNames#KIAI_RAG_ANSWERS}, by decision) and failing sentences
     * ({@value TelemetryNames#KIAI_RAG_CITATION_PROBLEMS}, by kind). Without a registry nothing is recorded.
     *
     * @param registry the registry
     * @return this
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meters = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * @param index where to retrieve from
     * @return this
     */
    public Builder index(RagIndex index) {
      this.index = Objects.requireNonNull(index, "index");
      return this;
    }

    /**
     * @param template the search settings; its query is replaced by each question (hybrid, k = 8 by default)
     * @return this
     */
    public Builder search(SearchRequest template) {
      this.search = Objects.requireNonNull(template, "template");
      return this;
    }

    /**
     * @param reranker re-orders the retrieved chunks
     * @param keep how many re-ranked chunks go on to the context builder, at least 1
     * @return this
     */
    public Builder reranker(Reranker reranker, int keep) {
      if (keep < 1) {
        throw new IllegalArgumentException("keep must be >= 1, was " + keep);
      }
      this.reranker = Objects.requireNonNull(reranker, "reranker");
      this.keepAfterRerank = keep;
      return this;
    }

    /**
     * @param contexts fits the sources into the token budget (required)
     * @return this
     */
    public Builder contextBuilder(ContextBuilder contexts) {
      this.contexts = Objects.requireNonNull(contexts, "contexts");
      return this;
    }

    /**
     * @param enforcer checks the answer's citations; {@link CitationEnforcer#create()} by default
     * @return this
     */
    public Builder citationEnforcer(CitationEnforcer enforcer) {
      this.enforcer = Objects.requireNonNull(enforcer, "enforcer");
      return this;
    }

    /**
     * @param maxReasks how many times an ungrounded answer is sent back with its problems; 1 by default
     * @return this
     */
    public Builder maxReasks(int maxReasks) {
      if (maxReasks < 0) {
        throw new IllegalArgumentException("maxReasks must be >= 0, was " + maxReasks);
      }
      this.maxReasks = maxReasks;
      return this;
    }

    /**
     * @param action what to do when the answer is still ungrounded after the re-asks; STRIP by default
     * @return this
     */
    public Builder onUngrounded(OnUngrounded action) {
      this.onUngrounded = Objects.requireNonNull(action, "action");
      return this;
    }

    /**
     * @param kiai answers through the whole interceptor chain
     * @return this
     */
    public Builder kiai(Kiai kiai) {
      Objects.requireNonNull(kiai, "kiai");
      this.model = kiai::chat;
      return this;
    }

    /**
     * @param model answers directly
     * @return this
     */
    public Builder model(ChatModel model) {
      Objects.requireNonNull(model, "model");
      this.model = model::chat;
      return this;
    }

    /**
     * @return the pipeline
     * @throws IllegalStateException when the index or the context builder is missing
     */
    public RagPipeline build() {
      if (index == null) {
        throw new IllegalStateException("index is required");
      }
      if (contexts == null) {
        throw new IllegalStateException("contextBuilder is required");
      }
      return new RagPipeline(this);
    }
  }
}
