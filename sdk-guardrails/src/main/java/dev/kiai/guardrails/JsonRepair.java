package dev.kiai.guardrails;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Repairs the common defects of JSON written by language models: code fences, prose around the JSON,
 * trailing commas, single-quoted strings, comments, unescaped newlines in strings, unquoted keys and
 * Python literals. It never invents content: truncated JSON stays invalid (re-ask instead). Stateless.
 */
public final class JsonRepair {
  private JsonRepair() {}

  /**
   * The outcome of a repair.
   *
   * @param json the repaired text (the input unchanged when nothing was needed)
   * @param fixes what was changed, e.g. {@code removed code fence}; empty when nothing was
   */
  public record Result(String json, List<String> fixes) {
    public Result {
      Objects.requireNonNull(json, "json");
      fixes = List.copyOf(fixes);
    }

    /** @return true when anything was changed */
    public boolean repaired() {
      return !fixes.isEmpty();
    }
  }

  /**
   * @param raw model output
   * @return the repaired text and the fixes applied
   */
  public static Result repair(String raw) {
    Objects.requireNonNull(raw, "raw");
    List<String> fixes = new ArrayList<>();
    String s = raw.strip();
    int fence = s.indexOf("```");
    if (fence >= 0) {
      int bodyStart = s.indexOf('\n', fence);
      int close = bodyStart < 0 ? -1 : s.indexOf("```", bodyStart);
      if (bodyStart >= 0) {
        s = (close < 0 ? s.substring(bodyStart + 1) : s.substring(bodyStart + 1, close)).strip();
        fixes.add("removed code fence");
      }
    }
    int start = firstBracket(s);
    if (start < 0) {
      return new Result(raw, List.of());
    }
    int end = matchingEnd(s, start);
    if (start > 0 || (end >= 0 && end < s.length() - 1)) {
      fixes.add("removed text around the JSON");
    }
    s = end < 0 ? s.substring(start) : s.substring(start, end + 1);
    String rewritten = rewrite(s, fixes);
    if (fixes.isEmpty()) {
      return new Result(raw, List.of());
    }
    return new Result(rewritten, fixes);
  }

  private static int firstBracket(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{' || c == '[') {
        return i;
      }
    }
    return -1;
  }

  /** @return index of the bracket closing the one at {@code start}, or -1 when truncated */
  private static int matchingEnd(String s, int start) {
    int depth = 0;
    char quote = 0;
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if (c == '"' || (c == '\'' && isQuoteStart(s, i))) {
        quote = c;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  /** A single quote starts a string only where a value or key may start (not in "don't"). */
  private static boolean isQuoteStart(String s, int i) {
    for (int j = i - 1; j >= 0; j--) {
      char p = s.charAt(j);
      if (!Character.isWhitespace(p)) {
        return p == '{' || p == '[' || p == ',' || p == ':';
      }
    }
    return true;
  }

  private static String rewrite(String s, List<String> fixes) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    boolean singleQuotes = false;
    boolean newlines = false;
    boolean comments = false;
    boolean trailing = false;
    boolean keys = false;
    boolean literals = false;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      char before = lastNonSpace(out);
      if (c == '"' || (c == '\'' && (before == 0 || before == '{' || before == '[' || before == ',' || before == ':'))) {
        char quote = c;
        singleQuotes |= quote == '\'';
        out.append('"');
        i++;
        while (i < s.length()) {
          char d = s.charAt(i);
          if (d == '\\' && i + 1 < s.length()) {
            char e = s.charAt(i + 1);
            if (quote == '\'' && e == '\'') {
              out.append('\'');
            } else {
              out.append(d).append(e);
            }
            i += 2;
            continue;
          }
          if (d == quote) {
            i++;
            break;
          }
          if (d == '"') {
            out.append("\\\"");
          } else if (d == '\n') {
            out.append("\\n");
            newlines = true;
          } else if (d == '\r') {
            out.append("\\r");
            newlines = true;
          } else if (d == '\t') {
            out.append("\\t");
            newlines = true;
          } else {
            out.append(d);
          }
          i++;
        }
        out.append('"');
        continue;
      }
      if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
        comments = true;
        continue;
      }
      if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
        int close = s.indexOf("*/", i + 2);
        i = close < 0 ? s.length() : close + 2;
        comments = true;
        continue;
      }
      if (c == '#' && (out.length() == 0 || lastNonSpace(out) != ':' )) {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
        comments = true;
        continue;
      }
      if (c == ',') {
        int j = i + 1;
        while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
          j++;
        }
        if (j < s.length() && (s.charAt(j) == '}' || s.charAt(j) == ']')) {
          trailing = true;
          i++;
          continue;
        }
      }
      if (Character.isLetter(c) || c == '_' || c == '$') {
        int j = i;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '$')) {
          j++;
        }
        String word = s.substring(i, j);
        int k = j;
        while (k < s.length() && Character.isWhitespace(s.charAt(k))) {
          k++;
        }
        char prev = lastNonSpace(out);
        if (k < s.length() && s.charAt(k) == ':' && (prev == '{' || prev == ',')) {
          out.append('"').append(word).append('"');
          keys = true;
        } else if (word.equals("True") || word.equals("False") || word.equals("None")) {
          out.append(word.equals("True") ? "true" : word.equals("False") ? "false" : "null");
          literals = true;
        } else {
          out.append(word);
        }
        i = j;
        continue;
      }
      out.append(c);
      i++;
    }
    if (singleQuotes) {
      fixes.add("replaced single quotes");
    }
    if (newlines) {
      fixes.add("escaped control characters in strings");
    }
    if (comments) {
      fixes.add("removed comments");
    }
    if (trailing) {
      fixes.add("removed trailing commas");
    }
    if (keys) {
      fixes.add("quoted keys");
    }
    if (literals) {
      fixes.add("replaced Python literals");
    }
    return out.toString();
  }

  private static char lastNonSpace(StringBuilder sb) {
    for (int i = sb.length() - 1; i >= 0; i--) {
      if (!Character.isWhitespace(sb.charAt(i))) {
        return sb.charAt(i);
      }
    }
    return 0;
  }
}
