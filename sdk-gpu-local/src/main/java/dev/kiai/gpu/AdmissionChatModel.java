package dev.kiai.gpu;

import dev.kiai.core.StreamListener;
import dev.kiai.core.StreamingChatModel;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.error.ProviderUnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link StreamingChatModel} whose requests pass an {@link AdmissionController} first. Every call,
 * blocking or streamed, is streamed underneath so that the TTFT reported to the controller is the real
 * time to the first text. A refused request fails with a retryable {@link ProviderUnavailableException}
 * of error type {@value #REJECTED_ERROR_TYPE}, which a router treats as a cue to overflow.
 */
public final class AdmissionChatModel implements StreamingChatModel {
  /** Error type of the exception a refused request fails with. */
  public static final String REJECTED_ERROR_TYPE = "admission_rejected";

  private final StreamingChatModel delegate;
  private final AdmissionController admission;

  /**
   * @param delegate the engine's model
   * @param admission the engine's controller; share one per engine between its models
   */
  public AdmissionChatModel(StreamingChatModel delegate, AdmissionController admission) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.admission = Objects.requireNonNull(admission, "admission");
  }

  /** {@inheritDoc} */
  @Override
  public ChatResponse chat(ChatRequest request) {
    AtomicReference<ChatResponse> done = new AtomicReference<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    stream(request, new StreamListener() {
      @Override
      public void onComplete(ChatResponse response) {
        done.set(response);
      }

      @Override
      public void onError(Throwable error) {
        failed.set(error);
      }
    });
    Throwable error = failed.get();
    if (error instanceof RuntimeException re) {
      throw re;
    }
    if (error instanceof Error e) {
      throw e;
    }
    return done.get();
  }

  /** {@inheritDoc} */
  @Override
  public void stream(ChatRequest request, StreamListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    Optional<AdmissionController.Permit> permit = admission.tryAcquire();
    if (permit.isEmpty()) {
      listener.onError(new ProviderUnavailableException(delegate.provider(),
          request.model() == null ? delegate.defaultModel() : request.model(), 0, REJECTED_ERROR_TYPE,
          "over the adaptive concurrency limit of " + admission.limit() + " (TTFT SLO "
              + admission.ttftSlo().toMillis() + " ms)", null));
      return;
    }
    long start = System.nanoTime();
    AtomicReference<Duration> ttft = new AtomicReference<>();
    try (AdmissionController.Permit p = permit.get()) {
      delegate.stream(request, new StreamListener() {
        @Override
        public void onText(String delta) {
          ttft.compareAndSet(null, Duration.ofNanos(System.nanoTime() - start));
          listener.onText(delta);
        }

        @Override
        public void onToolCall(dev.kiai.core.chat.ToolCallDelta delta) {
          ttft.compareAndSet(null, Duration.ofNanos(System.nanoTime() - start));
          listener.onToolCall(delta);
        }

        @Override
        public void onComplete(ChatResponse response) {
          ttft.compareAndSet(null, Duration.ofNanos(System.nanoTime() - start));
          p.release(ttft.get());
          listener.onComplete(response);
        }

        @Override
        public void onError(Throwable error) {
          p.close();
          listener.onError(error);
        }
      });
    }
  }

  /** {@inheritDoc} */
  @Override
  public String provider() {
    return delegate.provider();
  }

  /** {@inheritDoc} */
  @Override
  public String defaultModel() {
    return delegate.defaultModel();
  }
}
