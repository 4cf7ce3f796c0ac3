package dev.kiai.core.prompt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Text with {@code {{name}}} placeholders, parsed once. {@code \{{} stands for a literal {@code {{}; a
 * {@code {{} that does not start a well-formed placeholder is an error rather than silently literal text,
 * so that a typo never reaches a model. Rendering is a single pass: values are inserted verbatim and never
 * expanded again, so a value containing {@code {{x}}} stays literal.
 */
final class TemplateText {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private sealed interface Part permits Literal, Placeholder {}

  private record Literal(String text) implements Part {}

  private record Placeholder(String name) implements Part {}

  private final List<Part> parts;
  private final Set<String> names;

  private TemplateText(List<Part> parts) {
    this.parts = List.copyOf(parts);
    Set<String> found = new LinkedHashSet<>();
    for (Part part : parts) {
      if (part instanceof Placeholder p) {
        found.add(p.name());
      }
    }
    this.names = Collections.unmodifiableSet(found);
  }

  static boolean isValidName(String name) {
    return NAME.matcher(name).matches();
  }

  /**
   * @param text the text to parse
   * @param field {@code text} or {@code system}, used in error messages
   * @throws IllegalArgumentException naming the field and line of a malformed placeholder
   */
  static TemplateText parse(String text, String field) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("\\{{", i)) {
        literal.append("{{");
        i += 3;
      } else if (text.startsWith("{{", i)) {
        int close = text.indexOf("}}", i + 2);
        if (close < 0) {
          throw new IllegalArgumentException(field + " line " + lineOf(text, i)
              + ": '{{' is not closed by '}}' (write \\{{ for a literal {{)");
        }
        String name = text.substring(i + 2, close).strip();
        if (!isValidName(name)) {
          throw new IllegalArgumentException(field + " line " + lineOf(text, i) + ": malformed placeholder '"
              + text.substring(i, close + 2) + "' (write \\{{ for a literal {{)");
        }
        if (literal.length() > 0) {
          parts.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        parts.add(new Placeholder(name));
        i = close + 2;
      } else {
        literal.append(text.charAt(i));
        i++;
      }
    }
    if (literal.length() > 0) {
      parts.add(new Literal(literal.toString()));
    }
    return new TemplateText(parts);
  }

  private static int lineOf(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** @return the placeholder names in order of first use */
  Set<String> names() {
    return names;
  }

  /**
   * @return the parsed text as JSON: literal strings and {@code {"var": name}} objects, so that spacing
   *     inside braces and escapes do not change a content hash while every rendered character does
   */
  ArrayNode canonical() {
    ArrayNode array = PromptJson.JSON.createArrayNode();
    for (Part part : parts) {
      if (part instanceof Literal l) {
        array.add(l.text());
      } else {
        array.addObject().put("var", ((Placeholder) part).name());
      }
    }
    return array;
  }

  /**
   * @param values the text to insert for each placeholder name
   * @return the rendered text
   */
  String render(Function<String, String> values) {
    StringBuilder sb = new StringBuilder();
    for (Part part : parts) {
      if (part instanceof Literal l) {
        sb.append(l.text());
      } else {
        sb.append(values.apply(((Placeholder) part).name()));
      }
    }
    return sb.toString();
  }
}
