package dev.kiai.rag;

import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.error.UngroundedAnswerException;
import dev.kiai.core.telemetry.TelemetryNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Retrieval, context, generation and citation enforcement: the one path behind pipeline and interceptor. */
final class Grounding {
  /** The trace stage name of RAG decisions. */
  static final String STAGE = "rag";

  private final RagIndex index;
  private final SearchRequest search;
  private final Reranker reranker;
  private final int keepAfterRerank;
  private final ContextBuilder contexts;
  private final CitationEnforcer enforcer;
  private final int maxReasks;
  private final RagPipeline.OnUngrounded onUngrounded;
  private final MeterRegistry meters;

  Grounding(RagIndex index, SearchRequest search, Reranker reranker, int keepAfterRerank, ContextBuilder contexts,
      CitationEnforcer enforcer, int maxReasks, RagPipeline.OnUngrounded onUngrounded, MeterRegistry meters) {
    this.meters = meters;
    this.index = index;
    this.search = search;
    this.reranker = reranker;
    this.keepAfterRerank = keepAfterRerank;
    this.contexts = contexts;
    this.enforcer = enforcer;
    this.maxReasks = maxReasks;
    this.onUngrounded = onUngrounded;
  }

  /** The outcome plus the trace attributes describing it. */
  record Outcome(RagAnswer answer, String decision, Map<String, String> attributes) {}

  Outcome run(ChatRequest request, Function<ChatRequest, ChatResponse> call) {
    String question = request.lastUserText();
    List<ScoredChunk> retrieved = index.search(search.withQuery(question));
    if (reranker != null) {
      retrieved = reranker.rerank(question, retrieved);
      if (retrieved.size() > keepAfterRerank) {
        retrieved = List.copyOf(retrieved.subList(0, keepAfterRerank));
      }
    }
    BuiltContext context = contexts.build(retrieved);
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(ChatMessage.system(context.systemPrompt()));
    messages.addAll(request.messages());
    ChatRequest grounded = request.toBuilder().messages(messages).build();
    int attempts = 0;
    while (true) {
      attempts++;
      ChatResponse response = call.apply(grounded);
      CitationReport report = enforcer.check(response.text(), context);
      countProblems(report);
      if (report.grounded()) {
        return outcome(response, context, report, attempts, retrieved, attempts == 1 ? "grounded" : "grounded-after-reask");
      }
      if (attempts <= maxReasks) {
        grounded = grounded.toBuilder().addMessage(ChatMessage.assistant(response.text()))
            .addUser("Your answer has citation problems:\n- " + String.join("\n- ", report.problems())
                + "\nRewrite the whole answer. Every sentence that states a fact must cite a source number from "
                + "the sources that supports it; leave out what the sources do not support.")
            .build();
        continue;
      }
      if (onUngrounded == RagPipeline.OnUngrounded.FAIL) {
        countAnswer("failed");
        throw new UngroundedAnswerException(report.problems(), attempts);
      }
      ChatResponse stripped = new ChatResponse(response.id(), ChatMessage.assistant(report.groundedAnswer()),
          response.finishReason(), response.usage(), response.cost(), response.model(), response.provider(),
          response.latency(), response.template(), response.trace());
      return outcome(stripped, context, report, attempts, retrieved, "stripped");
    }
  }

  private void countProblems(CitationReport report) {
    if (meters == null) {
      return;
    }
    for (SentenceCheck s : report.sentences()) {
      if (!s.ok()) {
        meters.counter(TelemetryNames.KIAI_RAG_CITATION_PROBLEMS, TelemetryNames.KIAI_RAG_PROBLEM,
            s.status().name().toLowerCase(Locale.ROOT)).increment();
      }
    }
  }

  private void countAnswer(String decision) {
    if (meters != null) {
      meters.counter(TelemetryNames.KIAI_RAG_ANSWERS, TelemetryNames.KIAI_RAG_DECISION, decision).increment();
    }
  }

  private Outcome outcome(ChatResponse response, BuiltContext context, CitationReport report, int attempts,
      List<ScoredChunk> retrieved, String decision) {
    countAnswer(decision);
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("retrieved", Integer.toString(retrieved.size()));
    attrs.put("sources", Integer.toString(context.sources().size()));
    attrs.put("context_tokens", Integer.toString(context.tokens()));
    attrs.put("attempts", Integer.toString(attempts));
    Map<Integer, List<Integer>> support = report.supportBySource();
    for (Source s : context.sources()) {
      List<Integer> sentences = support.getOrDefault(s.number(), List.of());
      attrs.put("source." + s.number(), s.chunk().id() + (sentences.isEmpty() ? " (not cited in support)"
          : " supports sentence(s) " + sentences.stream().map(String::valueOf).collect(Collectors.joining(","))));
    }
    List<String> problems = report.problems();
    if (!problems.isEmpty()) {
      attrs.put("problems", String.join("; ", problems));
    }
    return new Outcome(new RagAnswer(response, context, report, attempts, retrieved), decision, attrs);
  }
}
