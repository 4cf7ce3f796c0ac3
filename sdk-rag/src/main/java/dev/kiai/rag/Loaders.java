package dev.kiai.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiai.core.error.ConfigurationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads documents from files: plain text, Markdown, HTML (text extraction that keeps headings as
 * Markdown headings) and JSONL records. A file's document id is its path relative to the folder it was
 * loaded from (its file name when loaded alone), its source URI the file's URI and its
 * {@code updatedAt} the file's modification time.
 */
public final class Loaders {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Loaders() {}

  /**
   * @param file a UTF-8 text file
   * @return one document titled by the file name without extension
   */
  public static Document text(Path file) {
    return fileDoc(file, file.getFileName().toString(), read(file), stem(file));
  }

  /**
   * @param file a UTF-8 Markdown file
   * @return one document titled by its first {@code #} heading, else the file name
   */
  public static Document markdown(Path file) {
    return markdown(file, file.getFileName().toString());
  }

  private static Document markdown(Path file, String id) {
    String text = read(file);
    return fileDoc(file, id, text, firstHeading(text).orElse(stem(file)));
  }

  /**
   * @param file a UTF-8 HTML file
   * @return one document with the extracted text, titled by {@code <title>} or the first {@code <h1>}
   */
  public static Document html(Path file) {
    return html(file, file.getFileName().toString());
  }

  private static Document html(Path file, String id) {
    HtmlText.Result r = HtmlText.extract(read(file));
    return fileDoc(file, id, r.text(), r.title().isEmpty() ? stem(file) : r.title());
  }

  /**
   * Extracts the text of HTML markup.
   *
   * @param id the document id
   * @param html the markup
   * @param sourceUri where it came from, or null
   * @return the document, titled by {@code <title>} or the first {@code <h1>}
   */
  public static Document html(String id, String html, String sourceUri) {
    HtmlText.Result r = HtmlText.extract(html);
    return Document.builder(id).title(r.title()).sourceUri(sourceUri).text(r.text()).build();
  }

  /**
   * Reads JSONL records, one document per non-blank line:
   * {@code {"id", "text", "title"?, "source"?, "metadata"?: {string: string}, "updated_at"?: ISO-8601}}.
   *
   * @param file the file
   * @return the documents in file order
   * @throws ConfigurationException naming the line of a malformed record
   */
  public static List<Document> jsonl(Path file) {
    List<Document> docs = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        if (line.isBlank()) {
          continue;
        }
        try {
          docs.add(record(JSON.readTree(line)));
        } catch (IOException | IllegalArgumentException e) {
          throw new ConfigurationException(file + " line " + no + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return docs;
  }

  /**
   * Turns one JSON record into a document (the format of {@link #jsonl(Path)}).
   *
   * @param node the record
   * @return the document
   * @throws IllegalArgumentException naming the missing or malformed field
   */
  public static Document record(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    String id = requiredText(node, "id");
    Document.Builder b = Document.builder(id).text(requiredText(node, "text"));
    JsonNode title = node.get("title");
    if (title != null && !title.isNull()) {
      b.title(title.asText());
    }
    JsonNode source = node.get("source");
    if (source != null && !source.isNull()) {
      b.sourceUri(source.asText());
    }
    JsonNode meta = node.get("metadata");
    if (meta != null && !meta.isNull()) {
      if (!meta.isObject()) {
        throw new IllegalArgumentException("\"metadata\" must be an object of strings");
      }
      for (Map.Entry<String, JsonNode> e : meta.properties()) {
        if (!e.getValue().isValueNode() || e.getValue().isNull()) {
          throw new IllegalArgumentException("\"metadata." + e.getKey() + "\" must be a string or number");
        }
        b.metadata(e.getKey(), e.getValue().asText());
      }
    }
    JsonNode updated = node.get("updated_at");
    if (updated != null && !updated.isNull()) {
      try {
        b.updatedAt(Instant.parse(updated.asText()));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("\"updated_at\" must be an ISO-8601 instant, was " + updated, e);
      }
    }
    return b.build();
  }

  /**
   * Loads every {@code .txt}, {@code .md}, {@code .markdown}, {@code .html}, {@code .htm} and
   * {@code .jsonl} file under a folder, in path order; ids of files are their relative paths with
   * {@code /} separators.
   *
   * @param folder the folder
   * @return the documents
   */
  public static List<Document> directory(Path folder) {
    List<Document> docs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        String id = folder.relativize(f).toString().replace('\\', '/');
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".txt")) {
          docs.add(fileDoc(f, id, read(f), stem(f)));
        } else if (name.endsWith(".md") || name.endsWith(".markdown")) {
          docs.add(markdown(f, id));
        } else if (name.endsWith(".html") || name.endsWith(".htm")) {
          docs.add(html(f, id));
        } else if (name.endsWith(".jsonl")) {
          docs.addAll(jsonl(f));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    return docs;
  }

  private static Document fileDoc(Path file, String id, String text, String title) {
    try {
      return Document.builder(id).title(title).sourceUri(file.toUri().toString()).text(text)
          .updatedAt(Files.getLastModifiedTime(file).toInstant()).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static java.util.Optional<String> firstHeading(String markdown) {
    return markdown.lines().map(String::strip).filter(l -> l.startsWith("# "))
        .map(l -> l.substring(2).strip()).findFirst();
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static String requiredText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() && !v.isNumber()) {
      throw new IllegalArgumentException("missing \"" + field + "\" (a string)");
    }
    return v.asText();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
