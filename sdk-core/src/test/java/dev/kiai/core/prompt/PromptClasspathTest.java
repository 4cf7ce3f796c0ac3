package dev.kiai.core.prompt;

import static dev.kiai.core.prompt.PromptFixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptClasspathTest {
  @TempDir
  Path tmp;

  @Test
  void loadsFromAClasspathDirectory() {
    PromptRegistry registry = PromptRegistry.fromClasspath("/prompts-fixture/valid/");

    assertThat(registry).hasToString(PromptRegistry.fromDirectory(fixture("valid")).toString());
    assertThat(registry.get("summarize@prod").version()).hasToString("1.0.0");
    assertThat(registry.canaryPercent("summarize")).isEqualTo(10);
  }

  @Test
  void loadsFromInsideAJar() throws IOException {
    Path jar = jar("app.jar", "prompts/", filesOf(fixture("valid")), true);

    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      PromptRegistry registry = PromptRegistry.fromClasspath("prompts", loader);

      assertThat(registry.templates()).hasSize(5);
      assertThat(registry.get("summarize@canary").version()).hasToString("1.1.0");
      assertThat(registry.get("classify@prod").outputSchema()).contains("\"label\"");
      assertThat(PromptLock.of(registry))
          .isEqualTo(PromptLock.read(fixture("valid").resolve("prompts.lock")));
    }
  }

  @Test
  void checksTheLockInsideAJar() throws IOException {
    Map<String, byte[]> files = filesOf(fixture("valid"));
    files.put("summarize/1.0.0.yaml", new String(files.get("summarize/1.0.0.yaml"), StandardCharsets.UTF_8)
        .replace("at most", "no more than").getBytes(StandardCharsets.UTF_8));
    Path jar = jar("changed.jar", "prompts/", files, true);

    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertThatThrownBy(() -> PromptRegistry.fromClasspath("prompts", loader))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("cannot load prompt templates from classpath:prompts (1 error)")
          .hasMessageContaining("summarize/1.0.0.yaml: summarize@1.0.0 changed since it was locked");
    }
  }

  @Test
  void jarWithoutDirectoryEntriesNeedsAnIndex() throws IOException {
    Map<String, byte[]> files = filesOf(fixture("valid"));
    Path bare = jar("bare.jar", "prompts/", files, false);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {bare.toUri().toURL()}, null)) {
      assertThatThrownBy(() -> PromptRegistry.fromClasspath("prompts", loader))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("no classpath resource directory 'prompts'");
    }

    files.put("index.txt", """
        # one file per line; labels.yaml and prompts.lock are found without being listed
        summarize/1.0.0.yaml
        summarize/1.1.0.yaml
        classify/1.0.0.json
        """.getBytes(StandardCharsets.UTF_8));
    Path indexed = jar("indexed.jar", "prompts/", files, false);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {indexed.toUri().toURL()}, null)) {
      PromptRegistry registry = PromptRegistry.fromClasspath("prompts", loader);

      assertThat(registry.templates()).extracting(t -> t.ref().toString())
          .containsExactly("classify@1.0.0", "summarize@1.0.0", "summarize@1.1.0");
      assertThat(registry.get("summarize@prod").version()).hasToString("1.0.0");
    }
  }

  @Test
  void missingRootIsAConfigurationError() {
    assertThatThrownBy(() -> PromptRegistry.fromClasspath("no-such-prompts"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("no classpath resource directory 'no-such-prompts'");
  }

  private static Map<String, byte[]> filesOf(Path dir) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        files.put(dir.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
      }
    }
    return files;
  }

  private Path jar(String name, String prefix, Map<String, byte[]> files, boolean directoryEntries)
      throws IOException {
    Path jar = tmp.resolve(name);
    List<String> directories = new ArrayList<>();
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out)) {
      zip.putNextEntry(new JarEntry("dev/kiai/Unrelated.class"));
      zip.write(new byte[] {0});
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        String path = prefix + file.getKey();
        for (int slash = path.indexOf('/'); directoryEntries && slash > 0; slash = path.indexOf('/', slash + 1)) {
          String directory = path.substring(0, slash + 1);
          if (!directories.contains(directory)) {
            directories.add(directory);
            zip.putNextEntry(new JarEntry(directory));
          }
        }
        zip.putNextEntry(new JarEntry(path));
        zip.write(file.getValue());
      }
    }
    return jar;
  }
}
