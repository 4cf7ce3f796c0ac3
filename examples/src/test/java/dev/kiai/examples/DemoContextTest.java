package dev.kiai.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoContextTest {

  @Test
  void scratchFolderIsCreatedOnceAndDeletedWithItsContentsOnClose() throws Exception {
    Path dir;
    try (DemoContext ctx = new DemoContext(new PrintStream(new ByteArrayOutputStream()), Map.of())) {
      dir = ctx.workDir();
      assertThat(ctx.workDir()).isEqualTo(dir);
      Files.createDirectories(dir.resolve("index/segments"));
      Files.writeString(dir.resolve("index/segments/a.bin"), "x");
      Files.writeString(dir.resolve("tiny.gguf"), "y");
      assertThat(dir).isDirectory();
    }
    assertThat(dir).doesNotExist();
  }
}
