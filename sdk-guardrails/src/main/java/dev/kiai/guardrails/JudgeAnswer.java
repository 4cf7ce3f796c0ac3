package dev.kiai.guardrails;

import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.error.MalformedResponseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the probability out of a judge's answer. */
final class JudgeAnswer {
  private static final Pattern NUMBER = Pattern.compile("(?<![\\d.])(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(%?)");

  private JudgeAnswer() {}

  /**
   * @param r the judge's response
   * @return the first number in its text, as a probability (a percentage is divided by 100)
   * @throws MalformedResponseException when there is no number or it lies outside 0..1 (0..100 %)
   */
  static double probability(ChatResponse r) {
    String answer = r.text();
    Matcher m = NUMBER.matcher(answer);
    if (m.find()) {
      double p = Double.parseDouble(m.group(1));
      if (!m.group(2).isEmpty()) {
        p /= 100;
      }
      if (p >= 0 && p <= 1) {
        return p;
      }
    }
    throw new MalformedResponseException(r.provider(), r.model(), 200,
        "the injection judge did not answer with a probability within 0..1: '" + abbreviate(answer) + "'",
        answer, false, null);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
