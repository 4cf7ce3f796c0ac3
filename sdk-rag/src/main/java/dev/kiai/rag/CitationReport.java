package dev.kiai.rag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The citation check of a whole answer.
 *
 * @param sentences every sentence, in order
 * @param sourceCount how many sources were provided
 * @param threshold the support threshold used
 */
public record CitationReport(List<SentenceCheck> sentences, int sourceCount, double threshold) {
  public CitationReport {
    sentences = List.copyOf(sentences);
  }

  /** @return true when every sentence is {@link SentenceCheck#ok() ok} */
  public boolean grounded() {
    return sentences.stream().allMatch(SentenceCheck::ok);
  }

  /**
   * @return for each provided source number that supports something, the 1-based indexes of the
   *     sentences it supports
   */
  public Map<Integer, List<Integer>> supportBySource() {
    Map<Integer, List<Integer>> out = new TreeMap<>();
    for (SentenceCheck s : sentences) {
      for (int n : s.supportingSources()) {
        out.computeIfAbsent(n, x -> new ArrayList<>()).add(s.index());
      }
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return Map.copyOf(out);
  }

  /**
   * @return one line per problem, naming the sentence by position and the sources by number (never
   *     quoting the answer), e.g. {@code sentence 3 cites [7], which was not provided (sources 1-4)}
   */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    for (SentenceCheck s : sentences) {
      switch (s.status()) {
        case UNCITED -> out.add("sentence " + s.index() + " states a fact but cites no source");
        case FABRICATED_CITATION -> out.add("sentence " + s.index() + " cites "
            + s.citations().stream().filter(n -> n < 1 || n > sourceCount).map(n -> "[" + n + "]")
                .collect(Collectors.joining(""))
            + ", which " + (sourceCount == 0 ? "was not provided (no sources)" : "was not provided (sources 1-" + sourceCount + ")"));
        case UNSUPPORTED -> out.add("sentence " + s.index() + " is not supported by "
            + s.citations().stream().filter(n -> !s.supportingSources().contains(n)).map(n -> "[" + n + "]")
                .collect(Collectors.joining(""))
            + String.format(java.util.Locale.ROOT, " (best support %.2f, threshold %.2f)", s.support(), threshold));
        default -> { }
      }
    }
    return out;
  }

  /** @return the answer with every sentence that is not {@link SentenceCheck#ok() ok} removed */
  public String groundedAnswer() {
    return sentences.stream().filter(SentenceCheck::ok).map(SentenceCheck::text).collect(Collectors.joining(" "));
  }
}
