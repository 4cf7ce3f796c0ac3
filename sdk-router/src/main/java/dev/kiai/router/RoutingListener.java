package dev.kiai.router;

import dev.kiai.core.Trace;
import dev.kiai.core.chat.ChatRequest;
import java.util.List;

/**
 * Receives what the router decided and attempted for each blocking request, after it finished, on the
 * request's thread: the same entries the response's {@link Trace} shows under the stage
 * {@value RouterInterceptor#STAGE}, and also for requests that failed, whose trace the caller never
 * sees. Implementations are thread-safe and quick.
 */
@FunctionalInterface
public interface RoutingListener {

  /**
   * @param request the request as it reached the router
   * @param entries the router's trace entries, in order
   * @param error the failure the caller received, or null when the request succeeded
   */
  void onRouted(ChatRequest request, List<Trace.Entry> entries, Throwable error);
}
