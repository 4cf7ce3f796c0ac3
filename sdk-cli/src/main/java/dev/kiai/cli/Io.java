package dev.kiai.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Standard streams and environment of one CLI invocation, injected so commands are testable. */
final class Io {
  final InputStream stdin;
  final PrintWriter out;
  final PrintWriter err;
  final Map<String, String> env;

  Io(InputStream stdin, PrintWriter out, PrintWriter err, Map<String, String> env) {
    this.stdin = stdin;
    this.out = out;
    this.err = err;
    this.env = Map.copyOf(env);
  }

  /** Opens {@code --in FILE}, or stdin when the option is absent or {@code -}. */
  BufferedReader open(Path in) throws IOException {
    if (in == null || in.toString().equals("-")) {
      return new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
    }
    return Files.newBufferedReader(in, StandardCharsets.UTF_8);
  }
}
