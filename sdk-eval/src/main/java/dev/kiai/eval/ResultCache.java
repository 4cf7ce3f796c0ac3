package dev.kiai.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.chat.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Model answers on disk, one JSON file per key; the key is the SHA-256 of (model, template
 * {@code id@version}, input hash, parameters). Writes go to a temporary file and are moved into place,
 * so concurrent runs never see half a file.
 */
final class ResultCache {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  ResultCache(Path dir) {
    this.dir = dir;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  static String key(String model, String templateRef, String inputHash, String parameters) {
    return sha256("model=" + model + "\ntemplate=" + templateRef + "\ninput=" + inputHash + "\nparams=" + parameters);
  }

  Optional<CaseOutput> get(String key) {
    Path f = dir.resolve(key + ".json");
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(f.toFile());
      BigDecimal cost = n.hasNonNull("cost_usd") ? new BigDecimal(n.get("cost_usd").asText()) : null;
      return Optional.of(new CaseOutput(n.get("text").asText(), n.get("model").asText(),
          Usage.of(n.path("input_tokens").asLong(), n.path("output_tokens").asLong()), cost,
          Duration.ofMillis(n.path("latency_ms").asLong())));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  void put(String key, CaseOutput out) {
    ObjectNode n = JSON.createObjectNode();
    n.put("text", out.text());
    n.put("model", out.model());
    n.put("input_tokens", out.usage().inputTokens());
    n.put("output_tokens", out.usage().outputTokens());
    if (out.costUsd() != null) {
      n.put("cost_usd", out.costUsd().toPlainString());
    }
    n.put("latency_ms", out.latency().toMillis());
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, key, ".tmp");
      Files.writeString(tmp, JSON.writeValueAsString(n), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, dir.resolve(key + ".json"), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir.resolve(key + ".json"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write eval cache in " + dir, e);
    }
  }
}
