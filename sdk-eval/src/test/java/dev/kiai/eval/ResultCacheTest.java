package dev.kiai.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.core.chat.Usage;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultCacheTest {

  @Test
  void keyDependsOnEveryComponent() {
    String k = ResultCache.key("openai:gpt-4o-mini", "t@1.0.0", "abc", "{\"temperature\":0}");
    assertThat(k).hasSize(64).isEqualTo(ResultCache.key("openai:gpt-4o-mini", "t@1.0.0", "abc", "{\"temperature\":0}"));
    assertThat(k).isNotEqualTo(ResultCache.key("openai:gpt-4o", "t@1.0.0", "abc", "{\"temperature\":0}"))
        .isNotEqualTo(ResultCache.key("openai:gpt-4o-mini", "t@1.1.0", "abc", "{\"temperature\":0}"))
        .isNotEqualTo(ResultCache.key("openai:gpt-4o-mini", "t@1.0.0", "abd", "{\"temperature\":0}"))
        .isNotEqualTo(ResultCache.key("openai:gpt-4o-mini", "t@1.0.0", "abc", "{\"temperature\":1}"));
  }

  @Test
  void roundTripsOutputs(@TempDir Path dir) {
    ResultCache cache = new ResultCache(dir.resolve("c"));
    CaseOutput out = new CaseOutput("answer", "gpt-4o-mini", Usage.of(12, 3), new BigDecimal("0.0000036"),
        Duration.ofMillis(250));
    assertThat(cache.get("k")).isEmpty();
    cache.put("k", out);
    assertThat(cache.get("k")).contains(out);
  }

  /** Writers and readers race on one key: a reader sees nothing or a whole entry, never a torn file. */
  @Test
  void concurrentWritersAndReadersNeverSeeHalfAnEntry(@TempDir Path dir) throws Exception {
    ResultCache cache = new ResultCache(dir);
    String longText = "x".repeat(200_000);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int id = t;
      futures.add(pool.submit(() -> {
        start.await();
        int seen = 0;
        for (int i = 0; i < 50; i++) {
          if (id % 2 == 0) {
            cache.put("same", new CaseOutput(longText + id, "m", Usage.of(id, i), null, Duration.ZERO));
          }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (id % 2 == 1 && seen < 30 && System.nanoTime() < deadline) {
          Path file = dir.resolve("same.json");
          if (Files.exists(file)) {
            // parse the file itself: a torn write would fail here (get() treats unreadable files as misses)
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).get("text").asText())
                .hasSize(200_001);
            Optional<CaseOutput> o = cache.get("same");
            assertThat(o).isPresent();
            assertThat(o.get().text()).startsWith(longText);
            seen++;
          }
        }
        return seen;
      }));
    }
    start.countDown();
    int seen = 0;
    for (Future<Integer> f : futures) {
      seen += f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(seen).isEqualTo(4 * 30);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("same.json");
    }
  }
}
