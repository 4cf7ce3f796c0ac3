package dev.kiai.benchmarks;

import dev.kiai.guardrails.ContentSource;
import dev.kiai.guardrails.InjectionDetector;
import dev.kiai.guardrails.InjectionVerdict;
import dev.kiai.guardrails.PiiDetector;
import dev.kiai.guardrails.PiiEntity;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Guardrail latency on a 2 KB prompt (English and German, with e-mail, phone, IBAN and name): the
 * injection rule layer, PII detection, both together, and a baseline measured in the same run — one
 * precompiled case-insensitive regular expression searched over the same text (what a naive blocklist
 * costs). Sample-time mode, so the report includes p99.
 *
 * <p>Run: {@code java -jar benchmarks/target/kiai-benchmarks.jar GuardrailsBenchmark -t 1}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class GuardrailsBenchmark {
  static final String PARAGRAPH_EN = "Hello support team, I am writing about my last invoice. My name is Maria "
      + "Gonzalez and you can reach me at maria.gonzalez@example.es or on +34 612 345 678. The payment went "
      + "from my account ES91 2100 0418 4502 0005 1332 last Tuesday, but the order still shows as open. "
      + "Could you please check what happened and tell me when the parcel will arrive? ";
  static final String PARAGRAPH_DE = "Hallo, ich habe eine Frage zu meiner Bestellung. Die Lieferung sollte an "
      + "die Hauptstraße 12, 10115 Berlin gehen, kam aber nie an. Bitte rufen Sie mich unter 030 12345678 an "
      + "oder schreiben Sie mir. Vielen Dank für Ihre Hilfe und einen schönen Tag noch. ";

  /** The 2 KB prompt. */
  String prompt;
  InjectionDetector injection;
  PiiDetector pii;
  Pattern baseline;

  /** @return the 2 KB prompt: the English and German paragraphs repeated, cut at 2,048 characters */
  static String prompt2k() {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 2048) {
      sb.append(PARAGRAPH_EN).append(PARAGRAPH_DE);
    }
    return sb.substring(0, 2048);
  }

  @Setup
  public void setup() {
    prompt = prompt2k();
    injection = InjectionDetector.defaults();
    pii = PiiDetector.builder().build();
    baseline = Pattern.compile("(?i)ignore (all )?previous instructions");
  }

  /** @return whether the baseline pattern matched */
  @Benchmark
  public boolean baselineSingleRegex() {
    return baseline.matcher(prompt).find();
  }

  /** @return the injection verdict of the rule layer (normalisation + rules) */
  @Benchmark
  public InjectionVerdict injectionRules() {
    return injection.scan(prompt, ContentSource.USER);
  }

  /** @return the PII entities */
  @Benchmark
  public List<PiiEntity> piiDetect() {
    return pii.detect(prompt);
  }

  /** @return the number of findings of both */
  @Benchmark
  public int rulesPlusPii() {
    return injection.scan(prompt, ContentSource.USER).reasons().size() + pii.detect(prompt).size();
  }
}
