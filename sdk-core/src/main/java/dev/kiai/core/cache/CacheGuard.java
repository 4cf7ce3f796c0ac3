package dev.kiai.core.cache;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rejects a semantic match whose prompts look alike but ask different things: one negates what the
 * other affirms, or they name different numbers, dates or codes. Embeddings place "How do I enable 2FA?"
 * next to "How do I not enable 2FA?" and "Order 4711" next to "Order 4712"; these are the wrong hits
 * users of embedding caches report. Paraphrases, though, reword negations ("optional" / "not mandatory",
 * "no-code" / "without coding") and spell numbers differently ("over 100" / "more than one hundred"), so
 * the guard compares what is negated and which values are named, not which words are used.
 *
 * <p>What it compares, after Unicode normalisation (NFKC), lower-casing and expanding contractions
 * ({@code don't} = {@code do not}, {@code can't}, {@code cannot}, {@code won't}, French {@code n'}):
 * <ul>
 *   <li><b>negation polarity</b>: a negation ({@code not, no, never, without, nicht, kein, nie, ohne,
 *       pas, jamais, sin, niet, geen}, ..., the negative-implicative verbs {@code avoid, prevent, lack,
 *       omit, fail, exclude, vermeiden, verhindern}, "too ADJ to VERB") negates the first content word
 *       after it within its clause; {@code non-X}, {@code no-X}, {@code Xless}, {@code Xlos} negate X;
 *       {@code unX, inX, imX, disX, nonX} negate X when the other prompt uses X. A match is rejected when
 *       a word (lightly stemmed) is negated in one prompt and used without negation in the other: "Is X
 *       free?" / "Is X not free?". A negation in both ("never fail" / "doesn't fail"), a negation whose
 *       word the other prompt paraphrases ("not mandatory" / "optional"), tag questions ("..., doesn't
 *       it?") and the fixed phrases "not only" and "or not" are no flip;</li>
 *   <li><b>numbers</b>: digit sequences (with decimal and thousands separators, {@code v2.1} = 2.1,
 *       {@code 1st} = first, "2 million" = 2000000) and English and German number words, composed
 *       ("one hundred and five" = 105, "twenty-one" = 21) and ordinal ("third"), as values. A value
 *       written in digits that the other prompt lacks rejects ("version 2" / "version 3", "version 2" /
 *       "a version"); a value written as a word that only one prompt names does not, because paraphrases
 *       drop or reword small counts ("two methods" / "a method"), but two different sets of values
 *       ("three items" / "five items") do;</li>
 *   <li><b>dates</b>: month and weekday names (English, German; not "may", a verb),
 *       today/tomorrow/yesterday; years are numbers already. Any difference rejects;</li>
 *   <li><b>codes</b>: tokens that mix letters and digits ({@code A320}, {@code ERR-404} = {@code err404},
 *       {@code UTF-8}; {@code v2} reads as the number 2). Any difference rejects.</li>
 * </ul>
 * The guard is a word-level heuristic: it does not know antonyms ("enable" / "disable" pass unless the
 * similarity threshold separates them). Stateless and thread-safe.
 */
public final class CacheGuard {
  /** Explicit negation words. */
  private static final Set<String> NEGATIONS = Set.of(
      // English
      "not", "no", "never", "nobody", "nothing", "neither", "nor", "nowhere", "without",
      // German
      "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "nichts", "ohne",
      "weder", "niemand",
      // French
      "ne", "pas", "jamais", "aucun", "aucune", "rien", "sans",
      // Spanish, Italian, Portuguese
      "nunca", "jamás", "ningún", "ninguna", "ninguno", "nada", "sin", "non", "nessuno", "senza",
      "nem", "não",
      // Dutch
      "niet", "geen", "nooit", "zonder");

  /** Negative-implicative words: "avoid X", "prevent X", "lack X", "except X" assert that X does not happen. */
  private static final Set<String> IMPLICIT_NEGATIONS = Set.of(
      "avoid", "avoids", "avoided", "avoiding", "prevent", "prevents", "prevented", "preventing", "lack",
      "lacks", "lacked", "lacking", "omit", "omits", "omitted", "omitting", "fail", "fails", "failed",
      "failing", "exclude", "excludes", "excluded", "excluding", "except", "unable", "refrain",
      "vermeiden", "vermeidet", "verhindern", "verhindert", "fehlt", "fehlen", "fehlende", "mangelt", "außer", "ausgenommen", "éviter", "evitar",
      "evitare");

  /**
   * Words a negation skips to reach the word it negates: articles, pronouns, auxiliaries, modals,
   * prepositions, particles.
   */
  private static final Set<String> SKIP = Set.copyOf(List.of(
      // English
      "a", "an", "the", "to", "be", "is", "are", "was", "were", "been", "being", "am", "do", "does", "did",
      "have", "has", "had", "having", "i", "you", "he", "she", "it", "we", "they", "me", "him", "her", "us",
      "them", "my", "your", "his", "its", "our", "their", "this", "that", "these", "those", "there", "any",
      "anything", "anyone", "so", "very", "really", "even", "yet", "just", "also", "ever", "will", "would",
      "can", "could", "shall", "should", "may", "might", "must", "of", "for", "at", "in", "on", "by", "with",
      "as", "into", "from", "all", "only", "much", "more", "longer", "get", "getting", "make", "making",
      // German
      "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines", "ist",
      "sind", "war", "bin", "bist", "wird", "werden", "kann", "können", "ich", "du", "er", "sie", "es", "wir",
      "ihr", "mein", "meine", "dein", "sein", "haben", "hat", "habe", "zu", "sehr", "auch", "mehr", "mal",
      "man", "mit", "im", "am", "dass",
      // French, Spanish, Italian, Dutch
      "est", "sont", "ce", "c", "il", "elle", "je", "le", "la", "les", "un", "une", "de", "du", "des", "plus",
      "se", "el", "los", "las", "lo", "una", "è", "di", "het", "een", "te", "meer"));

  /** Words that end a negation's scope: "not X but Y", "not X because Y". */
  private static final Set<String> CLAUSE_WORDS = Set.of("but", "because", "while", "whereas", "which",
      "unless", "if", "when", "instead", "aber", "sondern", "weil", "wenn", "während", "mais", "parce",
      "pero", "porque", "ma", "maar", "omdat");

  /** Auxiliaries that, negated before the subject, form a question: "Why isn't the build green?". */
  private static final Set<String> AUXILIARIES = Set.of("is", "are", "was", "were", "am", "do", "does", "did",
      "have", "has", "had", "will", "would", "can", "could", "shall", "should", "must");
  /** Question words before such an auxiliary. */
  private static final Set<String> WH = Set.of("why", "how", "what", "when", "where", "who", "which");
  /** Words that start the subject of an inverted question: "isn't <the build> green". */
  private static final Set<String> DETERMINERS = Set.of("the", "a", "an", "my", "your", "our", "their", "his",
      "her", "its", "this", "that", "these", "those");

  /** Prefixes that negate the rest of the word when the other prompt uses that rest ("unencrypted"). */
  /** Separators inside a token that split it into words ("non-streaming", "don't", "x/y"). */
  private static final Pattern WORD_PARTS = Pattern.compile("[-.'/:]");
  /** Suffixes {@link #stem} strips, longest first. */
  private static final String[] STEM_SUFFIXES = {"ing", "ed", "es", "en", "s"};
  private static final List<String> NEGATING_PREFIXES = List.of("non", "un", "in", "im", "il", "ir", "dis");
  /** Shortest rest after a negating prefix: "unsafe" = not "safe", "invalid" = not "valid", "display" is no "play". */
  private static int minRest(String prefix) {
    return prefix.equals("un") || prefix.equals("non") ? 4 : 5;
  }
  /** Words ending in -less that negate nothing. */
  private static final Set<String> NOT_LESS = Set.of("unless", "regardless", "nevertheless", "nonetheless");

  private static final Map<String, Integer> UNITS = Map.ofEntries(
      Map.entry("zero", 0), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3),
      Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
      Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11),
      Map.entry("twelve", 12), Map.entry("thirteen", 13), Map.entry("fourteen", 14), Map.entry("fifteen", 15),
      Map.entry("sixteen", 16), Map.entry("seventeen", 17), Map.entry("eighteen", 18),
      Map.entry("nineteen", 19), Map.entry("twenty", 20), Map.entry("thirty", 30), Map.entry("forty", 40),
      Map.entry("fifty", 50), Map.entry("sixty", 60), Map.entry("seventy", 70), Map.entry("eighty", 80),
      Map.entry("ninety", 90),
      Map.entry("eins", 1), Map.entry("zwei", 2), Map.entry("drei", 3),
      Map.entry("vier", 4), Map.entry("fünf", 5), Map.entry("sechs", 6), Map.entry("sieben", 7),
      Map.entry("acht", 8), Map.entry("neun", 9), Map.entry("zehn", 10), Map.entry("elf", 11),
      Map.entry("zwölf", 12), Map.entry("zwanzig", 20), Map.entry("dreißig", 30), Map.entry("vierzig", 40),
      Map.entry("fünfzig", 50));
  private static final Map<String, Long> SCALES = Map.of(
      "hundred", 100L, "thousand", 1_000L, "million", 1_000_000L, "billion", 1_000_000_000L,
      "hundert", 100L, "tausend", 1_000L, "millionen", 1_000_000L, "milliarden", 1_000_000_000L);
  private static final Map<String, Integer> ORDINALS = Map.ofEntries(
      Map.entry("first", 1), Map.entry("second", 2), Map.entry("third", 3), Map.entry("fourth", 4),
      Map.entry("fifth", 5), Map.entry("sixth", 6), Map.entry("seventh", 7), Map.entry("eighth", 8),
      Map.entry("ninth", 9), Map.entry("tenth", 10), Map.entry("eleventh", 11), Map.entry("twelfth", 12),
      Map.entry("erste", 1), Map.entry("ersten", 1), Map.entry("zweite", 2), Map.entry("zweiten", 2),
      Map.entry("dritte", 3), Map.entry("dritten", 3), Map.entry("vierte", 4), Map.entry("vierten", 4));

  private static final Map<String, String> DATE_WORDS = Map.ofEntries(
      Map.entry("january", "m1"), Map.entry("jan", "m1"), Map.entry("januar", "m1"),
      Map.entry("february", "m2"), Map.entry("feb", "m2"), Map.entry("februar", "m2"),
      Map.entry("march", "m3"), Map.entry("mar", "m3"), Map.entry("märz", "m3"),
      Map.entry("april", "m4"), Map.entry("apr", "m4"),
      Map.entry("mai", "m5"),
      Map.entry("june", "m6"), Map.entry("jun", "m6"), Map.entry("juni", "m6"),
      Map.entry("july", "m7"), Map.entry("jul", "m7"), Map.entry("juli", "m7"),
      Map.entry("august", "m8"), Map.entry("aug", "m8"),
      Map.entry("september", "m9"), Map.entry("sep", "m9"), Map.entry("sept", "m9"),
      Map.entry("october", "m10"), Map.entry("oct", "m10"), Map.entry("oktober", "m10"),
      Map.entry("november", "m11"), Map.entry("nov", "m11"),
      Map.entry("december", "m12"), Map.entry("dec", "m12"), Map.entry("dezember", "m12"),
      Map.entry("monday", "d1"), Map.entry("montag", "d1"), Map.entry("tuesday", "d2"),
      Map.entry("dienstag", "d2"), Map.entry("wednesday", "d3"), Map.entry("mittwoch", "d3"),
      Map.entry("thursday", "d4"), Map.entry("donnerstag", "d4"), Map.entry("friday", "d5"),
      Map.entry("freitag", "d5"), Map.entry("saturday", "d6"), Map.entry("samstag", "d6"),
      Map.entry("sunday", "d7"), Map.entry("sonntag", "d7"), Map.entry("today", "today"),
      Map.entry("tomorrow", "tomorrow"), Map.entry("yesterday", "yesterday"), Map.entry("heute", "today"),
      Map.entry("morgen", "tomorrow"), Map.entry("gestern", "yesterday"));

  /**
   * A word, possibly with inner hyphens, dots, apostrophes or underscores (codes, "3.5"), or a clause
   * boundary (punctuation that ends a negation's scope).
   */
  private static final Pattern TOKEN = Pattern.compile(
      "[\\p{L}\\p{N}]+(?:(?:[-_.'/:]|(?<=\\d),(?=\\d))[\\p{L}\\p{N}]+)*|[,;:.!?()\\[\\]\"]");
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
  private static final Pattern ORDINAL = Pattern.compile("(\\d+)(?:st|nd|rd|th)");
  /** Fixed phrases that contain a negation word but negate nothing: "not only ... but", "whether or not". */
  private static final Pattern NOT_A_NEGATION = Pattern.compile(
      "\\bnot (?:only|just|merely|simply)\\b|\\bor not\\b|\\bnicht nur\\b|\\boder nicht\\b|\\bnon seulement\\b|\\bno solo\\b"
          + "|\\bnon solo\\b|\\bniet alleen\\b");
  /** "v2.10" and "version 2.10" name the same number. */
  private static final Pattern VERSION = Pattern.compile("\\bv(\\d+(?:\\.\\d+)*)\\b");
  /** "none of the X" negates X; a lone "none" is mostly the literal {@code None} of technical text. */
  private static final Pattern NONE_OF = Pattern.compile("\\bnone(?= of\\b)");
  private static final Pattern CANNOT = Pattern.compile("\\bcannot\\b");
  private static final Pattern WONT = Pattern.compile("\\b(won|shan|can|ain)'t\\b");
  private static final Pattern NT = Pattern.compile("(\\p{L})n't\\b");
  private static final Pattern FRENCH_NE = Pattern.compile("\\bn'(?=\\p{L})");

  private static final CacheGuard DEFAULT = new CacheGuard();

  private CacheGuard() {}

  /** @return the guard */
  public static CacheGuard standard() {
    return DEFAULT;
  }

  /**
   * @param a one prompt
   * @param b the other
   * @return why a match between them must be rejected, or empty when the guard sees no flipped negation
   *     and no difference in numbers, dates or codes
   */
  public Optional<String> check(String a, String b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    return check(facts(a), facts(b));
  }

  /**
   * {@link #check(String, String)} on facts already extracted, so that a lookup extracts the query's
   * facts once for all its candidates.
   */
  Optional<String> check(Facts fa, Facts fb) {
    Set<String> negA = negatedIn(fa, fb);
    Set<String> negB = negatedIn(fb, fa);
    Optional<String> flipped = flipped(fa, fb, negA, negB).or(() -> flipped(fb, fa, negB, negA));
    if (flipped.isPresent()) {
      return Optional.of("negation differs: " + flipped.get());
    }
    if (valuesConflict(fa.numbers, fa.softNumbers, fb.numbers, fb.softNumbers)) {
      return Optional.of("numbers differ: " + union(fa.numbers, fa.softNumbers) + " vs "
          + union(fb.numbers, fb.softNumbers));
    }
    if (!fa.dates.equals(fb.dates)) {
      return Optional.of("dates differ: " + fa.dates + " vs " + fb.dates);
    }
    if (!fa.codes.equals(fb.codes)) {
      return Optional.of("codes differ: " + fa.codes + " vs " + fb.codes);
    }
    return Optional.empty();
  }

  /**
   * A word {@code x} uses only negated (it heads a negation's scope and occurs nowhere outside one) that
   * {@code y} uses only affirmed (never inside a negation's scope). A word both prompts negate, or one
   * prompt uses both ways ("whether to copy ...; if not, nothing is copied"), is no flip.
   */
  private static Optional<String> flipped(Facts x, Facts y, Set<String> negatedInX, Set<String> negatedInY) {
    for (String w : negatedInX) {
      if (!x.plain.contains(w) && y.plain.contains(w) && !y.scoped.contains(w) && !negatedInY.contains(w)) {
        return Optional.of("\"" + w + "\"");
      }
    }
    return Optional.empty();
  }

  /** Words {@code x} negates, including prefix negations ("unencrypted") whose stem {@code other} uses. */
  private static Set<String> negatedIn(Facts x, Facts other) {
    Set<String> out = new HashSet<>(x.negated);
    for (String word : x.plainWords) {
      for (String p : NEGATING_PREFIXES) {
        if (word.length() - p.length() >= minRest(p) && word.startsWith(p)) {
          String rest = stem(word.substring(p.length()));
          if (other.plain.contains(rest) || other.scoped.contains(rest)) {
            out.add(rest);
          }
        }
      }
    }
    return out;
  }

  /**
   * Values conflict when a value written in digits is named on one side only, or when each side names a
   * value the other does not (a substitution, not an omission).
   */
  private static boolean valuesConflict(Set<String> hardA, Set<String> softA, Set<String> hardB, Set<String> softB) {
    Set<String> allA = union(hardA, softA);
    Set<String> allB = union(hardB, softB);
    if (allA.equals(allB)) {
      return false;
    }
    Set<String> onlyA = new TreeSet<>(allA);
    onlyA.removeAll(allB);
    Set<String> onlyB = new TreeSet<>(allB);
    onlyB.removeAll(allA);
    for (String v : onlyA) {
      if (hardA.contains(v)) {
        return true;
      }
    }
    for (String v : onlyB) {
      if (hardB.contains(v)) {
        return true;
      }
    }
    return !onlyA.isEmpty() && !onlyB.isEmpty();
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new TreeSet<>(a);
    s.addAll(b);
    return s;
  }

  /**
   * What one prompt says.
   *
   * @param negated stems of the words negations negate (the first content word of each scope)
   * @param scoped stems of every content word within a negation's scope (to the end of its clause)
   * @param plain stems of content words outside any negation's scope
   * @param plainWords those words unstemmed, for prefix negations
   * @param numbers values written in digits
   * @param softNumbers values written as words
   */
  record Facts(Set<String> negated, Set<String> scoped, Set<String> plain, List<String> plainWords, Set<String> numbers,
      Set<String> softNumbers, Set<String> dates, Set<String> codes) {}

  static String normalise(String text) {
    String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).replace('’', '\'');
    t = NOT_A_NEGATION.matcher(t).replaceAll(" , ");
    t = VERSION.matcher(t).replaceAll("$1");
    t = CANNOT.matcher(t).replaceAll("can not");
    t = NONE_OF.matcher(t).replaceAll("not");
    t = WONT.matcher(t).replaceAll(m -> switch (m.group(1)) {
      case "won" -> "will not";
      case "shan" -> "shall not";
      case "ain" -> "is not";
      default -> "can not";
    });
    t = NT.matcher(t).replaceAll("$1 not");
    t = FRENCH_NE.matcher(t).replaceAll("ne ");
    return t;
  }

  static Facts facts(String text) {
    String t = normalise(text);
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(t);
    while (m.find()) {
      tokens.add(m.group());
    }
    Set<String> negated = new HashSet<>();
    Set<String> scoped = new HashSet<>();
    Set<String> plain = new HashSet<>();
    List<String> plainWords = new ArrayList<>();
    Set<String> numbers = new TreeSet<>();
    Set<String> soft = new TreeSet<>();
    Set<String> dates = new TreeSet<>();
    Set<String> codes = new TreeSet<>();
    boolean pending = false; // a negation waits for the word it negates
    boolean inScope = false; // within a negation's scope, after that word
    // content words of the current clause before any negation: affirmed, unless the clause turns out to be
    // negated ("X doesn't exist" / "there is no X": a paraphrase may move X into or out of the scope)
    List<String> clause = new ArrayList<>();
    boolean clauseNegated = false;
    for (int i = 0; i <= tokens.size(); i++) {
      String tok = i < tokens.size() ? tokens.get(i) : ".";
      if (isBoundary(tok) || CLAUSE_WORDS.contains(tok)) {
        pending = false; // clause boundary: a negation with nothing after it ("..., doesn't it?") negates nothing
        inScope = false;
        for (String w : clause) {
          if (clauseNegated) {
            scoped.add(stem(w));
          } else {
            plain.add(stem(w));
            plainWords.add(w);
          }
        }
        clause.clear();
        clauseNegated = false;
        continue;
      }
      // number words, possibly composed: "one hundred and five", "twenty-one", "2 million"
      int end = numberPhrase(tokens, i, soft, numbers);
      if (end > i) {
        i = end - 1;
        continue;
      }
      if (NEGATIONS.contains(tok) || IMPLICIT_NEGATIONS.contains(tok)) {
        pending = true;
        clauseNegated = true;
        if (tok.equals("not") && invertedQuestion(tokens, i)) {
          i++; // skip the subject's determiner and head noun: the negation belongs to the predicate
          int next = nextWord(tokens, i + 1);
          if (next > 0 && nextWord(tokens, next + 1) > 0) {
            clause.add(tokens.get(next));
            i = next;
          }
        }
        continue;
      }
      if (tok.equals("too")) { // "too large to fit" = does not fit
        for (int j = i + 1; j < Math.min(tokens.size() - 1, i + 4); j++) {
          if (tokens.get(j).equals("to")) {
            negated.add(stem(tokens.get(j + 1)));
            scoped.add(stem(tokens.get(j + 1)));
            break;
          }
        }
        continue;
      }
      String date = DATE_WORDS.get(tok);
      if (date != null) {
        dates.add(date);
        continue;
      }
      Matcher ord = ORDINAL.matcher(tok);
      if (ord.matches()) {
        numbers.add("#" + canonicalNumber(ord.group(1)));
        continue;
      }
      boolean hasDigit = tok.chars().anyMatch(Character::isDigit);
      boolean hasLetter = tok.chars().anyMatch(Character::isLetter);
      if (hasDigit && hasLetter) {
        codes.add(tok.replaceAll("[-_.]", "")); // "UTF-8" = "utf8", "ERR-404" = "err404"
        continue;
      }
      if (hasDigit) {
        Matcher n = NUMBER.matcher(tok);
        while (n.find()) {
          numbers.add(canonicalNumber(n.group()));
        }
        continue;
      }
      // words: hyphenated negation prefixes, -less/-los suffixes, then plain content words
      String[] parts = WORD_PARTS.split(tok);
      for (int k = 0; k < parts.length; k++) {
        String word = parts[k];
        if (word.length() < 3 && parts.length > 1 && !NEGATIONS.contains(word)) {
          continue; // "re-", "e-", "x-": not words of their own
        }
        if (NEGATIONS.contains(word) || (word.equals("zero") && k + 1 < parts.length)) {
          clauseNegated |= parts.length == 1;
          pending = true; // "no-code", "non-streaming", "zero-copy": the next part is negated
          continue;
        }
        if (SKIP.contains(word)) {
          continue;
        }
        String negatedStem = privative(word);
        if (negatedStem != null) {
          negated.add(negatedStem);
          scoped.add(negatedStem);
          continue;
        }
        String st = stem(word);
        if (pending) {
          negated.add(st);
          scoped.add(st);
          pending = false;
          inScope = true;
        } else if (inScope) {
          scoped.add(st);
        } else {
          clause.add(word);
        }
      }
    }
    return new Facts(negated, scoped, plain, plainWords, numbers, soft, dates, codes);
  }

  /**
   * Whether the "not" at {@code i} stands between an auxiliary at the start of a question (or after a
   * question word) and a determiner: "Why isn't the build green?", "Doesn't the job retry?".
   */
  private static boolean invertedQuestion(List<String> tokens, int i) {
    if (i < 1 || i + 1 >= tokens.size() || !AUXILIARIES.contains(tokens.get(i - 1))
        || !DETERMINERS.contains(tokens.get(i + 1))) {
      return false;
    }
    boolean clauseStart = i < 2 || WH.contains(tokens.get(i - 2)) || isBoundary(tokens.get(i - 2));
    if (!clauseStart) {
      return false;
    }
    for (int j = i + 1; j < tokens.size(); j++) {
      if (isBoundary(tokens.get(j))) {
        return tokens.get(j).equals("?");
      }
    }
    return false;
  }

  private static boolean isBoundary(String tok) {
    return tok.length() == 1 && !Character.isLetterOrDigit(tok.charAt(0));
  }

  /** Index of the next content word at or after {@code from} within the clause, or -1. */
  private static int nextWord(List<String> tokens, int from) {
    for (int j = from; j < tokens.size(); j++) {
      String t = tokens.get(j);
      if (isBoundary(t)) {
        return -1;
      }
      if (!SKIP.contains(t) && !DETERMINERS.contains(t)) {
        return j;
      }
    }
    return -1;
  }

  /** "passwordless" and "kostenlos" negate "password" and "kosten"; null for other words. */
  private static String privative(String word) {
    if (word.endsWith("less") && word.length() >= 8 && !NOT_LESS.contains(word)) {
      return stem(word.substring(0, word.length() - 4));
    }
    if (word.endsWith("los") && word.length() >= 7) {
      return stem(word.substring(0, word.length() - 3));
    }
    return null;
  }

  /**
   * Reads number words starting at {@code start} into {@code soft} (or, after digits, "2 million", into
   * {@code hard}).
   *
   * @return the index after the phrase, or {@code start} when no number phrase starts there
   */
  private static int numberPhrase(List<String> tokens, int start, Set<String> soft, Set<String> hard) {
    String first = tokens.get(start);
    Integer ordinal = ORDINALS.get(first);
    if (ordinal != null) {
      soft.add("#" + ordinal);
      return start + 1;
    }
    boolean digits = NUMBER.matcher(first).matches();
    if (digits && start + 1 < tokens.size() && SCALES.containsKey(tokens.get(start + 1))) {
      BigDecimal v = new BigDecimal(canonicalNumber(first)).multiply(BigDecimal.valueOf(SCALES.get(tokens.get(start + 1))));
      hard.add(v.stripTrailingZeros().toPlainString());
      return start + 2;
    }
    long total = 0;
    long current = 0;
    int words = 0;
    int i = start;
    boolean lone = false;
    boolean afterScale = false;
    while (i < tokens.size()) {
      String tok = tokens.get(i);
      String[] parts = tok.split("-");
      boolean all = true;
      for (String p : parts) {
        if (!UNITS.containsKey(p) && !SCALES.containsKey(p)) {
          all = false;
          break;
        }
      }
      if (!all) {
        if ((tok.equals("and") || tok.equals("und")) && afterScale && i + 1 < tokens.size()
            && UNITS.containsKey(tokens.get(i + 1))) {
          i++;
          continue;
        }
        break;
      }
      for (String p : parts) {
        Integer unit = UNITS.get(p);
        afterScale = unit == null;
        if (unit != null) {
          current += unit;
        } else {
          long scale = SCALES.get(p);
          if (scale == 100) {
            current = Math.max(1, current) * 100;
          } else {
            total += Math.max(1, current) * scale;
            current = 0;
          }
        }
      }
      lone = words == 0 && parts.length == 1 && (tok.equals("one") || tok.equals("eins"));
      words++;
      i++;
    }
    if (words == 0) {
      return start;
    }
    if (words == 1 && lone) {
      return start; // "one" alone is mostly a pronoun ("which one", "one can")
    }
    soft.add(Long.toString(total + current));
    return i;
  }

  /** Light suffix stripping, enough that "enabled", "enables", "enabling" and "enable" agree. */
  static String stem(String w) {
    String s = w;
    if ((s.endsWith("ied") || s.endsWith("ies")) && s.length() > 4) {
      return s.substring(0, s.length() - 3) + "y";
    }
    for (String suffix : STEM_SUFFIXES) {
      if (s.endsWith(suffix) && s.length() - suffix.length() >= (suffix.equals("en") ? 4 : 3)) {
        s = s.substring(0, s.length() - suffix.length());
        break;
      }
    }
    if (s.endsWith("e") && s.length() > 3) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** "1,000" and "1000" agree; "3.50" and "3.5" agree; a lone decimal comma reads as a point. */
  private static String canonicalNumber(String n) {
    String s = n;
    if (s.matches("\\d{1,3}(,\\d{3})+(\\.\\d+)?")) {
      s = s.replace(",", "");
    } else if (s.matches("\\d{1,3}(\\.\\d{3})+(,\\d+)?")) {
      s = s.replace(".", "").replace(',', '.');
    } else if (s.matches("\\d+,\\d+")) {
      s = s.replace(',', '.');
    }
    if (s.matches("\\d+\\.\\d+")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    s = s.replaceFirst("^0+(?=\\d)", "");
    return s;
  }
}
