package dev.kiai.guardrails;

import java.util.List;

/**
 * Gazetteer recognizers for person names and places over the tokens of a {@link TextScan}: one pass,
 * hash-set lookups only. Names and places that are also common words ("Will", "Grant", "Reading") need
 * more evidence: another name token next to them, or a preposition before a place.
 */
final class NameRecognizers {
  private NameRecognizers() {}

  /** Lower-case particles inside names ("Ludwig van Beethoven", "Maria de la Cruz"). */
  private static final WordSet PARTICLES = WordSet.of("van", "von", "de", "der", "den", "da", "di", "del", "della",
      "la", "le", "du", "dos", "das", "bin", "ibn", "al", "el", "ter", "ten", "zu", "y");
  /** Lower-case words inside place names ("Frankfurt am Main", "Alcalá de Henares"). */
  private static final WordSet PLACE_INNER = WordSet.of("am", "an", "der", "de", "del", "la", "le", "los", "las",
      "upon", "on", "sur", "of", "im", "in", "bei", "vor", "ob", "do", "da", "dos", "das", "di", "y", "en", "les");
  /** Prepositions and verbs that make the next capitalised token a place ("in Reading", "nach Essen"). */
  private static final WordSet PLACE_CUES = WordSet.of("in", "from", "to", "at", "near", "into", "nach", "aus",
      "bei", "visit", "visiting", "visited", "toward", "towards", "outside", "around", "across", "via");
  /** Verbs that, with a place cue, make even an unknown capitalised token a place ("lives in Kvernvik"). */
  private static final WordSet MOVE_VERBS = WordSet.of("live", "lives", "lived", "living", "moved", "move", "moving",
      "flew", "fly", "flying", "travel", "travels", "travelled", "traveled", "travelling", "traveling", "born",
      "based", "located", "grew", "relocated", "wohnt", "wohne", "lebt", "lebe", "geboren", "zog", "ziehe",
      "fliege", "fliegt", "reise", "reist", "stationed", "headquartered", "am", "i'm", "i’m", "we're", "we’re",
      "arrived", "returned", "staying", "stayed", "settled", "raised", "hail", "hails", "originally");
  /** Capitalised words that never start or continue a name although they are not in the common list. */
  private static final WordSet NEVER_NAME = WordSet.of("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Herr",
      "Frau", "Inc", "Ltd", "LLC", "GmbH", "AG", "Co", "Corp", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
      "Sep", "Sept", "Oct", "Nov", "Dec", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Bot", "User", "Apt",
      "Suite", "Str", "Nr", "January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December", "Januar", "Februar", "März", "Mai", "Juni", "Juli", "Oktober", "Dezember",
      "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Montag", "Dienstag", "Mittwoch",
      "Donnerstag", "Freitag", "Samstag", "Sonntag");

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
        boolean weak = len == 1 && (Gazetteer.ambiguousPlace(s, i) || s.end[i] - s.start[i] < 3);
        boolean cued = i > 0 && s.is(i - 1, TextScan.LOWER) && s.lowerIn(PLACE_CUES, i - 1);
        // "Florence Nightingale": a given name that is also a place, followed by a family name, is a person
        boolean person = len == 1 && s.tokenIn(Gazetteer.GIVEN, i) && s.joined(i)
            && s.is(i + 1, TextScan.CAPITALISED) && s.tokenIn(Gazetteer.FAMILY, i + 1);
        // "James Sparks": a town name right after a given name is a family name
        person |= len == 1 && i > 0 && s.joined(i - 1) && s.is(i - 1, TextScan.CAPITALISED)
            && s.tokenIn(Gazetteer.GIVEN, i - 1) && !s.lowerIn(Gazetteer.REGIONS, i);
        if ((!weak || cued) && !person) {
          Recognizers.add(out, s.text, PiiTypes.LOCATION, s.start[i], s.end[last], weak ? 0.6 : 0.7);
          for (int k = i; k <= last; k++) {
            place[k] = true;
          }
        }
        i = last;
      } else if (i >= 1 && unknown(s, i) && placeContext(s, i)) {
        // "lives in Kvernvik", "grew up in STORHOLM", "the town of Brekkestad", "Where: Kvernvik": an unknown
        // capitalised (or all upper-case) run in a place's context
        int last = i;
        while (last + 1 < n && last - i < 3 && s.joined(last)) {
          if (s.is(last + 1, TextScan.CAPITALISED | TextScan.ALL_UPPER) && unknown(s, last + 1)) {
            last++;
          } else if (last + 2 < n && s.is(last + 1, TextScan.LOWER) && s.lowerIn(PLACE_INNER, last + 1)
              && s.joined(last + 1) && s.is(last + 2, TextScan.CAPITALISED) && unknown(s, last + 2)) {
            last += 2; // "Alcalá de Henares"
          } else {
            break;
          }
        }
        Recognizers.add(out, s.text, PiiTypes.LOCATION, s.start[i], s.end[last], 0.6);
        i = last;
      }
    }
    // whether each token may be part of a name, decided once: the person passes below ask several
    // times per token, and each answer costs up to five word-list probes
    boolean[] nameLike = new boolean[n];
    for (int i = 0; i < n; i++) {
      nameLike[i] = nameLike(s, i, place);
    }
    persons(s, nameLike, lang == PiiLanguage.DE, out);
    if (lang != PiiLanguage.DE) {
      groups(s, out);
    }
    organizations(s, out);
    partnerships(s, out);
    if (lang != PiiLanguage.DE) {
      employers(s, place, out);
    }
  }

  /** The lines of {@code nrp.txt}, read once for the three sets below. */
  private static final class NrpList {
    static final java.util.Set<String> LINES = Gazetteer.load("nrp.txt");
  }

  /** Nationalities, religious and political groups, case as written ({@code nrp.txt}). */
  private static final WordSet NRP = nrpWords(false);
  /** The entries of {@link #NRP} that are also everyday words, places or names: only inside a sentence. */
  private static final WordSet NRP_MID_ONLY = nrpWords(true);
  /** Two-word entries ("Sri Lankan", "Roman Catholic"), tokens separated by one space. */
  private static final WordSet NRP_PAIRS = nrpPairs();
  /** Lower-case nouns that make a nationality part of a thing's name ("French fries", "German shepherd"). */
  private static final WordSet NRP_COMPOUNDS = WordSet.of("fries", "toast", "muffin", "muffins", "pastry",
      "pastries", "cheese", "dressing", "horn", "kiss", "doors", "roulette", "oven", "whispers", "wave", "measles",
      "delight", "bath", "flu", "braid", "press", "mustard", "vanilla", "roast", "bulldog", "terrier", "shepherd",
      "setter", "pointer", "mastiff", "poodle", "sheepdog", "blue", "letters", "numerals", "alphabet");
  /** Lower-case words after which a nationality is a language ("speaks German", "translate into French"). */
  private static final WordSet LANGUAGE_VERBS = WordSet.of("speak", "speaks", "spoke", "spoken", "speaking",
      "learn", "learns", "learning", "learned", "learnt", "study", "studies", "studying", "studied", "teach",
      "teaches", "teaching", "taught", "translate", "translates", "translated", "translating", "fluent", "into",
      "write", "writes", "wrote", "written", "understand", "understands", "read", "reads");
  /** Lower-case words after a nationality that make it a language ("the German language", "English words"). */
  private static final WordSet LANGUAGE_NOUNS = WordSet.of("language", "languages", "translation", "translations",
      "version", "versions", "subtitles", "subtitle", "speaker", "speakers", "grammar", "word", "words",
      "dictionary", "class", "classes", "lesson", "lessons", "course", "courses", "teacher", "keyboard", "text",
      "spelling", "pronunciation", "literature", "speaking", "dub", "dubbed");
  /** Words before a group word that is also a given name ("a Christian", "is Christian", "proud Germans"). */
  private static final WordSet GROUP_CUES = WordSet.of("a", "an", "the", "is", "am", "are", "was", "were", "as",
      "devout", "proud", "practising", "practicing", "fellow", "many", "most", "some", "being", "of", "other",
      "and", "or", "non", "born");

  private static WordSet nrpWords(boolean midOnly) {
    java.util.Set<String> words = new java.util.HashSet<>();
    for (String line : NrpList.LINES) {
      boolean star = line.endsWith(" *");
      String w = star ? line.substring(0, line.length() - 2).strip() : line;
      if (w.indexOf(' ') < 0 && (!midOnly || star)) {
        words.add(w);
      }
    }
    return WordSet.of(words);
  }

  private static WordSet nrpPairs() {
    java.util.Set<String> pairs = new java.util.HashSet<>();
    for (String line : NrpList.LINES) {
      if (line.indexOf(' ') > 0 && !line.endsWith(" *")) {
        pairs.add(line);
      }
    }
    return WordSet.of(pairs);
  }

  /**
   * Nationalities, religious and political groups (type {@code NRP}): a capitalised word of the bundled
   * list, or its plural ("Germans"), standing alone. Not reported: inside a longer capitalised name
   * ("German Shepherd", "Catholic University", "Christian Bale"), before a noun that makes a thing's name
   * ("French fries"), as a language ("speaks German", "in English.", "the French language"), an
   * ambiguous word ("Liberal", "Georgian") as a sentence's first word, and a word that is also a given
   * name ("Christian") without an article, copula or adjective before it.
   */
  private static void groups(TextScan s, List<PiiEntity> out) {
    int n = s.size;
    for (int i = 0; i < n; i++) {
      if (!s.is(i, TextScan.CAPITALISED)) {
        continue;
      }
      int from = i;
      int baseEnd = s.end[i]; // the singular's end: "Germans" is looked up as "German"
      boolean pair = i > 0 && s.start[i] - s.end[i - 1] == 1 && NRP_PAIRS.contains(s.text, s.start[i - 1], s.end[i]);
      boolean known = s.tokenIn(NRP, i) || pair;
      if (!known && baseEnd - s.start[i] > 4 && s.text.charAt(baseEnd - 1) == 's') {
        baseEnd--;
        known = NRP.contains(s.text, s.start[i], baseEnd);
      }
      if (!known) {
        continue;
      }
      boolean prevCap = i > 0 && s.joined(i - 1) && s.is(i - 1, TextScan.CAPITALISED);
      if (prevCap) {
        if (pair) {
          from = i - 1; // "Sri Lankan"
        } else if (midSentence(s, i - 1)) {
          continue; // "Hans Christian", "The Irish Times"... unless the capital only starts the sentence
        }
      }
      boolean nextCap = s.joined(i) && i + 1 < n && s.is(i + 1, TextScan.CAPITALISED | TextScan.ALL_UPPER);
      if (nextCap && !s.tokenIn(NRP, i + 1)) {
        continue; // "German Shepherd", "Catholic University", "Christian Bale"
      }
      boolean nextLower = s.joined(i) && i + 1 < n && s.is(i + 1, TextScan.LOWER);
      if (nextLower && (s.lowerIn(NRP_COMPOUNDS, i + 1) || s.lowerIn(LANGUAGE_NOUNS, i + 1))) {
        continue;
      }
      boolean prevLower = from > 0 && s.is(from - 1, TextScan.LOWER) && s.end[from - 1] + 1 == s.start[from];
      if (prevLower && (s.lowerIn(LANGUAGE_VERBS, from - 1)
          || s.lowerIs(from - 1, "in") && !nextLower)) {
        continue; // "speaks German", "answer in English."
      }
      if (from > 0 && s.gapIs(from - 1, " (") && s.is(from - 1, TextScan.CAPITALISED | TextScan.ALL_UPPER)
          && s.end[i] < s.text.length() && s.text.charAt(s.end[i]) == ')') {
        continue; // "Belgium (Flemish)": a qualifier of the name before it
      }
      if (NRP_MID_ONLY.contains(s.text, s.start[i], baseEnd) && !midSentence(s, from)) {
        continue;
      }
      if (s.tokenIn(Gazetteer.GIVEN, i) && !(prevLower && s.lowerIn(GROUP_CUES, from - 1))) {
        continue;
      }
      Recognizers.add(out, s.text, PiiTypes.NRP, s.start[from], s.end[i], 0.65);
    }
  }

  /** Nouns naming a kind of place before its name ("the town of X", "home city X"). */
  private static final WordSet PLACE_NOUNS = WordSet.of("city", "town", "village", "municipality", "hometown",
      "province", "county", "region", "district", "suburb", "borough", "parish", "hamlet");
  /** Form labels whose value is a place ("Where: X", "City: X"). */
  private static final WordSet PLACE_LABELS = WordSet.of("where", "city", "town", "location", "country",
      "birthplace", "hometown", "destination", "origin", "residence", "wohnort", "ort", "stadt");
  /** Words between a move verb and the place preposition ("moved here from", "originally from", "grew up in"). */
  private static final WordSet MOVE_FILLERS = WordSet.of("up", "here", "there", "back", "originally", "away",
      "over", "down");

  /**
   * @return true when an unknown capitalised token {@code i} stands where a place's name does: after a move
   *     verb and a place preposition ("lives in", "moved here from", "I'm in"), after a place noun ("the town
   *     of", "home city"), or as the value of a place form label at a line's start ("Where: ")
   */
  private static boolean placeContext(TextScan s, int i) {
    if (!s.is(i, TextScan.CAPITALISED | TextScan.ALL_UPPER)) {
      return false;
    }
    int p = i - 1;
    if (s.is(p, TextScan.LOWER) && s.joined(p)) {
      if (s.lowerIn(PLACE_NOUNS, p)) {
        return true; // "home city X"
      }
      if (s.lowerIs(p, "of") && p > 0 && s.joined(p - 1) && s.lowerIn(PLACE_NOUNS, p - 1)) {
        return true; // "the town of X"
      }
      return s.lowerIn(PLACE_CUES, p) && p > 0 && s.joined(p - 1) && moveVerbBefore(s, p - 1);
    }
    // "Where: X" at a line's start
    return s.gapIs(p, ": ") && s.lowerIn(PLACE_LABELS, p) && (p == 0 || lineStart(s, p));
  }

  /** @return true when only spaces and tabs separate token {@code k} from the start of its line */
  private static boolean lineStart(TextScan s, int k) {
    for (int c = s.start[k] - 1; c >= 0; c--) {
      char ch = s.text.charAt(c);
      if (ch == '\n') {
        return true;
      }
      if (ch != ' ' && ch != '\t') {
        return false;
      }
    }
    return true;
  }

  /** @return true when token {@code k} is a move verb, or a filler after one ("grew up in", "moved here from") */
  private static boolean moveVerbBefore(TextScan s, int k) {
    return s.lowerIn(MOVE_VERBS, k)
        || (s.lowerIn(MOVE_FILLERS, k) && k > 0 && s.joined(k - 1) && s.lowerIn(MOVE_VERBS, k - 1));
  }

  /** @return the number of tokens of the longest place name starting at token {@code i}, or 0 */
  private static int placeAt(TextScan s, int i) {
    if (s.lowerIn(Gazetteer.PLACE_STARTS, i)) {
      int best = 0;
      int j = i;
      int words = 1;
      // while the tokens are separated by single spaces, the key "new york" is a region of the lower-case
      // text and is looked up in place; after an initial's ". " it is built as a string
      boolean plain = true;
      while (words < Gazetteer.PLACE_MAX_TOKENS && j + 1 < s.size && s.joined(j)
          && (s.is(j + 1, TextScan.CAPITALISED | TextScan.ALL_UPPER)
          || s.lowerIn(PLACE_INNER, j + 1))) {
        j++;
        words++;
        plain &= s.start[j] - s.end[j - 1] == 1;
        boolean known = plain ? Gazetteer.PLACES.contains(s.lower, s.start[i], s.end[j])
            : Gazetteer.PLACES.contains(spaced(s, i, j));
        if (known && !s.is(j, TextScan.LOWER)) {
          best = j - i + 1;
        }
      }
      if (best > 0) {
        return best;
      }
    }
    return s.lowerIn(Gazetteer.PLACES, i) ? 1 : 0;
  }

  /** @return the lower-case tokens {@code i..j} joined by single spaces */
  private static String spaced(TextScan s, int i, int j) {
    StringBuilder key = new StringBuilder(s.lowerToken(i));
    for (int k = i + 1; k <= j; k++) {
      key.append(' ').append(s.lowerToken(k));
    }
    return key.toString();
  }

  /** @return true for a capitalised token that is neither a common word nor a known name or place */
  private static boolean unknown(TextScan s, int i) {
    return !Gazetteer.common(s, i) && !s.tokenIn(NEVER_NAME, i) && !s.tokenIn(Gazetteer.GIVEN, i)
        && !s.tokenIn(Gazetteer.FAMILY, i);
  }

  /**
   * Legal forms and company words that end an organisation's name (from the company suffixes of faker's
   * Latin-script locales, plus common English ones).
   */
  private static final WordSet LEGAL_FORMS = WordSet.of("Inc", "LLC", "Ltd", "Limited", "Corp", "Corporation",
      "Company", "Group", "Gruppe", "Holdings", "Partners", "Associates", "Technologies", "GmbH", "AG", "KG", "OHG",
      "UG", "SE", "Plc", "PLC", "LLP", "SA", "SARL", "SAS", "BV", "NV", "AB", "ASA", "Oy", "Kft", "Zrt", "SpA", "Srl",
      "Pty", "Brothers", "Söhne", "Sons", "Bros");
  private static final WordSet DOTTED_FORMS = WordSet.of("Inc", "Corp", "Ltd", "Bros");
  /** Capitalised function words that do not belong to an organisation's name at its start. */
  private static final WordSet ORG_STOP = WordSet.of("the", "a", "an", "at", "in", "for", "from", "with", "and",
      "of", "to", "by", "on", "i", "we", "my", "our", "your", "his", "her", "their", "der", "die", "das", "bei",
      "von", "mit", "für", "this", "that", "is", "was");

  /** "Healthpocket Inc", "Allstate Insurance Group", "Müller & Söhne GmbH": capitalised words before a legal form. */
  private static void organizations(TextScan s, List<PiiEntity> out) {
    for (int i = 1; i < s.size; i++) {
      if (!s.tokenIn(LEGAL_FORMS, i) || !s.joined(i - 1) && !s.gapIs(i - 1, " & ")) {
        continue;
      }
      int first = -1;
      int k = i - 1;
      while (k >= 0 && i - k <= 4) {
        boolean word = s.is(k, TextScan.CAPITALISED | TextScan.ALL_UPPER) && !s.lowerIn(ORG_STOP, k)
            && !s.tokenIn(NEVER_NAME, k);
        if (!word) {
          break;
        }
        first = k;
        boolean glued = k > 0 && (s.joined(k - 1) || s.gapIs(k - 1, " & "));
        if (!glued) {
          break;
        }
        k--;
      }
      if (first < 0) {
        continue;
      }
      int end = s.end[i];
      if (end < s.text.length() && s.text.charAt(end) == '.' && s.tokenIn(DOTTED_FORMS, i)) {
        end++; // "Inc.", "Ltd." keep their dot; "GmbH." ends a sentence
      }
      Recognizers.add(out, s.text, PiiTypes.ORGANIZATION, s.start[first], end, 0.8);
    }
  }

  /** Verbs of working, followed by "for" or "at" and the organisation ("works for X", "interned at X"). */
  private static final WordSet WORK_VERBS = WordSet.of("work", "works", "worked", "working", "intern", "interned",
      "interning", "volunteer", "volunteers", "volunteered");
  /** Passive verbs of employment, followed by "by" or "at" ("employed by X", "hired by X"). */
  private static final WordSet EMPLOY_VERBS = WordSet.of("employed", "hired", "recruited", "sponsored", "funded",
      "acquired", "owned", "contracted", "retained", "represented");
  /** Verbs whose object is an organisation ("joined X", "left X to ...", "founded X"). */
  private static final WordSet JOIN_VERBS = WordSet.of("joined", "joining", "joins", "rejoined", "cofounded",
      "co-founded");
  /** Roles held at an organisation, followed by "of"/"at" ("CEO of X", "an engineer at X"). */
  private static final WordSet ROLES = WordSet.of("ceo", "cto", "cfo", "coo", "founder", "cofounder", "co-founder",
      "employee", "employees", "intern", "internship", "staff", "engineer", "engineers", "analyst", "analysts",
      "manager", "director", "executive", "spokesperson", "spokesman", "spokeswoman", "subsidiary", "shareholder",
      "shareholders", "customer", "customers", "client", "clients", "headquarters", "offices", "consultant",
      "chairman", "chairwoman", "partner", "vp");
  /** Time spans before "at" ("two years at X", "a year at X"). */
  private static final WordSet SPANS = WordSet.of("year", "years", "month", "months", "decade", "decades", "stint",
      "career", "tenure");
  /** Nouns after an organisation's name ("the X office", "X headquarters", "X employees"). */
  private static final WordSet ORG_AFTER = WordSet.of("office", "offices", "headquarters", "hq", "employees",
      "spokesperson", "spokesman", "spokeswoman", "shareholders", "subsidiary", "subsidiaries", "ceo");
  /** Kinds of organisation after "X is a/an ..." ("X is a branding studio", "X is an insurance company"). */
  private static final WordSet ORG_KINDS = WordSet.of("company", "firm", "agency", "startup", "start-up", "bank",
      "corporation", "nonprofit", "non-profit", "charity", "organisation", "organization", "brand", "retailer",
      "manufacturer", "provider", "consultancy", "publisher", "label", "insurer", "lender", "conglomerate",
      "enterprise", "business", "foundation", "institute", "university", "school", "hospital", "airline",
      "carrier", "distributor", "vendor", "supplier", "developer", "studio", "ngo", "cooperative", "co-op",
      "chain", "franchise", "multinational", "subsidiary", "operator");

  /**
   * Organisations named by their context: "works for X", "employed by X", "joined X", "CEO of X", "two
   * years at X", "the X office", "X employees", "X is an insurance company" ("working with X" and "X board"
   * are too loose to be cues). X is a run of up to four
   * capitalised words, none a known place, not one common word alone, and not a person's name (a known
   * given name, then family names or unknown words).
   */
  private static void employers(TextScan s, boolean[] place, List<PiiEntity> out) {
    int n = s.size;
    for (int i = 1; i < n; i++) {
      if (!s.is(i, TextScan.CAPITALISED | TextScan.ALL_UPPER)) {
        continue;
      }
      int c = i - 1; // the word before the name, skipping "the"
      if (s.lowerIs(c, "the") && c > 0 && s.joined(c - 1)) {
        c--;
      }
      if (!s.joined(c) || !s.is(c, TextScan.LOWER)) {
        continue;
      }
      boolean cued = s.lowerIn(JOIN_VERBS, c);
      if (!cued && c > 0 && s.joined(c - 1)) {
        boolean before = s.is(c - 1, TextScan.LOWER) || s.is(c - 1, TextScan.ALL_UPPER);
        cued = before && ((s.lowerIs(c, "for") || s.lowerIs(c, "at")) && s.lowerIn(WORK_VERBS, c - 1)
            || (s.lowerIs(c, "by") || s.lowerIs(c, "at")) && s.lowerIn(EMPLOY_VERBS, c - 1)
            || (s.lowerIs(c, "of") || s.lowerIs(c, "at")) && s.lowerIn(ROLES, c - 1)
            || s.lowerIs(c, "at") && s.lowerIn(SPANS, c - 1));
      }
      if (!cued) {
        continue;
      }
      int last = orgRun(s, i, place);
      if (last >= 0) {
        addOrg(s, i, last, out);
        i = last;
      }
    }
    // "the X office", "X is an insurance company": the cue follows the name
    for (int j = 1; j < n; j++) {
      if (!s.is(j, TextScan.LOWER)) {
        continue;
      }
      int first;
      if (s.lowerIn(ORG_AFTER, j)) {
        first = j - 1;
      } else if (s.lowerIs(j, "is") && j + 2 < n && s.joined(j) && (s.lowerIs(j + 1, "a") || s.lowerIs(j + 1, "an"))
          && kindSoon(s, j + 2)) {
        first = j - 1;
      } else {
        continue;
      }
      if (!s.joined(first) || !s.is(first, TextScan.CAPITALISED | TextScan.ALL_UPPER)) {
        continue;
      }
      int last = first;
      while (first > 0 && last - first < 3 && s.joined(first - 1)
          && s.is(first - 1, TextScan.CAPITALISED | TextScan.ALL_UPPER) && !s.lowerIn(ORG_STOP, first - 1)) {
        first--;
      }
      if (s.lowerIn(ORG_STOP, first)) {
        first++;
      }
      if (first <= last && orgRun(s, first, place) == last) {
        addOrg(s, first, last, out);
      }
    }
  }

  /** @return true when one of the next four lower-case words from token {@code k} is a kind of organisation */
  private static boolean kindSoon(TextScan s, int k) {
    for (int m = k; m < s.size && m < k + 4; m++) {
      if (s.lowerIn(ORG_KINDS, m)
          || m + 1 < s.size && s.is(m, TextScan.NUMBER) && s.text.startsWith("(c)", s.end[m])) {
        return true; // "a 501(c)3", the US non-profit form
      }
      boolean group = s.is(m, TextScan.CAPITALISED) && s.tokenIn(NRP, m); // "an Icelandic bank"
      if (!(s.is(m, TextScan.LOWER) || group) || !s.joined(m)) {
        return false;
      }
    }
    return false;
  }

  /**
   * @return the last token of the organisation name starting at token {@code i}, or -1 when the run of
   *     capitalised words there is a place, only common words, or a person's name
   */
  private static int orgRun(TextScan s, int i, boolean[] place) {
    if (s.lowerIn(ORG_STOP, i) || s.tokenIn(NEVER_NAME, i) || s.tokenIn(NRP, i)) {
      return -1;
    }
    int last = i;
    while (last + 1 < s.size && last - i < 3 && s.joined(last) && s.start[last + 1] - s.end[last] == 1
        && s.is(last + 1, TextScan.CAPITALISED | TextScan.ALL_UPPER) && !s.tokenIn(NEVER_NAME, last + 1)) {
      last++;
    }
    boolean unknown = false;
    for (int k = i; k <= last; k++) {
      if (place[k]) {
        return -1;
      }
      unknown |= !Gazetteer.common(s, k);
    }
    if (last == i && s.length(i) > 4 && s.lowerToken(i).endsWith("ism")) {
      return -1; // "founder of Sikhism": a movement, not an organisation
    }
    if (!unknown && last == i) {
      return -1; // one common word ("works for Free"); several capitalised ones are a name ("Bright Harbor Logistics")
    }
    if (s.tokenIn(Gazetteer.GIVEN, i)) {
      if (last == i && !s.tokenIn(Gazetteer.FAMILY, i)) {
        return -1; // "works for Anna"
      }
      boolean person = true; // "joined John Smith": a given name, then family names or unknown words
      for (int k = i + 1; k <= last; k++) {
        person &= s.tokenIn(Gazetteer.FAMILY, k) || !Gazetteer.common(s, k);
      }
      if (person && last > i) {
        return -1;
      }
    }
    return last;
  }

  private static void addOrg(TextScan s, int first, int last, List<PiiEntity> out) {
    boolean named = false;
    for (int k = first; k <= last; k++) {
      named |= s.tokenIn(Gazetteer.GIVEN, k) || s.tokenIn(Gazetteer.FAMILY, k);
    }
    // above a person's name from the name lists (0.75), unless the words are such names themselves
    Recognizers.add(out, s.text, PiiTypes.ORGANIZATION, s.start[first], s.end[last], named ? 0.7 : 0.8);
  }

  /**
   * Partnership names, the naming convention of law, accounting and consulting firms: three or more
   * family names in a comma list closed by "and" or "&" ("Hawkins, Richardson and Santana", "Smith,
   * Jones & Brown"). Every member must be a capitalised known family name and at least one of them not
   * also a known given name, so that a list of people by first name ("Anna, Ben and Carla", "Jordan,
   * Taylor and Morgan") stays three persons. Scored above the
   * persons the members would otherwise be, so the firm is one entity.
   */
  private static void partnerships(TextScan s, List<PiiEntity> out) {
    int i = 0;
    while (i < s.size) {
      int last = i;
      int members = 0;
      if (familyOnly(s, i)) {
        members = 1;
        // ", Name" repeated, then " and Name" or " & Name"
        while (last + 1 < s.size && s.gapIs(last, ", ") && familyOnly(s, last + 1)) {
          last++;
          members++;
        }
        if (members >= 2 && last + 2 < s.size && s.gapIs(last, " ") && s.lowerIs(last + 1, "and")
            && s.gapIs(last + 1, " ") && familyOnly(s, last + 2)) {
          last += 2; // "..., Richardson and Santana"
          members++;
        } else if (members >= 2 && last + 1 < s.size && s.gapIs(last, " & ") && familyOnly(s, last + 1)) {
          last++; // "..., Jones & Brown" ("&" is not a token: it is the gap)
          members++;
        } else {
          members = 0; // no closing "and"/"&": a plain list, not a firm
        }
      }
      int surnames = 0; // members that are not also given names
      for (int k = i; members >= 3 && k <= last; k++) {
        if (s.is(k, TextScan.CAPITALISED) && !s.tokenIn(Gazetteer.GIVEN, k)) {
          surnames++;
        }
      }
      if (members >= 3 && surnames >= 1) {
        Recognizers.add(out, s.text, PiiTypes.ORGANIZATION, s.start[i], s.end[last], 0.7);
        i = last + 1;
      } else {
        i++;
      }
    }
  }

  /** @return true for a capitalised token that is a known family name (it may also be a given name) */
  private static boolean familyOnly(TextScan s, int i) {
    return s.is(i, TextScan.CAPITALISED) && s.tokenIn(Gazetteer.FAMILY, i);
  }

  /** Family-name endings across European languages ("-ova", "-sson", "-dóttir", "-wicz", "-escu"). */
  private static final String[] SURNAME_ENDINGS = {"ov", "ova", "ev", "eva", "sky", "ski", "ska", "skaya", "dóttir",
      "dottir", "sson", "ssen", "vić", "vic", "ić", "enko", "escu", "opoulos", "idis", "dze", "shvili", "oglu",
      "oğlu", "czyk", "wicz", "owski", "ewski", "ová", "yan", "uk", "chuk", "ovich", "evich", "ovna", "evna"};
  /** Words joining the members of a list of names ("Anna, Ben and Carla"). */
  private static final WordSet LIST_JOINERS = WordSet.of("and", "or", "und", "oder", "&");

  /** Words after which a capitalised frequent word is a verb or a title, not a name ("Mark the", "Bill of"). */
  private static final WordSet NOT_AFTER_NAME = WordSet.of("the", "a", "an", "this", "that", "these", "those",
      "my", "your", "our", "their", "his", "her", "its", "of", "for", "to", "it", "me", "us", "them", "him", "i",
      "you", "we", "he", "she", "they");
  /** Form-field labels that look like a speaker before a colon ("Name: ...", "Date: ..."). */
  private static final WordSet FIELD_LABELS = WordSet.of("name", "date", "phone", "address", "email", "mail",
      "note", "notes", "subject", "from", "to", "re", "user", "bot", "title", "city", "country", "state", "zip",
      "company", "website", "fax", "mobile", "time", "where", "when", "who", "amount", "total", "status", "type",
      "args", "kwargs", "params", "parameters", "returns", "raises", "yields", "example", "examples", "todo", "usage",
      "input", "output", "question", "answer", "context", "summary", "hint", "tip", "warning", "note", "step");

  private static void persons(TextScan s, boolean[] nameLike, boolean german, List<PiiEntity> out) {
    int n = s.size;
    boolean[] person = new boolean[n];
    int dialogue = -1; // whether the text is a dialogue: 1 or 0, decided on first need
    int i = 0;
    while (i < n) {
      if (!nameLike[i]) {
        i++;
        continue;
      }
      // a run of name-like tokens, initials and particles joined by single spaces
      int last = i;
      int tokens = 1;
      boolean initial = false;
      while (last + 1 < n && s.joined(last) && tokens < 5) {
        int next = last + 1;
        if (nameLike[next]) {
          last = next;
          tokens++;
        } else if ((s.is(next, TextScan.INITIAL) || s.is(next, TextScan.LOWER) && s.lowerIn(PARTICLES, next))
            && s.joined(next) && next + 1 < n && nameLike[next + 1]) {
          initial |= s.is(next, TextScan.INITIAL);
          last = next + 1;
          tokens += 2;
        } else {
          break;
        }
      }
      int hits = 0;
      int strong = 0;
      int names = 0;
      int unknown = 0; // capitalised words in no list at all
      boolean given = false;
      for (int k = i; k <= last; k++) {
        if (!s.is(k, TextScan.CAPITALISED)) {
          continue;
        }
        names++;
        if (s.tokenIn(Gazetteer.GIVEN, k) || s.tokenIn(Gazetteer.FAMILY, k)) {
          hits++;
          given |= k == i && s.tokenIn(Gazetteer.GIVEN, k) && !s.lowerIn(Gazetteer.COMMON, k);
          if (!Gazetteer.common(s, k)) {
            strong++;
          }
        } else if (!Gazetteer.common(s, k)) {
          unknown++;
        }
      }
      // "12 Joaquin Suarez 2906": a name between house numbers is a street, left to the address recognizer
      boolean street = (i > 0 && s.is(i - 1, TextScan.NUMBER) || i > 1 && s.is(i - 2, TextScan.NUMBER))
          && last + 1 < n && s.joined(last) && s.is(last + 1, TextScan.NUMBER);
      double score = 0;
      if (street) {
        score = 0;
      } else if (names >= 2 && names <= 4) {
        if (strong >= 1 || hits >= 2) {
          score = 0.75;
        } else if (initial) {
          score = 0.7; // "Faina D. Yefremova": given name, initial, family name
        } else if (given && unknown >= 1) {
          score = 0.7; // "Mark Quillfeather": a given name that is also a frequent word, then an unknown word
        } else if (surnameEnding(s, last)) {
          score = 0.65;
        }
      } else if (names == 1) {
        boolean mid = midSentence(s, i);
        if (s.tokenIn(NRP, i) && !s.tokenIn(Gazetteer.GIVEN, i)) {
          score = 0; // "a Brazilian", "speaks Polish": a nationality, not a person alone
        } else if (strong == 1) {
          score = 0.6;
        } else if (hits == 1 && ((mid && !german && !verbLike(s, i))
            || speakerLabel(s, i) && !s.lowerIn(FIELD_LABELS, i))
            && !s.lowerIn(Gazetteer.COMMON, i)) {
          // German capitalises every noun, so there a capital inside a sentence says nothing
          score = 0.6; // a frequent word that is also a name, capitalised inside a sentence: "Remember me, Mary?"
        } else if (mid && surnameEnding(s, i)) {
          score = 0.55;
        } else if (given && !mid && subjectVerbNext(s, i)) {
          score = 0.6; // "Grace had said ...", "Scott is a ...": a given name as a sentence's subject
        } else if (hits == 0 && speakerLabel(s, i) && !s.lowerIn(FIELD_LABELS, i) && s.length(i) >= 3
            && (dialogue >= 0 ? dialogue == 1 : (dialogue = dialogue(s) ? 1 : 0) == 1)) {
          score = 0.55; // "Orvik: Not again." in a dialogue of several such lines: an unknown speaker
        }
      }
      if (score > 0) {
        Recognizers.add(out, s.text, PiiTypes.PERSON, s.start[i], s.end[last], score);
        if (i == last) {
          person[i] = true;
        }
      }
      i = last + 1;
    }
    coordinated(s, nameLike, person, out);
  }

  /** "Kónya, Becker and Vasquez": single capitalised tokens listed together with a found name are names too. */
  private static void coordinated(TextScan s, boolean[] nameLike, boolean[] person, List<PiiEntity> out) {
    int n = s.size;
    int i = 0;
    while (i < n) {
      if (!single(s, i, nameLike)) {
        i++;
        continue;
      }
      int last = i;
      boolean any = person[i];
      while (true) {
        int next = listNext(s, last);
        if (next < 0 || !single(s, next, nameLike)) {
          break;
        }
        last = next;
        any |= person[next];
      }
      if (any && last > i) {
        for (int k = i; k <= last; k++) {
          if (!person[k] && single(s, k, nameLike)) {
            Recognizers.add(out, s.text, PiiTypes.PERSON, s.start[k], s.end[k], 0.55);
          }
        }
      }
      i = last + 1;
    }
  }

  /** @return the index of the next list member after token {@code i} (", X", " and X", ", and X"), or -1 */
  private static int listNext(TextScan s, int i) {
    if (i + 1 >= s.size) {
      return -1;
    }
    if (s.gapIs(i, ", ") || s.gapIs(i, " & ")) {
      int k = i + 1;
      if (s.is(k, TextScan.LOWER) && s.lowerIn(LIST_JOINERS, k) && k + 1 < s.size && s.joined(k)) {
        return k + 1;
      }
      return k;
    }
    if (s.gapIs(i, " ") && s.is(i + 1, TextScan.LOWER) && s.lowerIn(LIST_JOINERS, i + 1)
        && i + 2 < s.size && s.joined(i + 1)) {
      return i + 2;
    }
    return -1;
  }

  /** A name-like token standing alone: not joined to another capitalised token on either side. */
  private static boolean single(TextScan s, int i, boolean[] nameLike) {
    return nameLike[i] && !(i > 0 && s.joined(i - 1) && s.is(i - 1, TextScan.CAPITALISED))
        && !(s.joined(i) && s.is(i + 1, TextScan.CAPITALISED));
  }

  /** @return true when token {@code i} (as written) has at least 5 characters and a family-name ending */
  private static boolean surnameEnding(TextScan s, int i) {
    int e = s.end[i];
    int length = e - s.start[i];
    if (length < 5) {
      return false;
    }
    for (String ending : SURNAME_ENDINGS) {
      int l = ending.length();
      if (l <= length && s.text.regionMatches(e - l, ending, 0, l)) {
        return true;
      }
    }
    return false;
  }

  /** Auxiliaries and verbs of saying after a sentence's subject ("Grace had", "Scott is", "Anna said"). */
  private static final WordSet SUBJECT_VERBS = WordSet.of("is", "was", "has", "had", "will", "would", "can",
      "could", "should", "said", "says", "asked", "told", "replied", "wrote", "thinks", "thought", "wants",
      "wanted", "likes", "loves", "lives", "works", "went", "called", "shouted", "added");

  /** @return true when a subject verb follows token {@code i} directly ("Grace had said") */
  private static boolean subjectVerbNext(TextScan s, int i) {
    return i + 1 < s.size && s.gapIs(i, " ") && s.is(i + 1, TextScan.LOWER) && s.lowerIn(SUBJECT_VERBS, i + 1);
  }

  /** @return true when the word after token {@code i} is an article, pronoun or "of": "Mark the list" */
  private static boolean verbLike(TextScan s, int i) {
    return s.joined(i) && s.is(i + 1, TextScan.LOWER) && s.lowerIn(NOT_AFTER_NAME, i + 1);
  }

  /** @return true when token {@code i} is not the first word of a sentence, line or quotation */
  private static boolean midSentence(TextScan s, int i) {
    if (i == 0) {
      return false;
    }
    for (int c = s.end[i - 1]; c < s.start[i]; c++) {
      char ch = s.text.charAt(c);
      if (ch == '.' || ch == '!' || ch == '?' || ch == '\n' || ch == '"' || ch == '“' || ch == ':' || ch == '>'
          || ch == '(' || ch == '-' || ch == '*') {
        return false;
      }
    }
    return true;
  }

  /**
   * @return true when at least two lines of the text start with a capitalised word and a colon (not a form
   *     label): a dialogue ("Anna: ...\nBen: ..."), where an unknown word before the colon is a speaker
   */
  private static boolean dialogue(TextScan s) {
    int speakers = 0;
    for (int k = 0; k < s.size && speakers < 2; k++) {
      if (s.is(k, TextScan.CAPITALISED) && speakerLabel(s, k) && !s.lowerIn(FIELD_LABELS, k)) {
        speakers++;
      }
    }
    return speakers >= 2;
  }

  /** @return true for a line-initial token followed by a colon: a speaker in a dialogue ("Nicole: ...") */
  private static boolean speakerLabel(TextScan s, int i) {
    int e = s.end[i];
    if (e >= s.text.length() || s.text.charAt(e) != ':') {
      return false;
    }
    return lineStart(s, i);
  }

  /** A capitalised token that may be part of a name: not a common word, title, month or known place. */
  private static boolean nameLike(TextScan s, int i, boolean[] place) {
    if (!s.is(i, TextScan.CAPITALISED) || place[i]) {
      return false;
    }
    if (s.tokenIn(NEVER_NAME, i)) {
      return false;
    }
    boolean known = s.tokenIn(Gazetteer.GIVEN, i) || s.tokenIn(Gazetteer.FAMILY, i);
    return known || !Gazetteer.common(s, i);
  }
}
