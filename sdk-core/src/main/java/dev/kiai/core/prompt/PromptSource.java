package dev.kiai.core.prompt;

import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The files of a prompts root, read eagerly (prompt files are small): relative paths with {@code /}
 * separators mapped to their bytes. Only template candidates ({@code .yaml}, {@code .yml}, {@code .json})
 * and {@code prompts.lock} are kept; names starting with {@code .} are skipped.
 *
 * @param description where the files came from, for messages
 * @param files file content by relative path, sorted
 */
record PromptSource(String description, Map<String, byte[]> files) {
  static final String INDEX = "index.txt";
  private static final List<String> SPECIAL_ROOT_FILES =
      List.of(PromptLock.FILE_NAME, "labels.yaml", "labels.yml", "labels.json");

  PromptSource {
    files = Collections.unmodifiableMap(new TreeMap<>(files));
  }

  static boolean wanted(String relativePath) {
    for (String segment : relativePath.split("/")) {
      if (segment.isEmpty() || segment.startsWith(".")) {
        return false;
      }
    }
    return relativePath.endsWith(".yaml") || relativePath.endsWith(".yml") || relativePath.endsWith(".json")
        || relativePath.equals(PromptLock.FILE_NAME);
  }

  static PromptSource directory(Path dir) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new ConfigurationException("prompt directory " + dir + " does not exist or is not a directory");
    }
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        String relative = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        if (wanted(relative)) {
          files.put(relative, Files.readAllBytes(file));
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new ConfigurationException("cannot read prompt directory " + dir + ": " + e.getMessage(), e);
    }
    return new PromptSource(dir.toString(), files);
  }

  static PromptSource classpath(String rootResource, ClassLoader loader) {
    Objects.requireNonNull(rootResource, "rootResource");
    Objects.requireNonNull(loader, "loader");
    String root = rootResource.replaceAll("^/+|/+$", "");
    if (root.isEmpty()) {
      throw new IllegalArgumentException("rootResource must name a resource directory, e.g. prompts");
    }
    String description = "classpath:" + root;
    try {
      URL index = loader.getResource(root + "/" + INDEX);
      if (index != null) {
        return fromIndex(description, root, index, loader);
      }
      URL url = loader.getResource(root);
      if (url == null) {
        throw new ConfigurationException("no classpath resource directory '" + root + "'");
      }
      if (url.getProtocol().equals("file")) {
        PromptSource dir = directory(Path.of(url.toURI()));
        return new PromptSource(description, dir.files());
      }
      URLConnection connection = url.openConnection();
      if (connection instanceof JarURLConnection jar) {
        return fromJar(description, jar);
      }
      throw new ConfigurationException("cannot list classpath resources under '" + root + "' served by "
          + url.getProtocol() + ": URLs; add " + root + "/" + INDEX + " naming the template files");
    } catch (IOException | URISyntaxException e) {
      throw new ConfigurationException("cannot read " + description + ": " + e.getMessage(), e);
    }
  }

  private static PromptSource fromIndex(String description, String root, URL index, ClassLoader loader)
      throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    String content = new String(read(index), StandardCharsets.UTF_8);
    for (String line : content.lines().map(String::strip).toList()) {
      if (line.isEmpty() || line.startsWith("#") || !wanted(line)) {
        continue;
      }
      URL file = loader.getResource(root + "/" + line);
      if (file == null) {
        throw new ConfigurationException(description + "/" + INDEX + " names " + line
            + ", which is not on the classpath");
      }
      files.put(line, read(file));
    }
    for (String special : SPECIAL_ROOT_FILES) {
      URL file = loader.getResource(root + "/" + special);
      if (file != null) {
        files.putIfAbsent(special, read(file));
      }
    }
    return new PromptSource(description, files);
  }

  private static PromptSource fromJar(String description, JarURLConnection connection) throws IOException {
    connection.setUseCaches(false);
    String prefix = connection.getEntryName().replaceAll("/+$", "") + "/";
    Map<String, byte[]> files = new TreeMap<>();
    try (JarFile jar = connection.getJarFile()) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        if (!entry.isDirectory() && name.startsWith(prefix) && wanted(name.substring(prefix.length()))) {
          try (InputStream in = jar.getInputStream(entry)) {
            files.put(name.substring(prefix.length()), in.readAllBytes());
          }
        }
      }
    }
    return new PromptSource(description, files);
  }

  private static byte[] read(URL url) throws IOException {
    URLConnection connection = url.openConnection();
    connection.setUseCaches(false);
    try (InputStream in = connection.getInputStream()) {
      return in.readAllBytes();
    }
  }
}
