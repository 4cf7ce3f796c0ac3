package dev.kiai.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiai.core.ChatModel;
import dev.kiai.core.chat.ChatMessage;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.chat.FinishReason;
import dev.kiai.core.chat.Usage;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.error.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link ChatModel} that answers from recorded outputs, so golden sets run offline and
 * deterministically in CI. Each JSONL line is {@code {"id","output"}} with optional {@code "model"},
 * {@code "input_tokens"}, {@code "output_tokens"} and {@code "latency_ms"} (what {@link EvalRunner}'s
 * record mode writes); usage and the recorded model make replayed answers priced like the live ones.
 * The case is found by the request attribute {@value #CASE_ID_ATTRIBUTE}, which {@link EvalRunner} sets.
 * Thread-safe and immutable.
 */
public final class ReplayModel implements ChatModel {
  /** Request-context attribute naming the golden case a request belongs to. */
  public static final String CASE_ID_ATTRIBUTE = "kiai.eval.case_id";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One recorded answer.
   *
   * @param output the answer text
   * @param model the model that produced it, or null
   * @param usage tokens it consumed
   * @param latency how long it took
   */
  public record Recording(String output, String model, Usage usage, Duration latency) {
    public Recording {
      Objects.requireNonNull(output, "output");
      usage = usage == null ? Usage.ZERO : usage;
      latency = latency == null ? Duration.ZERO : latency;
    }
  }

  private final String source;
  private final Map<String, Recording> byId;

  private ReplayModel(String source, Map<String, Recording> byId) {
    this.source = source;
    this.byId = byId;
  }

  /**
   * @param outputs case id to answer text
   * @return a replay model over those answers
   */
  public static ReplayModel of(Map<String, String> outputs) {
    Map<String, Recording> m = new LinkedHashMap<>();
    outputs.forEach((id, out) -> m.put(id, new Recording(out, null, Usage.ZERO, Duration.ZERO)));
    return new ReplayModel("memory", java.util.Collections.unmodifiableMap(m));
  }

  /**
   * @param file a JSONL recording
   * @return the replay model
   * @throws ConfigurationException naming the file and line when it cannot be read or is malformed
   */
  public static ReplayModel fromFile(Path file) {
    try {
      return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigurationException("cannot read replay file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param resource a classpath resource, e.g. {@code replay/support.jsonl}
   * @return the replay model
   * @throws ConfigurationException when the resource is missing or malformed
   */
  public static ReplayModel fromClasspath(String resource) {
    String r = resource.startsWith("/") ? resource.substring(1) : resource;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ReplayModel.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(r)) {
      if (in == null) {
        throw new ConfigurationException("replay file not found on the classpath: " + r);
      }
      return parse("classpath:" + r, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigurationException("cannot read replay file classpath:" + r + ": " + e.getMessage(), e);
    }
  }

  static ReplayModel parse(String source, String content) {
    Map<String, Recording> m = new LinkedHashMap<>();
    String[] lines = content.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = source + ":" + (i + 1) + ": ";
      JsonNode n;
      try {
        n = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new ConfigurationException(where + "malformed JSON: " + e.getOriginalMessage());
      }
      JsonNode id = n.get("id");
      JsonNode out = n.get("output");
      if (id == null || !id.isValueNode() || out == null || !out.isTextual()) {
        throw new ConfigurationException(where + "expected {\"id\",\"output\"} with a string output");
      }
      try {
        Usage usage = Usage.of(n.path("input_tokens").asLong(0), n.path("output_tokens").asLong(0));
        Recording rec = new Recording(out.asText(), n.hasNonNull("model") ? n.get("model").asText() : null, usage,
            Duration.ofMillis(n.path("latency_ms").asLong(0)));
        if (m.put(id.asText(), rec) != null) {
          throw new ConfigurationException(where + "duplicate id '" + id.asText() + "'");
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(where + e.getMessage());
      }
    }
    return new ReplayModel(source, java.util.Collections.unmodifiableMap(m));
  }

  /** @return the recordings by case id, in file order */
  public Map<String, Recording> recordings() {
    return byId;
  }

  /**
   * @throws InvalidRequestException when the request names no case or the case was not recorded
   */
  @Override
  public ChatResponse chat(ChatRequest request) {
    Object id = request.context().attribute(CASE_ID_ATTRIBUTE).orElse(null);
    if (id == null) {
      throw new InvalidRequestException(provider(), defaultModel(), 0, "replay_missing_case",
          "replay needs the request attribute " + CASE_ID_ATTRIBUTE + " (EvalRunner sets it)");
    }
    Recording r = byId.get(id.toString());
    if (r == null) {
      throw new InvalidRequestException(provider(), defaultModel(), 0, "replay_missing_case",
          "no recorded output for case '" + id + "' in " + source);
    }
    String model = r.model() != null ? r.model() : defaultModel();
    return new ChatResponse("replay-" + id, ChatMessage.assistant(r.output()), FinishReason.STOP, r.usage(), null,
        model, provider(), r.latency(), null, null);
  }

  @Override
  public String provider() {
    return "replay";
  }

  @Override
  public String defaultModel() {
    return "replay";
  }

  @Override
  public String toString() {
    return "ReplayModel[" + source + ", " + byId.size() + " recordings]";
  }
}
