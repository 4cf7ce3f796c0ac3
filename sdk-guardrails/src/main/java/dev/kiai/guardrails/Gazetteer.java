package dev.kiai.guardrails;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The bundled word lists behind the name, place and address recognizers (see
 * {@code resources/dev/kiai/guardrails/gazetteer/README.txt} for provenance). Loaded once, immutable;
 * every lookup is a hash-set probe, so a text costs O(tokens).
 */
final class Gazetteer {
  private Gazetteer() {}

  private static final String DIR = "gazetteer/";

  /** Given names, case as written ("Anna"). */
  static final WordSet GIVEN = union(load(DIR + "given-names.txt"), load("first-names.txt", true));
  /** Family names, case as written ("Schmidt"). */
  static final WordSet FAMILY = union(load(DIR + "family-names.txt"), load("surnames.txt", true));
  /**
   * Countries, states and large cities keyed by lower case ("baden-württemberg", "new york"): never
   * ambiguous.
   */
  static final WordSet REGIONS = lowerAll(union(load(DIR + "regions.txt"), load("locations.txt", false)));
  /** Place names of all kinds keyed by lower case, tokens separated by one space. */
  static final WordSet PLACES = union(REGIONS, lowerAll(load(DIR + "places.txt")));
  /** Largest number of tokens of a place name. */
  static final int PLACE_MAX_TOKENS = 5;
  /** Lower-case first tokens of multi-token place names, so single tokens can skip the longer probes. */
  static final WordSet PLACE_STARTS = placeStarts(PLACES);
  /** Street-type words, lower case ("street", "avenue", "close"). */
  static final WordSet STREET_SUFFIXES = lowerAll(load(DIR + "street-suffixes.txt"));
  /** Common English and German words, lower case: a name or place equal to one needs more evidence. */
  static final WordSet COMMON = WordSet.of(load(DIR + "common-words.txt"));
  /** The most frequent English and German words, lower case (names and places among them). */
  static final WordSet FREQUENT = WordSet.of(load(DIR + "frequent-words.txt"));


  /** @return true when token {@code i} of {@code s}, in lower case, is a common or frequent word */
  static boolean common(TextScan s, int i) {
    return s.lowerIn(COMMON, i) || s.lowerIn(FREQUENT, i);
  }

  /**
   * @param s the scan
   * @param i a one-token place name: looked up in lower case as a place and a word, as written as a name
   * @return true when the place name is also a word or a person's name ("Reading", "Gary"), so it needs
   *     a preposition before it
   */
  static boolean ambiguousPlace(TextScan s, int i) {
    return !s.lowerIn(REGIONS, i) && (s.lowerIn(COMMON, i) || s.lowerIn(FREQUENT, i) || s.tokenIn(GIVEN, i)
        || s.tokenIn(FAMILY, i));
  }

  private static WordSet union(Set<String> a, Set<String> b) {
    Set<String> s = new HashSet<>(a);
    s.addAll(b);
    return WordSet.of(s);
  }

  private static WordSet lowerAll(Set<String> in) {
    Set<String> s = new HashSet<>();
    for (String v : in) {
      s.add(v.toLowerCase(Locale.ROOT).replaceAll("\\s+", " "));
    }
    return WordSet.of(s);
  }

  private static WordSet placeStarts(Set<String> places) {
    Map<String, Boolean> starts = new HashMap<>();
    for (String p : places) {
      int sp = p.indexOf(' ');
      if (sp > 0) {
        starts.put(p.substring(0, sp), Boolean.TRUE);
      }
    }
    return WordSet.of(starts.keySet());
  }

  static Set<String> load(String resource) {
    return load(resource, false);
  }

  /** Reads a list, one entry a line ({@code #} comments); with {@code split}, several entries a line. */
  static Set<String> load(String resource, boolean split) {
    Set<String> set = new HashSet<>();
    try (InputStream in = Gazetteer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing bundled resource " + resource);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        if (split) {
          for (String n : line.split("\\s+")) {
            set.add(n);
          }
        } else {
          set.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Set.copyOf(set);
  }
}
