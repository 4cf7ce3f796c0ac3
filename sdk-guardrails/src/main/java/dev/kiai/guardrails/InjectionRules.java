package dev.kiai.guardrails;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The multilingual rule layer (English, German, French, Spanish). Patterns read normalised text (lower
 * case, diacritics folded, see {@link TextNormalizer}). Each rule has a weight; matched weights are
 * combined as a noisy-OR. Written for Kiai from the public descriptions of attack classes (instruction
 * override, role-play jailbreaks, prompt extraction, delimiter and fake-role injection, encoded
 * payloads, instructions addressed to the model inside data); no evaluation prompt was used.
 */
final class InjectionRules {
  private InjectionRules() {}

  /**
   * One rule.
   *
   * @param id reason reported when it matches, {@code category:language}
   * @param weight 0..1
   * @param documentOnly applies only to retrieved documents and tool outputs
   * @param pattern over normalised text
   * @param keywords literal prefixes of the pattern's leading alternatives; when none occurs in the
   *     text the pattern cannot match and is skipped (empty: always run)
   * @param unlessBefore when non-null, a match whose preceding 24 characters end with a match of this
   *     pattern does not count
   */
  record Rule(String id, double weight, boolean documentOnly, Pattern pattern, List<String> keywords,
      Pattern unlessBefore) {

    /**
     * Runs the pattern only where it can start: for a rule with {@link #keywords()}, at the word starts
     * whose word begins with a keyword's first word (anchored, {@code lookingAt}), instead of trying
     * every position of the text. Matches are the same as a {@code find()} over the whole text, because
     * such a pattern begins with {@code \\b} and one of the keywords.
     *
     * @param index the normalised text and its word starts (see {@link WordIndex#of})
     * @return true when the rule matches the text
     */
    boolean matches(WordIndex index) {
      String text = index.text();
      Matcher m = pattern.matcher(text);
      if (keywords.isEmpty()) {
        while (m.find()) {
          if (allowed(text, m.start())) {
            return true;
          }
        }
        return false;
      }
      int[] candidates = index.startsOf(keywords, pattern.pattern().startsWith("\\b"));
      m.useTransparentBounds(true).useAnchoringBounds(false);
      for (int start : candidates) {
        m.region(start, text.length());
        if (m.lookingAt() && allowed(text, start)) {
          return true;
        }
      }
      return false;
    }

    private boolean allowed(String text, int start) {
      return unlessBefore == null
          || !unlessBefore.matcher(text.substring(Math.max(0, start - 24), start)).find();
    }
  }

  /**
   * A normalised text with the start offsets of its words, so that rules can be tried only where one
   * of their keywords begins. A word is a maximal run of letters, digits and {@code _} (what
   * {@code \\b} treats as word characters), so every position where {@code \\b} precedes a word
   * character is a word start here.
   */
  static final class WordIndex {
    private static final int OTHER = 26;
    private static final int BUCKETS = 27 * 27;

    private final String text;
    /** First word start of each bucket (by the word's first two characters), or -1. */
    private final int[] head;
    /** Per word: its start offset, and the next word of the same bucket (or -1). */
    private final int[] starts;
    private final int[] next;

    private WordIndex(String text, int[] head, int[] starts, int[] next) {
      this.text = text;
      this.head = head;
      this.starts = starts;
      this.next = next;
    }

    /** @return the text the index was built from */
    String text() {
      return text;
    }

    private static int slot(char c) {
      return c >= 'a' && c <= 'z' ? c - 'a' : OTHER;
    }

    /** @return the index of a normalised text: one pass, no per-word allocation */
    static WordIndex of(String text) {
      int n = text.length();
      int[] head = new int[BUCKETS];
      java.util.Arrays.fill(head, -1);
      int[] starts = new int[Math.max(8, n / 4)];
      int[] next = new int[starts.length];
      int words = 0;
      int i = 0;
      while (i < n) {
        if (!isWordChar(text.charAt(i))) {
          i++;
          continue;
        }
        int start = i;
        while (i < n && isWordChar(text.charAt(i))) {
          i++;
        }
        if (words == starts.length) {
          starts = java.util.Arrays.copyOf(starts, words * 2);
          next = java.util.Arrays.copyOf(next, words * 2);
        }
        int bucket = slot(text.charAt(start)) * 27 + (i - start > 1 ? slot(text.charAt(start + 1)) : OTHER);
        starts[words] = start;
        next[words] = head[bucket];
        head[bucket] = words;
        words++;
      }
      return new WordIndex(text, head, starts, next);
    }

    static boolean isWordChar(char c) {
      return Character.isLetterOrDigit(c) || c == '_';
    }

    /**
     * @param keywords literal prefixes of a pattern's alternatives
     * @param atWordStart whether the pattern begins with {@code \\b}, so that a keyword that begins
     *     with a word character can only match at a word start
     * @return ascending distinct offsets where a match can start: word starts whose word begins with a
     *     keyword's first word, and every occurrence of a keyword that is not word-anchored
     */
    int[] startsOf(List<String> keywords, boolean atWordStart) {
      int[] out = new int[8];
      int size = 0;
      for (String k : keywords) {
        int end = 0;
        while (end < k.length() && isWordChar(k.charAt(end))) {
          end++;
        }
        if (end == 0 || !atWordStart) {
          for (int at = text.indexOf(k); at >= 0; at = text.indexOf(k, at + 1)) {
            if (size == out.length) {
              out = java.util.Arrays.copyOf(out, size * 2);
            }
            out[size++] = at;
          }
          continue;
        }
        // the keyword's first word is k[0, end): compared in place, no substring per keyword
        int c1 = slot(k.charAt(0));
        int from = end > 1 ? c1 * 27 + slot(k.charAt(1)) : c1 * 27;
        int to = end > 1 ? from : c1 * 27 + 26;
        for (int bucket = from; bucket <= to; bucket++) {
          for (int w = head[bucket]; w >= 0; w = next[w]) {
            if (text.regionMatches(starts[w], k, 0, end)) {
              if (size == out.length) {
                out = java.util.Arrays.copyOf(out, size * 2);
              }
              out[size++] = starts[w];
            }
          }
        }
      }
      int[] sorted = java.util.Arrays.copyOf(out, size);
      java.util.Arrays.sort(sorted);
      int distinct = 0;
      for (int k = 0; k < sorted.length; k++) {
        if (k == 0 || sorted[k] != sorted[k - 1]) {
          sorted[distinct++] = sorted[k];
        }
      }
      return java.util.Arrays.copyOf(sorted, distinct);
    }
  }

  private static Rule r(String id, double weight, String regex) {
    return new Rule(id, weight, false, Pattern.compile(regex), keywords(regex), null);
  }

  /**
   * A rule whose pattern begins with {@code \\b(?:...)} alternatives too complex for {@link #keywords}: the
   * caller lists the first word (or word prefix) of every alternative, so that anchored matching still
   * applies. {@code InjectionRulesAnchoringTest} checks that the result equals a full scan.
   */
  private static Rule r(String id, double weight, String regex, List<String> starts) {
    if (!regex.startsWith("\\b")) {
      throw new IllegalArgumentException("explicit starts need a pattern that begins with \\b: " + regex);
    }
    return new Rule(id, weight, false, Pattern.compile(regex), starts, null);
  }

  private static Rule doc(String id, double weight, String regex) {
    return new Rule(id, weight, true, Pattern.compile(regex), keywords(regex), null);
  }

  /**
   * The literal prefixes of a pattern's leading alternatives — {@code \b(?:a|b|...)}, {@code (?:a|b)},
   * {@code \bword ...} or {@code <literal>...}: every match starts with one of them. Returns an empty
   * list (no pre-filter: the pattern is tried everywhere) for any other shape.
   */
  static List<String> keywords(String regex) {
    String rest = regex.startsWith("\\b") ? regex.substring(2) : regex;
    if (!rest.startsWith("(?:")) {
      if (rest.startsWith("(") || topLevelAlternation(rest)) {
        return List.of();
      }
      String literal = literalPrefix(rest);
      return literal.isEmpty() ? List.of() : List.of(literal);
    }
    String head = rest.substring(3);
    int depth = 0;
    int end = -1;
    for (int i = 0; i < head.length(); i++) {
      char c = head.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        if (depth == 0) {
          end = i;
          break;
        }
        depth--;
      }
    }
    if (end < 0 || (end + 1 < head.length() && "?*{".indexOf(head.charAt(end + 1)) >= 0)) {
      return List.of(); // unclosed, or the whole group is optional
    }
    List<String> out = new java.util.ArrayList<>();
    depth = 0;
    int start = 0;
    String group = head.substring(0, end);
    for (int i = 0; i <= group.length(); i++) {
      char c = i < group.length() ? group.charAt(i) : '|';
      if (c == '\\') {
        i++;
        continue;
      }
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        String literal = literalPrefix(group.substring(start, i));
        if (literal.isEmpty()) {
          return List.of();
        }
        out.add(literal);
        start = i + 1;
      }
    }
    return List.copyOf(out);
  }

  private static boolean topLevelAlternation(String regex) {
    int depth = 0;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        while (i < regex.length() && regex.charAt(i) != ']') {
          i += regex.charAt(i) == '\\' ? 2 : 1;
        }
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The text every match of {@code alternative} starts with: its leading literal characters (an escaped
   * punctuation character counts as literal), shortened by a character that a following {@code ?} or
   * {@code *} makes optional, and extended to the minimum count of a following {@code {n,}}.
   */
  private static String literalPrefix(String alternative) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < alternative.length(); i++) {
      char c = alternative.charAt(i);
      if (c == '\\' && i + 1 < alternative.length() && !Character.isLetterOrDigit(alternative.charAt(i + 1))) {
        sb.append(alternative.charAt(++i));
        continue;
      }
      if ("\\[](){}.*+?|^$".indexOf(c) >= 0) {
        if ((c == '?' || c == '*') && sb.length() > 0) {
          sb.setLength(sb.length() - 1);
        } else if (c == '{' && sb.length() > 0) {
          int close = alternative.indexOf('}', i);
          String min = close < 0 ? "" : alternative.substring(i + 1, close).split(",", -1)[0];
          char last = sb.charAt(sb.length() - 1);
          sb.setLength(sb.length() - 1);
          if (min.matches("\\d{1,2}")) {
            sb.append(String.valueOf(last).repeat(Integer.parseInt(min)));
          }
        }
        break;
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static final String W = "[^.!?\\n]{0,40}?";
  private static final String W2 = "[^.!?\\n]{0,25}?";
  /**
   * Obfuscating transforms of a text (BIPIA's substitution, misspelling, anagram and space-removal
   * classes), as they read before "your answer" ("scramble the letters of your answer").
   */
  private static final String OBFUSCATE = "\\b(?:(?:write|spell|type|print|render|present|read|say|give)\\w* "
      + "(?:it |them |everything )?backwards?\\b|(?:reverse|flip) (?:the )?(?:order of )?(?:the |all |its |each |every )?"
      + "(?:letters|characters|spelling)|anagram\\w*|(?:introduce|add|insert|include|with) (?:some |random |"
      + "deliberate |intentional )?(?:typos|spelling (?:errors|mistakes)|misspellings)|misspell\\w* (?:words|on "
      + "purpose|intentionally|deliberately|at least|every|some|random|one|each)|scrambl\\w*|jumbl\\w*|leetspeak|"
      + "(?:in|into|using|with|apply\\w*|encode\\w*|encrypt\\w*) (?:a |the )?(?:caesar|rot-?13)|"
      + "(?:remove|delete|strip|omit|eliminate) (?:all |every |the |of )*(?:spaces|whitespace|space "
      + "characters|blanks)|without (?:any )?spaces|(?:replace|substitute|swap)\\w* (?:each |every |all |the |some )*"
      + "(?:letters?|vowels?|consonants?)\\b|(?:replace|substitute|swap)\\w* (?:each |every |all |the |some )*"
      + "(?:characters?|words?) (?:with|by|for) (?:numbers|digits|symbols|their|homophones|emojis?)|homophon\\w*|group (?:the )?(?:characters|letters)|(?:numbers|digits|symbols|emojis) "
      + "(?:for|instead of|in place of) (?:the )?(?:vowels|letters|consonants)|(?:vowels|letters|consonants) "
      + "(?:\\w+ ){0,4}?(?:to|into|with|by) (?:numbers|digits|symbols|emojis))";
  /** First words (or word prefixes) of the alternatives of {@link #OBFUSCATE}. */
  private static final List<String> OBFUSCATE_STARTS = List.of("write", "spell", "type", "print", "render",
      "present", "read", "say", "give", "reverse", "flip", "anagram", "introduce", "add", "insert", "include", "with",
      "misspell", "scrambl", "jumbl", "leetspeak", "in", "using", "apply", "encode", "encrypt", "remove", "delete",
      "strip", "omit", "eliminate", "replace", "substitute", "swap", "homophon", "group", "numbers", "digits",
      "symbols", "emojis", "vowels", "letters", "consonants");
  /** The same transforms as they read after "your answer" ("your reply backward", "… in reverse"). */
  private static final String OBFUSCATE_AFTER = "(?:\\bbackwards?\\b|\\bin reverse\\b(?! (?:chronological|"
      + "alphabetical|numerical|order))|\\breversed\\b|" + OBFUSCATE + ")";
  /** Steering the answer to third parties: promoting a brand or urging readers to act. */
  private static final String PROMOTE = "\\b(?:(?:highlight|promot|plug|endors|favou?r|advertis|showcase)\\w* "
      + "(?:\\w+ ){0,3}?(?:brand|product|company|sponsor|service|app|website)s?\\b|(?:encourag|urg|invit|persuad|"
      + "convinc|remind|suggest|motivat|tell)\\w* (?:that )?(?:the )?(?:users?|readers?|people|visitors|customers|viewers|"
      + "audience|everyone|followers)\\b[^.!?\\n]{0,30}?\\b(?:subscribe|sign up|follow|buy|purchase|download|visit|"
      + "click|vote|share|join|register|install|donate|comment)|(?:users?|readers?|visitors|customers|viewers) "
      + "(?:should|must|to) (?:subscribe|sign up|follow|buy|purchase|download|visit|click|vote|share|join|register|"
      + "install|donate)|clickbait|sensational headline)";
  /** First words (or word prefixes) of the alternatives of {@link #PROMOTE}. */
  private static final List<String> PROMOTE_STARTS = List.of("highlight", "promot", "plug", "endors", "favo",
      "advertis", "showcase", "encourag", "urg", "invit", "persuad", "convinc", "remind", "suggest", "motivat", "tell",
      "user", "reader", "visitor", "customer", "viewer", "clickbait", "sensational");

  static final List<Rule> RULES = List.of(
      // --- instruction override ---------------------------------------------------------------------
      r("instruction_override:en", 0.9, "\\b(?:ignore|ignoring|disregard|forget|skip|override|bypass|neglect|"
          + "discard|abandon|do not follow|don'?t follow|do not obey|don'?t obey|stop following|do not listen to|"
          + "don'?t listen to)\\b" + W + "\\b(?:previous|prior|preceding|above|earlier|former|initial|original|"
          + "all|any|every|your|these|those|system|developer|given|old)\\b" + W2 + "\\b(?:instructions?|prompts?|"
          + "rules|directions?|directives?|guidelines|orders|commands|context|programming|constraints|"
          + "restrictions|guardrails|policies|messages|information|text|tasks?)\\b"),
      r("instruction_override:en", 0.8, "\\b(?:forget|ignore|disregard) (?:everything|all(?: of)? that|what)"
          + "(?: (?:you|i) (?:were|was|have been) (?:told|said|instructed))?\\b"),
      r("instruction_override:en", 0.75, "\\b(?:pretend|act as if|imagine|assume) (?:that )?(?:you )?(?:to )?(?:have|had|'ve) "
          + "(?:forgotten|forgot|no memory of|lost)\\b"),
      r("instruction_override:en", 0.6, "\\b(?:new|updated|revised|real|actual|additional|secret|hidden) "
          + "(?:instructions?|rules|task|directives?|orders)\\s*(?::|-|are|is)"),
      r("instruction_override:en", 0.55, "\\bfrom now on\\b" + W + "\\b(?:you (?:are|will|must|shall|should|"
          + "can)|act|respond|answer|reply|behave|only)\\b"),
      r("instruction_override:en", 0.6, "\\b(?:instead|rather),? (?:you (?:must|should|will)|do|just) "
          + "(?:say|output|print|write|respond)\\b"),
      r("instruction_override:de", 0.9, "\\b(?:ignorier\\w*|vergiss|vergessen sie|missacht\\w*|uberg\\w*|"
          + "verwirf|beachte nicht|befolge nicht|hor auf)\\b" + W + "\\b(?:vorherig\\w*|bisherig\\w*|obig\\w*|"
          + "alle\\w*|samtlich\\w*|jeglich\\w*|dein\\w*|ihre\\w*|vorangegangen\\w*|fruher\\w*|system\\w*|"
          + "vorigen?|gegeben\\w*)\\b" + W2
          + "\\b(?:anweisung\\w*|instruktion\\w*|befehl\\w*|regeln|vorgaben|anordnung\\w*|prompts?|"
          + "richtlinien|hinweise|auftrag\\w*|aufgabe\\w*|einschrankung\\w*)\\b"),
      r("instruction_override:de", 0.6, "\\b(?:neue|geanderte|eigentliche|geheime) (?:anweisung\\w*|regeln|"
          + "aufgabe|befehle)\\s*(?::|-|sind|ist|lauten)"),
      r("instruction_override:de", 0.55, "\\b(?:ab (?:jetzt|sofort)|von nun an)\\b" + W + "\\b(?:bist du|"
          + "du bist|antwortest du|sollst du|wirst du|musst du|verhaltst du)\\b"),
      r("instruction_override:fr", 0.9, "\\b(?:ignore[rsz]?|oublie[rsz]?|neglige[rsz]?|ne tiens pas compte)"
          + "\\b" + W + "\\b(?:precedent\\w*|anterieur\\w*|tou\\w*|tes|vos|les|ses|initial\\w*)\\b" + W2
          + "\\b(?:instructions?|consignes?|regles|ordres|directives?|commandes?|prompts?)\\b"),
      r("instruction_override:fr", 0.55, "\\b(?:a partir de maintenant|desormais|dorenavant)\\b" + W
          + "\\b(?:tu es|tu dois|vous etes|vous devez|reponds|repondez)\\b"),
      r("instruction_override:es", 0.9, "\\b(?:ignora\\w*|olvid\\w*|omite|omitir|descarta\\w*|no sigas|"
          + "haz caso omiso)\\b" + W + "\\b(?:anterior\\w*|previa\\w*|toda\\w*|tus|sus|las|los|inicial\\w*)\\b"
          + W2 + "\\b(?:instrucciones|indicaciones|reglas|ordenes|directrices|directivas|comandos|prompts?)\\b"),
      r("instruction_override:es", 0.55, "\\b(?:a partir de ahora|de ahora en adelante|desde ahora)\\b" + W
          + "\\b(?:eres|seras|debes|responde\\w*|actua\\w*)\\b"),

      // --- system-prompt extraction -----------------------------------------------------------------
      r("prompt_extraction:en", 0.8, "\\b(?:reveal|show|print|output|repeat|display|tell me|give me|write out|"
          + "write down|list|share|leak|dump|recite|spell out|translate|summari[sz]e|what (?:is|are|was|were))\\b"
          + W + "\\b(?:your|the above|the previous|the initial|the original|the hidden|the secret|the system|"
          + "the developer|preceding|prior|above|previous|initial|original|hidden|secret|system|developer)"
          + "\\b" + W2 + "\\b(?:system prompt|prompt|instructions|rules|guidelines|directives|configuration|"
          + "system message|initial message|pre-?prompt)s?\\b"),
      r("prompt_extraction:en", 0.75, "\\b(?:repeat|print|output|write|copy)\\b" + W2 + "\\b(?:everything|all|"
          + "the (?:text|words|lines|content)|word for word|verbatim)\\b" + W2 + "\\b(?:above|before|so far|"
          + "preceding|earlier|you were given|in your context)\\b"),
      r("prompt_extraction:en", 0.55, "\\bwhat (?:were|was|have) you (?:told|instructed|programmed|given)\\b"),
      r("prompt_extraction:en", 0.45, "\\b(?:secret|password|passphrase|hidden|code ?word) (?:word|key|phrase)?"
          + W2 + "\\b(?:you (?:know|were given|must not|are not allowed|should not)|not (?:to )?reveal|"
          + "told you)\\b"),
      r("prompt_extraction:en", 0.35, "\\b(?:system prompt|initial prompt|developer message|hidden prompt)\\b"),
      r("prompt_extraction:de", 0.8, "\\b(?:zeig\\w*|gib|nenne?|wiederhol\\w*|verrat\\w*|druck\\w*|schreib\\w*|"
          + "ausgeben|gib aus|liste|wie lautet|was (?:ist|sind|war|waren))\\b" + W + "\\b(?:dein\\w*|ihr\\w*|"
          + "obig\\w*|vorherig\\w*|ursprunglich\\w*|geheim\\w*|versteckt\\w*|system\\w*)\\b" + W2
          + "\\b(?:system-?prompt|prompt|anweisung\\w*|instruktion\\w*|vorgaben|regeln|richtlinien|"
          + "systemnachricht)\\b"),
      r("prompt_extraction:fr", 0.8, "\\b(?:montre\\w*|affiche\\w*|revele\\w*|repete\\w*|donne\\w*|"
          + "ecri\\w*|quelles? (?:sont|est|etaient))\\b" + W + "\\b(?:tes|vos|ton|votre|les|le) (?:instructions|"
          + "consignes|prompt|regles|directives)(?: (?:initiales|precedentes|systeme|cachees|secretes))?\\b"),
      r("prompt_extraction:fr", 0.5, "\\b(?:prompt|invite|message) (?:systeme|initial)\\b"),
      r("prompt_extraction:es", 0.8, "\\b(?:muestra\\w*|revela\\w*|repite\\w*|dime|imprime\\w*|escribe\\w*|"
          + "cuales (?:son|eran)|cual es)\\b" + W + "\\b(?:tus|sus|tu|su|las|el) (?:instrucciones|prompt|"
          + "reglas|directrices|indicaciones)(?: (?:iniciales|anteriores|del sistema|ocultas|secretas))?\\b"),
      r("prompt_extraction:es", 0.5, "\\b(?:prompt|mensaje|instrucciones) del sistema\\b"),

      // --- role-play jailbreaks -----------------------------------------------------------------------
      r("roleplay_jailbreak:en", 0.4, "\\bjailbreak\\w*\\b"),
      r("roleplay_jailbreak:en", 0.6, "\\b(?:can|could|will|may) do anything\\b"),
      r("roleplay_jailbreak:en", 0.6, "\\bnot (?:limited|restricted|bound|constrained) by\\b" + W2
          + "\\b(?:ai|language model|openai|anthropic|rules|policies|guidelines|ethics|restrictions)\\b"),
      r("prompt_extraction:en", 0.7, "\\b(?:repeat|print|reveal|show|output|recite|list|write out)\\b" + W
          + "\\b(?:instructions|rules|prompt|directives)\\b (?:(?:you were |you've been |you have been )?given|"
          + "you (?:were|have been) given|you received|you got|so far|verbatim|word for word)\\b"),
      r("prompt_extraction:en", 0.65, "\\b(?:print|reveal|output|dump|recite|repeat) (?:out )?all (?:of )?(?:the |your )?"
          + "(?:instructions|rules|prompts?)\\b"),
      r("roleplay_jailbreak:en", 0.85, "\\b(?:do anything now|developer mode|dev mode enabled|god mode|"
          + "jailbroken|jail-broken|dan mode|stan mode|dude mode|aim mode|evil (?:confidant|"
          + "assistant|ai|bot|twin)|unfiltered (?:ai|mode|model|assistant|response)|uncensored (?:ai|mode|"
          + "model|assistant|response))\\b"),
      r("roleplay_jailbreak:en", 0.8, "\\b(?:you are|you're|act as|pretend to be|you will be|called|named) "
          + "(?:now )?dan\\b"),
      r("roleplay_jailbreak:en", 0.75, "\\b(?:pretend|act|behave|roleplay|role-play|role play|imagine|simulate|"
          + "you are|you're|respond|answer)\\b" + W + "\\b(?:(?:has|have|with) no|without (?:any )?|free (?:of|from) "
          + "(?:any )?|not bound by (?:any )?|no longer (?:bound by|restricted by|have) (?:any )?)(?:rules|"
          + "restrictions|limits|limitations|filters|ethics|ethical|guidelines|morals|moral|censorship|"
          + "boundaries|policies|content polic\\w+|safety)\\b"),
      r("roleplay_jailbreak:en", 0.7, "\\b(?:you are|you're) (?:now )?(?:no longer|not) (?:bound|restricted|"
          + "limited|an ai|a language model|chatgpt|an assistant|required to follow)\\b"),
      r("roleplay_jailbreak:en", 0.5, "\\b(?:stay|remain|never break|don'?t break|do not break) "
          + "(?:in )?character\\b"),
      r("roleplay_jailbreak:en", 0.6, "\\b(?:ignore|bypass|disable|turn off|without|override) (?:your |all |any |the )?"
          + "(?:ethical|moral|safety|content|openai|anthropic) (?:guidelines|restrictions|filters|constraints|"
          + "policies|rules|programming|training)\\b"),
      r("roleplay_jailbreak:en", 0.65, "\\b(?:developer|dev|god|admin|sudo|debug|maintenance|root) mode\\b" + W2
          + "\\b(?:enabled|activated|on|unlocked)\\b"),
      r("roleplay_jailbreak:en", 0.55, "\\b(?:hypothetical|fictional|imaginary|alternate) (?:ai|model|"
          + "assistant|chatbot|version of you)\\b" + W + "\\b(?:without|with no|that (?:can|will)|unrestricted)\\b"),
      r("roleplay_jailbreak:en", 0.5, "\\bhow would an ai (?:without|with no)\\b"),
      r("roleplay_jailbreak:de", 0.75, "\\b(?:tu so als|tue so als|stell dir vor|spiel\\w* die rolle|"
          + "verhalte dich|antworte|du bist)\\b" + W + "\\b(?:keine|ohne|frei von)\\b" + W2 + "\\b(?:regeln|"
          + "einschrankung\\w*|grenzen|filter\\w*|ethik|moral|zensur|richtlinien|beschrankung\\w*)\\b"),
      r("roleplay_jailbreak:de", 0.6, "\\b(?:du bist|bist du) (?:jetzt|nun|ab sofort|ab jetzt) "
          + "(?:ein\\w* )?(?:uneingeschrankt\\w*|ungefiltert\\w*|unzensiert\\w*|dan|bose\\w*)\\b"),
      r("roleplay_jailbreak:de", 0.6, "\\b(?:entwicklermodus|entwickler-modus|gott-?modus)\\b"),
      r("roleplay_jailbreak:fr", 0.75, "\\b(?:fais semblant|faites semblant|imagine\\w*|joue\\w* le role|"
          + "agis comme|comporte-toi|tu es)\\b" + W + "\\bsans (?:aucune? )?(?:regles?|restrictions?|limites?|"
          + "filtres?|censure|ethique|morale)\\b"),
      r("roleplay_jailbreak:fr", 0.6, "\\bmode (?:developpeur|dieu|sans restriction)\\b"),
      r("roleplay_jailbreak:es", 0.75, "\\b(?:finge|fingir|imagina\\w*|actua como|haz de cuenta|juega\\w* "
          + "el papel|eres)\\b" + W + "\\bsin (?:ningun\\w* )?(?:reglas|restricciones|limites|filtros|censura|"
          + "etica|moral)\\b"),
      r("roleplay_jailbreak:es", 0.6, "\\bmodo (?:desarrollador|dios|sin restricciones)\\b"),

      // --- delimiter and fake-role injection ----------------------------------------------------------
      r("fake_role", 0.85, "<\\|?(?:im_start|im_end|system|endoftext|eot_id|start_header_id|end_header_id)"
          + "\\|?>"),
      r("fake_role", 0.8, "(?:\\[/?(?:inst|sys|system)\\]|<</?sys>>)"),
      r("fake_role", 0.55, "(?m)^\\s*(?:system|assistant|developer|admin|administrator|root)\\s*:\\s*\\S"),
      r("fake_role", 0.6, "\\{\\s*\"?role\"?\\s*:\\s*\"?(?:system|developer)\\b"),
      r("delimiter", 0.6, "(?:#{2,}|={3,}|-{3,}|\\*{3,}|%{3,})\\s*(?:end|begin|start|new|system|admin|"
          + "important|instructions?)\\b"),
      r("delimiter", 0.55, "\\b(?:end|end of) (?:the )?(?:user (?:input|prompt|query|message)|document|context|"
          + "system prompt|instructions|conversation|data)\\b" + W + "\\b(?:new|now|system|instructions?|you "
          + "(?:must|will|should))\\b"),
      r("delimiter", 0.55, "\\b(?:begin|start) (?:of )?(?:the )?(?:new|admin|system|real) (?:instructions?|"
          + "prompt|session|task)\\b"),

      // --- encoded payloads ----------------------------------------------------------------------------
      r("encoded_payload", 0.6, "\\b(?:decode|decipher|decrypt|translate|convert)\\b" + W + "\\b(?:base64|"
          + "base-64|rot-?13|hex|binary|morse|caesar|cipher)\\b" + W + "\\b(?:and|then)\\b" + W2
          + "\\b(?:follow|execute|do|obey|run|perform|act on|carry out)\\b"),
      r("encoded_payload", 0.45, "\\b(?:answer|respond|reply|write) (?:only )?in (?:base64|base-64|base32|"
          + "base16|hex|binary|morse|rot-?13|reverse|backwards?)\\b"),

      // --- manipulation of the model's own answer (BIPIA's task-relevant and targeted classes) ----------
      // obfuscating transforms of "your answer" (reverse, anagram, misspell, substitute letters, remove
      // spaces) and steering it to third parties (promote a brand, urge readers to subscribe or click);
      // ordinary formatting requests ("keep your answer short", "use bullet points") do not match
      r("output_obfuscation:en", 0.55, "\\byour (?:final |next |whole |entire )?(?:response|answer|reply|output|"
          + "responses|answers|replies)\\b[^.!?\\n]{0,60}?" + OBFUSCATE_AFTER),
      r("output_obfuscation:en", 0.55, OBFUSCATE + "[^.!?\\n]{0,60}?\\byour (?:final |next |whole |entire )?"
          + "(?:response|answer|reply|output|responses|answers|replies)\\b", OBFUSCATE_STARTS),
      r("response_promotion:en", 0.55, "\\byour (?:final |next )?(?:response|answer|reply|output|responses|answers|"
          + "replies)\\b[^.!?\\n]{0,60}?" + PROMOTE),
      r("response_promotion:en", 0.55, PROMOTE + "[^.!?\\n]{0,60}?\\byour (?:final |next )?(?:response|answer|reply|"
          + "output|responses|answers|replies)\\b", PROMOTE_STARTS),

      // --- instructions addressed to the model inside a document or tool output -----------------------
      doc("addressed_instruction", 0.75, "\\b(?:provide|write|translate|modify|add|include|insert|incorporate|"
          + "integrate|embed|append|use|utili[sz]e|employ|give|enhance|format|encode|rewrite|end|start|begin|"
          + "mention|highlight|change|convert|make|ensure|develop|introduce|put|present|display|output|"
          + "express|deliver|conclude|finish|respond|reply|answer|render|recommend|suggest|promote|advertise|"
          + "remember|validate|inject|place|advise|tell)\\w*\\b" + "[^.!?\\n]{0,80}?" + "\\byour (?:response|responses|"
          + "answer|answers|reply|replies|output|message|elucidation|explanation|solution|implementation|code|"
          + "codebase|algorithm|summary|program|script|function|project|work|text|translation|result)\\b"),
      doc("addressed_instruction", 0.6, "\\b(?:in|within|into|to|throughout|for) your (?:response|answer|reply|"
          + "output|elucidation|explanation|solution|implementation|code|codebase|algorithm|summary|program)\\b"),
      doc("addressed_instruction", 0.7, "\\b(?:ai|assistant|chatbot|language model|llm|gpt|chatgpt|claude|"
          + "copilot|bot|model)\\b" + W2 + "\\b(?:must|should|shall|needs? to|is required to|has to|will now)\\b"),
      doc("addressed_instruction", 0.7, "\\b(?:when|if|while|before|after) (?:you|the assistant|the ai|the model)"
          + " (?:summari[sz]e|read|process|answer|respond|reply|see|parse|analy[sz]e)\\b"),
      doc("addressed_instruction", 0.6, "\\b(?:the following|this|the below|the subsequent|below) (?:code "
          + "(?:snippet|block|section|excerpt|fragment)|snippet|instruction)\\b"),
      doc("addressed_instruction", 0.5, "\\b(?:respond|reply|answer|write|output) (?:only )?(?:in|with|using) "
          + "(?:a |an )?(?:different|another|the following|\\w+ language|emojis?|reverse|backwards?|uppercase|"
          + "capital letters)\\b"),
      new Rule("addressed_instruction", 0.6, true, Pattern.compile("\\byour (?:response|answer|reply|output|"
          + "responses|answers|replies|message)(?:'s)?\\b"), List.of("your "),
          Pattern.compile("(?:thank you for|thanks for|appreciate|forward to|awaiting|await|receiving|for) $")),
      doc("embedded_task", 0.55, "(?:^|[.!?:\\n|]\\s*)(?:please |kindly |now |also )?(?:explain|describe|write|"
          + "draft|compose|provide|translate|summari[sz]e|list|generate|create|develop|tell me|suggest|recommend|"
          + "calculate|solve|remove|replace|scramble|jumble|reverse|convert|define|outline|compare|analy[sz]e|"
          + "give me|help me|teach me|show me|design|implement|rewrite|rephrase|paraphrase|encode|spell|count|"
          + "sort|insert|append|prepend|capitali[sz]e)\\b[^.!?\\n]{3,}"),
      doc("embedded_question", 0.5, "(?:^|[.!?:\\n|]\\s*)(?:what|who|when|where|why|how|which)(?:'s| is| are| was|"
          + " were| do| does| did| can| could| would| should)\\b[^?\\n]{3,120}\\?"),
      doc("addressed_instruction:de", 0.7, "\\b(?:in|bei) (?:deiner|ihrer) (?:antwort|zusammenfassung|ausgabe)\\b"),
      doc("addressed_instruction:fr", 0.7, "\\bdans (?:ta|votre) (?:reponse|resume|sortie)\\b"),
      doc("addressed_instruction:es", 0.7, "\\ben (?:tu|su) (?:respuesta|resumen|salida)\\b"));
}
