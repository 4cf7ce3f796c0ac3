package dev.kiai.guardrails;

import java.util.List;
import java.util.Set;

/**
 * Gazetteer recognizers for person names and places over the tokens of a {@link TextScan}: one pass,
 * hash-set lookups only. Names and places that are also common words ("Will", "Grant", "Reading") need
 * more evidence: another name token next to them, or a preposition before a place.
 */
final class NameRecognizers {
  private NameRecognizers() {}

  /** Lower-case particles inside names ("Ludwig van Beethoven", "Maria de la Cruz"). */
  private static final Set<String> PARTICLES = Set.of("van", "von", "de", "der", "den", "da", "di", "del", "della",
      "la", "le", "du", "dos", "das", "bin", "ibn", "al", "el", "ter", "ten", "zu", "y");
  /** Lower-case words inside place names ("Frankfurt am Main", "Villafranca del Cid"). */
  private static final Set<String> PLACE_INNER = Set.of("am", "an", "der", "de", "del", "la", "le", "los", "las",
      "upon", "on", "sur", "of", "im", "in", "bei", "vor", "ob", "do", "da", "dos", "das", "di", "y", "en", "les");
  /** Prepositions and verbs that make the next capitalised token a place ("in Reading", "nach Essen"). */
  private static final Set<String> PLACE_CUES = Set.of("in", "from", "to", "at", "near", "into", "nach", "aus",
      "bei", "visit", "visiting", "visited", "toward", "towards", "outside", "around", "across", "via");
  /** Verbs that, with a place cue, make even an unknown capitalised token a place ("lives in Tjæreborg"). */
  private static final Set<String> MOVE_VERBS = Set.of("live", "lives", "lived", "living", "moved", "move", "moving",
      "flew", "fly", "flying", "travel", "travels", "travelled", "traveled", "travelling", "traveling", "born",
      "based", "located", "grew", "relocated", "wohnt", "wohne", "lebt", "lebe", "geboren", "zog", "ziehe",
      "fliege", "fliegt", "reise", "reist", "stationed", "headquartered");
  /** Capitalised words that never start or continue a name although they are not in the common list. */
  private static final Set<String> NEVER_NAME = Set.of("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Herr",
      "Frau", "Inc", "Ltd", "LLC", "GmbH", "AG", "Co", "Corp", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
      "Sep", "Sept", "Oct", "Nov", "Dec", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Bot", "User", "Apt",
      "Suite", "Str", "Nr");

  static void find(TextScan s, PiiLanguage lang, List<PiiEntity> out) {
    int n = s.size;
    boolean[] place = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (!s.is(i, TextScan.CAPITALISED | TextScan.ALL_UPPER)) {
        continue;
      }
      int len = placeAt(s, i);
      if (len > 0) {
        int last = i + len - 1;
        boolean weak = len == 1 && (Gazetteer.ambiguousPlace(s.lowerToken(i), s.token(i)) || s.end[i] - s.start[i] < 3);
        boolean cued = i > 0 && s.is(i - 1, TextScan.LOWER) && PLACE_CUES.contains(s.lowerToken(i - 1));
        // "Florence Nightingale": a given name that is also a place, followed by a family name, is a person
        boolean person = len == 1 && Gazetteer.GIVEN.contains(s.token(i)) && s.joined(i)
            && s.is(i + 1, TextScan.CAPITALISED) && Gazetteer.FAMILY.contains(s.token(i + 1));
        if ((!weak || cued) && !person) {
          out.add(entity(s, PiiTypes.LOCATION, s.start[i], s.end[last], weak ? 0.6 : 0.7));
          for (int k = i; k <= last; k++) {
            place[k] = true;
          }
        }
        i = last;
      } else if (i >= 2 && s.is(i, TextScan.CAPITALISED) && s.is(i - 1, TextScan.LOWER)
          && PLACE_CUES.contains(s.lowerToken(i - 1)) && moveVerbBefore(s, i - 2) && unknown(s, i)) {
        // "lives in Tjæreborg": an unknown capitalised run after a move verb and a place preposition
        int last = i;
        while (last + 1 < n && last - i < 2 && s.joined(last) && s.is(last + 1, TextScan.CAPITALISED)
            && unknown(s, last + 1)) {
          last++;
        }
        out.add(entity(s, PiiTypes.LOCATION, s.start[i], s.end[last], 0.6));
        i = last;
      }
    }
    persons(s, place, out);
  }

  /** @return true when token {@code k} is a move verb, or "up" after one ("grew up in") */
  private static boolean moveVerbBefore(TextScan s, int k) {
    String t = s.lowerToken(k);
    return MOVE_VERBS.contains(t) || (t.equals("up") && k > 0 && MOVE_VERBS.contains(s.lowerToken(k - 1)));
  }

  /** @return the number of tokens of the longest place name starting at token {@code i}, or 0 */
  private static int placeAt(TextScan s, int i) {
    String first = s.lowerToken(i);
    if (Gazetteer.PLACE_STARTS.contains(first)) {
      StringBuilder key = new StringBuilder(first);
      int best = 0;
      int j = i;
      int words = 1;
      while (words < Gazetteer.PLACE_MAX_TOKENS && j + 1 < s.size && s.joined(j)
          && (s.is(j + 1, TextScan.CAPITALISED | TextScan.ALL_UPPER)
          || PLACE_INNER.contains(s.lowerToken(j + 1)))) {
        j++;
        words++;
        key.append(' ').append(s.lowerToken(j));
        if (Gazetteer.PLACES.contains(key.toString()) && !s.is(j, TextScan.LOWER)) {
          best = j - i + 1;
        }
      }
      if (best > 0) {
        return best;
      }
    }
    return Gazetteer.PLACES.contains(first) ? 1 : 0;
  }

  /** @return true for a capitalised token that is neither a common word nor a known name or place */
  private static boolean unknown(TextScan s, int i) {
    String t = s.token(i);
    return !Gazetteer.common(t) && !NEVER_NAME.contains(t) && !Gazetteer.GIVEN.contains(t)
        && !Gazetteer.FAMILY.contains(t);
  }

  private static void persons(TextScan s, boolean[] place, List<PiiEntity> out) {
    int n = s.size;
    int i = 0;
    while (i < n) {
      if (!nameLike(s, i, place)) {
        i++;
        continue;
      }
      // a run of name-like tokens, initials and particles joined by single spaces
      int last = i;
      int tokens = 1;
      while (last + 1 < n && s.joined(last) && tokens < 5) {
        int next = last + 1;
        if (nameLike(s, next, place)) {
          last = next;
          tokens++;
        } else if ((s.is(next, TextScan.INITIAL) || s.is(next, TextScan.LOWER) && PARTICLES.contains(s.lowerToken(next)))
            && s.joined(next) && next + 1 < n && nameLike(s, next + 1, place)) {
          last = next + 1;
          tokens += 2;
        } else {
          break;
        }
      }
      int hits = 0;
      int strong = 0;
      int names = 0;
      for (int k = i; k <= last; k++) {
        if (!s.is(k, TextScan.CAPITALISED)) {
          continue;
        }
        names++;
        String t = s.token(k);
        if (Gazetteer.GIVEN.contains(t) || Gazetteer.FAMILY.contains(t)) {
          hits++;
          if (!Gazetteer.common(t)) {
            strong++;
          }
        }
      }
      // "12 Joaquin Suarez 2906": a name between house numbers is a street, left to the address recognizer
      boolean street = i > 0 && s.is(i - 1, TextScan.NUMBER) && last + 1 < n && s.joined(last)
          && s.is(last + 1, TextScan.NUMBER);
      if (street) {
        hits = 0;
      }
      if (names >= 2 && names <= 4 && (strong >= 1 || hits >= 2)) {
        out.add(entity(s, PiiTypes.PERSON, s.start[i], s.end[last], 0.75));
      } else if (names == 1 && strong == 1 && i == last) {
        out.add(entity(s, PiiTypes.PERSON, s.start[i], s.end[last], 0.6));
      }
      i = last + 1;
    }
  }

  /** A capitalised token that may be part of a name: not a common word, title, month or known place. */
  private static boolean nameLike(TextScan s, int i, boolean[] place) {
    if (!s.is(i, TextScan.CAPITALISED) || place[i]) {
      return false;
    }
    String t = s.token(i);
    if (NEVER_NAME.contains(t)) {
      return false;
    }
    boolean known = Gazetteer.GIVEN.contains(t) || Gazetteer.FAMILY.contains(t);
    return known || !Gazetteer.common(t);
  }

  private static PiiEntity entity(TextScan s, String type, int start, int end, double score) {
    return new PiiEntity(type, start, end, score, s.text.substring(start, end));
  }
}
