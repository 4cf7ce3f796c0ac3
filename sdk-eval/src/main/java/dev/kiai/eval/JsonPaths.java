package dev.kiai.eval;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A small JSONPath subset for {@code json-path}: {@code $}, {@code .field}, {@code ['field']} and
 * {@code [index]}, e.g. {@code $.order.items[0].sku}; a leading {@code /} means a JSON Pointer.
 */
final class JsonPaths {
  private JsonPaths() {}

  /** @return the node at the path, or null when absent */
  static JsonNode select(JsonNode root, String path) {
    if (path.startsWith("/")) {
      JsonNode n = root.at(path);
      return n.isMissingNode() ? null : n;
    }
    String p = path.startsWith("$") ? path.substring(1) : path;
    JsonNode cur = root;
    int i = 0;
    while (i < p.length() && cur != null) {
      char ch = p.charAt(i);
      if (ch == '.') {
        int j = i + 1;
        while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
          j++;
        }
        cur = cur.get(p.substring(i + 1, j));
        i = j;
      } else if (ch == '[') {
        int close = p.indexOf(']', i);
        if (close < 0) {
          throw new Assertions.Invalid("json-path: unclosed [ in " + path);
        }
        String inner = p.substring(i + 1, close).strip();
        if (inner.startsWith("'") || inner.startsWith("\"")) {
          cur = cur.get(inner.substring(1, inner.length() - 1));
        } else {
          try {
            int idx = Integer.parseInt(inner);
            cur = cur.isArray() ? cur.get(idx < 0 ? cur.size() + idx : idx) : null;
          } catch (NumberFormatException e) {
            throw new Assertions.Invalid("json-path: unsupported selector [" + inner + "] in " + path);
          }
        }
        i = close + 1;
      } else {
        int j = i;
        while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
          j++;
        }
        cur = cur.get(p.substring(i, j));
        i = j;
      }
    }
    return cur;
  }
}
