package dev.kiai.rag;

import java.util.Locale;
import java.util.Set;

/**
 * A small HTML-to-text extractor that keeps the document's structure: headings become Markdown
 * headings ({@code ## Title}), block elements become paragraphs, list items become {@code - } lines,
 * scripts, styles and comments are dropped, and character references are decoded.
 * It does not build a DOM; malformed markup degrades to text, never to an exception.
 */
final class HtmlText {
  private static final Set<String> BLOCKS = Set.of(
      "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "ul", "ol", "table",
      "tr", "blockquote", "pre", "hr", "dl", "dt", "dd", "figure", "figcaption", "form", "address",
      "details", "summary", "body", "html");
  private static final Set<String> SKIPPED = Set.of("script", "style", "noscript", "template", "svg");

  /** The extracted text and the document title ({@code <title>}, else the first {@code <h1>}). */
  record Result(String text, String title) {}

  private HtmlText() {}

  static Result extract(String html) {
    Out out = new Out();
    String title = "";
    String firstH1 = null;
    int headingLevel = 0;
    StringBuilder heading = null;
    int i = 0;
    int n = html.length();
    while (i < n) {
      char c = html.charAt(i);
      if (c != '<') {
        int next = html.indexOf('<', i);
        int end = next < 0 ? n : next;
        String text = decode(html.substring(i, end));
        if (heading != null) {
          heading.append(text);
        } else {
          out.text(text);
        }
        i = end;
        continue;
      }
      if (html.startsWith("<!--", i)) {
        int end = html.indexOf("-->", i + 4);
        i = end < 0 ? n : end + 3;
        continue;
      }
      int close = html.indexOf('>', i);
      if (close < 0) {
        out.text(decode(html.substring(i)));
        break;
      }
      String tag = html.substring(i + 1, close).strip();
      i = close + 1;
      if (tag.startsWith("!") || tag.startsWith("?")) {
        continue;
      }
      boolean end = tag.startsWith("/");
      String name = tagName(end ? tag.substring(1) : tag);
      if (name.isEmpty()) {
        out.text(decode("<" + tag + ">"));
        continue;
      }
      if (!end && name.equals("title")) {
        int stop = indexOfIgnoreCase(html, "</title", i);
        title = collapse(decode(html.substring(i, stop < 0 ? n : stop))).strip();
        i = skipPast(html, stop, n);
        continue;
      }
      if (!end && SKIPPED.contains(name)) {
        int stop = indexOfIgnoreCase(html, "</" + name, i);
        i = skipPast(html, stop, n);
        continue;
      }
      int level = headingLevel(name);
      if (level > 0) {
        if (!end) {
          headingLevel = level;
          heading = new StringBuilder();
        } else if (heading != null) {
          String h = collapse(heading.toString()).strip();
          if (!h.isEmpty()) {
            out.heading("#".repeat(headingLevel) + " " + h);
            if (firstH1 == null && headingLevel == 1) {
              firstH1 = h;
            }
          }
          heading = null;
        }
        continue;
      }
      if (name.equals("br")) {
        out.lineBreak();
      } else if (name.equals("li")) {
        out.paragraph();
        if (!end) {
          out.text("- ");
        }
      } else if (BLOCKS.contains(name) || name.equals("td") || name.equals("th")) {
        if (name.equals("td") || name.equals("th")) {
          out.text(" ");
        } else {
          out.paragraph();
        }
      }
    }
    if (title.isEmpty() && firstH1 != null) {
      title = firstH1;
    }
    return new Result(out.result(), title);
  }

  private static int skipPast(String html, int stop, int n) {
    if (stop < 0) {
      return n;
    }
    int gt = html.indexOf('>', stop);
    return gt < 0 ? n : gt + 1;
  }

  private static int headingLevel(String name) {
    if (name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6') {
      return name.charAt(1) - '0';
    }
    return 0;
  }

  private static String tagName(String tag) {
    int j = 0;
    while (j < tag.length() && (Character.isLetterOrDigit(tag.charAt(j)) || tag.charAt(j) == '-')) {
      j++;
    }
    return tag.substring(0, j).toLowerCase(Locale.ROOT);
  }

  private static int indexOfIgnoreCase(String s, String needle, int from) {
    return s.toLowerCase(Locale.ROOT).indexOf(needle, from);
  }

  static String collapse(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean space = false;
    for (int j = 0; j < s.length(); j++) {
      char c = s.charAt(j);
      if (Character.isWhitespace(c) || c == '\u00a0') {
        space = true;
      } else {
        if (space && sb.length() > 0) {
          sb.append(' ');
        }
        space = false;
        sb.append(c);
      }
    }
    if (space && sb.length() > 0) {
      sb.append(' ');
    }
    return sb.toString();
  }

  static String decode(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    int j = 0;
    while (j < s.length()) {
      char c = s.charAt(j);
      int semi = c == '&' ? s.indexOf(';', j) : -1;
      if (semi > j + 1 && semi - j <= 10) {
        String ref = s.substring(j + 1, semi);
        String decoded = entity(ref);
        if (decoded != null) {
          sb.append(decoded);
          j = semi + 1;
          continue;
        }
      }
      sb.append(c);
      j++;
    }
    return sb.toString();
  }

  private static String entity(String ref) {
    switch (ref) {
      case "amp": return "&";
      case "lt": return "<";
      case "gt": return ">";
      case "quot": return "\"";
      case "apos": return "'";
      case "nbsp": return "\u00a0";
      case "mdash": return "\u2014";
      case "ndash": return "\u2013";
      case "hellip": return "\u2026";
      case "copy": return "\u00a9";
      default: break;
    }
    try {
      if (ref.startsWith("#x") || ref.startsWith("#X")) {
        return new String(Character.toChars(Integer.parseInt(ref.substring(2), 16)));
      }
      if (ref.startsWith("#")) {
        return new String(Character.toChars(Integer.parseInt(ref.substring(1))));
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
    return null;
  }

  /** Accumulates text with whitespace collapsed inside paragraphs and blank lines between them. */
  private static final class Out {
    private final StringBuilder sb = new StringBuilder();
    private final StringBuilder line = new StringBuilder();

    void text(String t) {
      line.append(t);
    }

    void lineBreak() {
      String l = collapse(line.toString()).strip();
      line.setLength(0);
      if (!l.isEmpty()) {
        sb.append(l).append('\n');
      }
    }

    void paragraph() {
      lineBreak();
      if (sb.length() > 0 && !sb.toString().endsWith("\n\n")) {
        sb.append('\n');
      }
    }

    void heading(String h) {
      paragraph();
      sb.append(h).append("\n\n");
    }

    String result() {
      paragraph();
      return sb.toString().strip();
    }
  }
}
