package dev.kiai.rag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Terms of a text as the index sees them: the {@link TextLanguage}'s analyzer (for English, Lucene's
 * {@link EnglishAnalyzer}: standard tokenizer, possessives, lower case, English stop words, Porter
 * stemming). Thread-safe.
 */
final class Terms implements AutoCloseable {
  private final Analyzer analyzer;

  Terms() {
    this(TextLanguage.ENGLISH);
  }

  Terms(TextLanguage language) {
    this.analyzer = language.analyzer();
  }

  Analyzer analyzer() {
    return analyzer;
  }

  List<String> list(String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream("body", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException("analysing text in memory failed", e);
    }
    return out;
  }

  Set<String> set(String text) {
    return new LinkedHashSet<>(list(text));
  }

  static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 0;
    }
    int common = 0;
    for (String t : a) {
      if (b.contains(t)) {
        common++;
      }
    }
    return (double) common / (a.size() + b.size() - common);
  }

  @Override
  public void close() {
    analyzer.close();
  }
}
