package dev.kiai.rag;

import dev.kiai.core.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts documents into chunks that respect structure and a token budget.
 *
 * <p>The text is read as Markdown-like blocks: a line {@code # Heading} ({@code #} to {@code ######})
 * starts a section, blank lines separate paragraphs, and paragraphs are split into sentences. Sentences
 * are packed into chunks of at most {@link Builder#targetTokens target} tokens (a single sentence
 * longer than that is cut at word boundaries); a heading always starts a new chunk, and a chunk that
 * had to be closed for size starts the next one with trailing sentences worth at most
 * {@link Builder#overlapTokens overlap} tokens. Tokens are counted with the core
 * {@link TokenCounter} for a configurable model. Each chunk carries its character span, so
 * {@code document.text().substring(chunk.start(), chunk.end())} is the chunk's text, and the heading
 * path above it.
 *
 * <p>Immutable and thread-safe.
 */
public final class Chunker {
  private static final Pattern HEADING = Pattern.compile("^(#{1,6})[ \\t]+(.+?)[ \\t#]*$");

  private final TokenCounter counter;
  private final String model;
  private final int target;
  private final int overlap;
  private final boolean whole;

  private Chunker(TokenCounter counter, String model, int target, int overlap, boolean whole) {
    this.counter = counter;
    this.model = model;
    this.target = target;
    this.overlap = overlap;
    this.whole = whole;
  }

  /** @return a builder: 256-token chunks, 32 tokens overlap, counted as {@code text-embedding-3-small} */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a chunker with the default settings */
  public static Chunker create() {
    return builder().build();
  }

  /**
   * @return a chunker that keeps every document whole, in one chunk (for short records, and for the
   *     document-level baseline of a benchmark)
   */
  public static Chunker wholeDocument() {
    return new Chunker(TokenCounter.create(), Builder.DEFAULT_MODEL, Integer.MAX_VALUE, 0, true);
  }

  /** @return the largest number of tokens per chunk */
  public int targetTokens() {
    return target;
  }

  /**
   * Chunks one document.
   *
   * @param doc the document
   * @return its chunks in order; empty when the text is blank
   */
  public List<Chunk> chunk(Document doc) {
    Objects.requireNonNull(doc, "doc");
    String text = doc.text();
    List<Chunk> out = new ArrayList<>();
    if (whole) {
      Sentences.Span s = trimmed(text, 0, text.length());
      if (s != null) {
        out.add(chunk(doc, 0, s.start(), s.end(), ""));
      }
      return out;
    }
    List<Unit> units = units(text);
    List<Unit> current = new ArrayList<>();
    int tokens = 0;
    for (Unit u : units) {
      boolean onlyHeadings = current.stream().allMatch(Unit::heading);
      if (u.heading() && !onlyHeadings) {
        emit(doc, current, out);
        current = new ArrayList<>();
        tokens = 0;
      } else if (!u.heading() && !onlyHeadings && tokens + u.tokens() > target) {
        List<Unit> previous = current;
        emit(doc, previous, out);
        current = overlapOf(previous);
        tokens = current.stream().mapToInt(Unit::tokens).sum();
        if (tokens + u.tokens() > target) {
          current.clear();
          tokens = 0;
        }
      }
      current.add(u);
      tokens += u.tokens();
    }
    emit(doc, current, out);
    return out;
  }

  private List<Unit> overlapOf(List<Unit> previous) {
    List<Unit> tail = new ArrayList<>();
    int sum = 0;
    for (int i = previous.size() - 1; i > 0; i--) {
      Unit u = previous.get(i);
      if (u.heading() || sum + u.tokens() > overlap) {
        break;
      }
      tail.add(0, u);
      sum += u.tokens();
    }
    return tail;
  }

  private void emit(Document doc, List<Unit> units, List<Chunk> out) {
    if (units.isEmpty()) {
      return;
    }
    Unit first = units.get(0);
    Unit last = units.get(units.size() - 1);
    String section = units.stream().filter(u -> !u.heading()).findFirst().orElse(last).section();
    out.add(chunk(doc, out.size(), first.start(), last.end(), section));
  }

  private Chunk chunk(Document doc, int index, int start, int end, String section) {
    String text = doc.text().substring(start, end);
    int tokens = counter.count(model, text).tokens();
    return new Chunk(Chunk.id(doc.id(), index), doc.id(), index, text, start, end, doc.title(), section,
        doc.sourceUri(), doc.metadata(), tokens);
  }

  /** Headings, then sentences (or word-bounded pieces of over-long sentences), with spans. */
  private List<Unit> units(String text) {
    List<Unit> units = new ArrayList<>();
    List<String> path = new ArrayList<>();
    List<Integer> levels = new ArrayList<>();
    int pos = 0;
    int paragraphStart = -1;
    while (pos <= text.length()) {
      int nl = text.indexOf('\n', pos);
      int lineEnd = nl < 0 ? text.length() : nl;
      String line = text.substring(pos, lineEnd);
      Matcher h = HEADING.matcher(line.strip());
      boolean blank = line.isBlank();
      if (h.matches() || blank) {
        if (paragraphStart >= 0) {
          paragraph(text, paragraphStart, pos, String.join(" > ", path), units);
          paragraphStart = -1;
        }
        if (h.matches()) {
          int level = h.group(1).length();
          while (!levels.isEmpty() && levels.get(levels.size() - 1) >= level) {
            levels.remove(levels.size() - 1);
            path.remove(path.size() - 1);
          }
          levels.add(level);
          path.add(h.group(2).strip());
          Sentences.Span s = trimmed(text, pos, lineEnd);
          units.add(new Unit(s.start(), s.end(), count(text, s.start(), s.end()), true,
              String.join(" > ", path)));
        }
      } else if (paragraphStart < 0) {
        paragraphStart = pos;
      }
      if (nl < 0) {
        break;
      }
      pos = nl + 1;
    }
    if (paragraphStart >= 0) {
      paragraph(text, paragraphStart, text.length(), String.join(" > ", path), units);
    }
    return units;
  }

  private void paragraph(String text, int from, int to, String section, List<Unit> units) {
    for (Sentences.Span s : Sentences.split(text, from, to)) {
      int tokens = count(text, s.start(), s.end());
      if (tokens <= target) {
        units.add(new Unit(s.start(), s.end(), tokens, false, section));
      } else {
        splitLong(text, s, section, units);
      }
    }
  }

  /** Cuts an over-long sentence at word boundaries into pieces of at most {@code target} tokens. */
  private void splitLong(String text, Sentences.Span s, String section, List<Unit> units) {
    int pieceStart = s.start();
    int lastGood = -1;
    int i = s.start();
    while (i < s.end()) {
      int wordEnd = i;
      while (wordEnd < s.end() && !Character.isWhitespace(text.charAt(wordEnd))) {
        wordEnd++;
      }
      if (lastGood > pieceStart && count(text, pieceStart, wordEnd) > target) {
        units.add(new Unit(pieceStart, lastGood, count(text, pieceStart, lastGood), false, section));
        pieceStart = i;
      }
      lastGood = wordEnd;
      i = wordEnd;
      while (i < s.end() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
    }
    if (pieceStart < s.end()) {
      units.add(new Unit(pieceStart, s.end(), count(text, pieceStart, s.end()), false, section));
    }
  }

  private int count(String text, int start, int end) {
    return counter.count(model, text.substring(start, end)).tokens();
  }

  private static Sentences.Span trimmed(String text, int start, int end) {
    int s = start;
    int e = end;
    while (s < e && Character.isWhitespace(text.charAt(s))) {
      s++;
    }
    while (e > s && Character.isWhitespace(text.charAt(e - 1))) {
      e--;
    }
    return s < e ? new Sentences.Span(s, e) : null;
  }

  private record Unit(int start, int end, int tokens, boolean heading, String section) {}

  /** Configures a {@link Chunker}. */
  public static final class Builder {
    static final String DEFAULT_MODEL = "text-embedding-3-small";
    private TokenCounter counter;
    private String model = DEFAULT_MODEL;
    private int target = 256;
    private int overlap = 32;

    private Builder() {}

    /**
     * @param counter the token counter; {@link TokenCounter#create()} by default
     * @return this
     */
    public Builder tokenCounter(TokenCounter counter) {
      this.counter = Objects.requireNonNull(counter, "counter");
      return this;
    }

    /**
     * @param model the model whose tokens are counted (the embedding or chat model that will read the
     *     chunks); {@code text-embedding-3-small} ({@code cl100k_base}) by default
     * @return this
     */
    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * @param tokens the largest chunk, in tokens; at least 16
     * @return this
     */
    public Builder targetTokens(int tokens) {
      if (tokens < 16) {
        throw new IllegalArgumentException("targetTokens must be >= 16, was " + tokens);
      }
      this.target = tokens;
      return this;
    }

    /**
     * @param tokens how many tokens of trailing sentences a size-split chunk repeats at the start of
     *     the next; 0 for none; less than the target
     * @return this
     */
    public Builder overlapTokens(int tokens) {
      if (tokens < 0) {
        throw new IllegalArgumentException("overlapTokens must be >= 0, was " + tokens);
      }
      this.overlap = tokens;
      return this;
    }

    /** @return the chunker */
    public Chunker build() {
      if (overlap >= target) {
        throw new IllegalArgumentException(
            "overlapTokens must be less than targetTokens (" + target + "), was " + overlap);
      }
      return new Chunker(counter == null ? TokenCounter.create() : counter, model, target, overlap, false);
    }
  }
}
