package dev.kiai.core;

import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import java.util.Map;

/**
 * One concern on the request path (telemetry, guardrails, budget, cache, router...). Every interceptor
 * sees the request on the way in and the response on the way out, and may change either, answer
 * without proceeding (a cache hit), or throw a {@link dev.kiai.core.error.KiaiException}. What it
 * decides it records with {@link Chain#record}, so the decision appears in the response's
 * {@link Trace}. Implementations must be thread-safe: one instance serves all requests.
 */
public interface LlmInterceptor {

  /**
   * Handles a blocking call.
   *
   * @param chain the rest of the path
   * @return the response, normally from {@code chain.proceed(request)}
   */
  ChatResponse intercept(Chain chain);

  /**
   * Handles a streaming call. The default passes the stream through untouched; override to observe or
   * change it (wrap the listener to see the completed response).
   *
   * @param chain the rest of the path
   */
  default void interceptStream(StreamChain chain) {
    chain.proceed(chain.request(), chain.listener());
  }

  /** @return the stage name used in the trace; the simple class name by default */
  default String name() {
    String simple = getClass().getSimpleName();
    return simple.isEmpty() ? getClass().getName() : simple;
  }

  /** The rest of the request path, as seen by one interceptor of a blocking call. */
  interface Chain {
    /** @return the request as it reached this interceptor */
    ChatRequest request();

    /** @return shorthand for {@code request().context()} */
    default RequestContext context() {
      return request().context();
    }

    /**
     * Passes a request to the next interceptor, or to the model after the last one.
     *
     * @param request the request to send on, possibly changed
     * @return the response
     */
    ChatResponse proceed(ChatRequest request);

    /**
     * Records this interceptor's decision in the response trace.
     *
     * @param decision what was decided
     * @param attributes the facts behind it
     */
    void record(String decision, Map<String, String> attributes);
  }

  /** The rest of the request path, as seen by one interceptor of a streaming call. */
  interface StreamChain {
    /** @return the request as it reached this interceptor */
    ChatRequest request();

    /** @return shorthand for {@code request().context()} */
    default RequestContext context() {
      return request().context();
    }

    /** @return the listener the caller (or the previous interceptor) gave */
    StreamListener listener();

    /**
     * Passes the request on; blocks until the stream has completed or failed.
     *
     * @param request the request to send on, possibly changed
     * @param listener the listener to deliver to, possibly a wrapper around {@link #listener()}
     */
    void proceed(ChatRequest request, StreamListener listener);

    /**
     * Records this interceptor's decision in the response trace.
     *
     * @param decision what was decided
     * @param attributes the facts behind it
     */
    void record(String decision, Map<String, String> attributes);
  }
}
