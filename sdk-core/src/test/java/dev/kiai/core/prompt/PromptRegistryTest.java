package dev.kiai.core.prompt;

import static dev.kiai.core.prompt.PromptFixtures.copy;
import static dev.kiai.core.prompt.PromptFixtures.fixture;
import static dev.kiai.core.prompt.PromptFixtures.read;
import static dev.kiai.core.prompt.PromptFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ResponseFormat;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.core.error.TemplateException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptRegistryTest {
  private final PromptRegistry registry = PromptRegistry.fromDirectory(fixture("valid"));

  @TempDir
  Path tmp;

  @Test
  void loadsEveryVersionRecursively() {
    assertThat(registry.ids()).containsExactly("classify", "summarize");
    assertThat(registry.versions("summarize")).extracting(t -> t.version().toString())
        .containsExactly("1.0.0", "1.1.0", "1.2.0-draft");
    assertThat(registry.templates()).hasSize(5);

    PromptTemplate t = registry.get("summarize@1.0.0");
    assertThat(t.description()).isEqualTo("Summarise a support ticket.");
    assertThat(t.system()).isEqualTo("You are a concise assistant. Answer in {{ language }}.");
    assertThat(t.text()).isEqualTo("Summarise the following ticket in at most {{max_words}} words:\n{{ticket}}");
    assertThat(t.variables()).containsExactly(
        new PromptVariable("ticket", true, null, "the ticket body"),
        new PromptVariable("language", false, "English", null),
        new PromptVariable("max_words", false, "80", null));
    assertThat(t.modelHints()).isEqualTo(new ModelHints(List.of("gpt-4o-mini", "claude-3-5-haiku"), 0.2, 400));
    assertThat(t.metadata()).containsExactly(Map.entry("owner", "support-team"), Map.entry("ticket", "KIAI-12"));
    assertThat(registry.get("summarize@1.1.0").variables()).extracting(PromptVariable::name)
        .containsExactly("ticket", "tier", "language", "max_words");
  }

  @Test
  void jsonFileWithSchemaRendersToStructuredRequest() {
    ChatRequest request = registry.get("classify@prod").render(Map.of("message", "It crashes")).toRequest();

    assertThat(request.lastUserText())
        .isEqualTo("Classify this message as one of bug, question, praise: It crashes");
    assertThat(request.responseFormat().type()).isEqualTo(ResponseFormat.Type.JSON_SCHEMA);
    assertThat(request.responseFormat().schema()).isEqualTo("{\"type\":\"object\",\"properties\":{\"label\":"
        + "{\"type\":\"string\"},\"confidence\":{\"type\":\"number\"}},\"required\":[\"label\"]}");
    assertThat(request.temperature()).isEqualTo(0.0);
    assertThat(request.context().template()).hasToString("classify@1.0.0");
  }

  @Test
  void resolvesVersionsLabelsAndLatest() {
    assertThat(registry.get("summarize@prod").version()).hasToString("1.0.0");
    assertThat(registry.get("summarize@canary").version()).hasToString("1.1.0");
    assertThat(registry.get(new TemplateRef("summarize", "1.2.0-draft")).version().isPreRelease()).isTrue();
    assertThat(registry.latest("summarize").version()).hasToString("1.1.0");
    assertThat(registry.get("summarize@latest")).isSameAs(registry.latest("summarize"));
    assertThat(registry.get("classify@prod").version()).hasToString("1.0.0");
    assertThat(registry.latest("classify").version()).hasToString("2.0.0");
    assertThat(registry.labels("summarize")).containsExactly(
        Map.entry("canary", SemVer.parse("1.1.0")), Map.entry("prod", SemVer.parse("1.0.0")));
    assertThat(registry.canaryPercent("summarize")).isEqualTo(10);
    assertThat(registry.canaryPercent("classify")).isZero();
  }

  @Test
  void unknownIdVersionOrLabelNamesWhatExists() {
    assertThatThrownBy(() -> registry.get("summary@1.0.0"))
        .isInstanceOf(TemplateException.class)
        .hasMessage("template summary@1.0.0: unknown template id 'summary'; known ids: classify, summarize");
    assertThatThrownBy(() -> registry.get("summarize@1.3.0"))
        .isInstanceOf(TemplateException.class)
        .hasMessage("template summarize@1.3.0: no version 1.3.0 of summarize; versions: 1.0.0, 1.1.0, 1.2.0-draft");
    assertThatThrownBy(() -> registry.get("summarize@beta"))
        .isInstanceOf(TemplateException.class)
        .hasMessage("template summarize@beta: no label 'beta' for summarize; labels: canary, prod;"
            + " versions: 1.0.0, 1.1.0, 1.2.0-draft");
    assertThatThrownBy(() -> registry.latest("nope"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("unknown template id 'nope'");
    PromptRegistry drafts = PromptRegistry.of(List.of(template("d", "1.0.0-draft")));
    assertThatThrownBy(() -> drafts.latest("d"))
        .hasMessage("template d@latest: d has no released version, only pre-releases: 1.0.0-draft");
  }

  @Test
  void canaryRolloutIsStickyAndProportional() {
    int canary = 0;
    for (int i = 0; i < 10_000; i++) {
      RolloutDecision decision = registry.select("summarize", "user-" + i);
      assertThat(registry.select("summarize", "user-" + i)).isEqualTo(decision);
      if (decision.canary()) {
        canary++;
        assertThat(decision.ref()).hasToString("summarize@1.1.0");
        assertThat(decision.bucket()).isLessThan(10);
      } else {
        assertThat(decision.label()).isEqualTo("prod");
        assertThat(decision.ref()).hasToString("summarize@1.0.0");
        assertThat(decision.bucket()).isGreaterThanOrEqualTo(10);
      }
    }
    assertThat(canary).isBetween(850, 1150);
  }

  @Test
  void rolloutExplainsItsDecision() {
    RolloutDecision decision = registry.select("summarize", "alice");
    assertThat(decision.canaryPercent()).isEqualTo(10);
    assertThat(decision.reason()).isEqualTo(decision.canary()
        ? "bucket " + decision.bucket() + " is below canary_percent 10, so canary 1.1.0"
        : "bucket " + decision.bucket() + " is not below canary_percent 10, so prod 1.0.0");

    RolloutDecision classify = registry.select("classify", "alice");
    assertThat(classify.label()).isEqualTo("prod");
    assertThat(classify.reason()).isEqualTo("no canary rollout for classify, so prod 1.0.0");

    PromptRegistry unlabelled = PromptRegistry.of(List.of(template("x", "1.0.0"), template("x", "1.1.0")));
    RolloutDecision latest = unlabelled.select("x", "alice");
    assertThat(latest.label()).isEqualTo("latest");
    assertThat(latest.ref()).hasToString("x@1.1.0");
    assertThat(latest.reason()).isEqualTo("no canary rollout for x and no prod label, so the latest release 1.1.0");
  }

  @Test
  void zeroAndHundredPercentAreExact() {
    PromptRegistry none = rollout(0);
    PromptRegistry all = rollout(100);
    for (int i = 0; i < 2_000; i++) {
      assertThat(none.select("x", "u" + i).ref()).hasToString("x@1.0.0");
      assertThat(all.select("x", "u" + i).ref()).hasToString("x@1.1.0");
    }
  }

  @Test
  void bucketsAreIndependentPerTemplateId() {
    long same = IntStream.range(0, 1_000)
        .filter(i -> PromptRegistry.bucket("a", "u" + i) == PromptRegistry.bucket("b", "u" + i))
        .count();
    assertThat(same).isLessThan(50);
  }

  private static PromptRegistry rollout(int percent) {
    return PromptRegistry.builder()
        .add(template("x", "1.0.0"))
        .add(template("x", "1.1.0"))
        .label("x", "prod", SemVer.parse("1.0.0"))
        .label("x", "canary", SemVer.parse("1.1.0"))
        .canaryPercent("x", percent)
        .build();
  }

  @Test
  void builderRejectsConflictsAndDanglingLabels() {
    PromptTemplate prod = template("x", "1.0.0").toBuilder().labels(List.of("prod")).build();
    PromptRegistry.Builder b = PromptRegistry.builder().add(prod);

    assertThatThrownBy(() -> b.add(prod)).isInstanceOf(ConfigurationException.class)
        .hasMessage("duplicate x@1.0.0");
    assertThatThrownBy(() -> b.label("x", "prod", SemVer.parse("1.1.0")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("label 'prod' of x is assigned to both 1.0.0 and 1.1.0");
    assertThatThrownBy(() -> b.add(template("x", "2.0.0").toBuilder().labels(List.of("prod")).build()))
        .hasMessage("label 'prod' of x is assigned to both 1.0.0 and 2.0.0");
    assertThat(b.label("x", "prod", SemVer.parse("1.0.0")).build().versions("x")).hasSize(1);
    assertThatThrownBy(() -> b.canaryPercent("x", 101)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("canary_percent of x must be an integer from 0 to 100, was 101");
    assertThatThrownBy(() -> PromptRegistry.builder().add(prod).canaryPercent("x", 5)
        .label("x", "beta", SemVer.parse("3.0.0")).label("y", "prod", SemVer.parse("1.0.0")).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("invalid prompt registry: label 'beta' of x points to 3.0.0, which does not exist;"
            + " versions: 1.0.0; labels for unknown template 'y'; canary_percent of x needs a 'canary' label");
  }

  @Test
  void conflictingLabelAssignmentInFilesFailsLoading() {
    Path dir = copy("valid", tmp);
    write(dir.resolve("summarize/1.1.0.yaml"), read(dir.resolve("summarize/1.1.0.yaml")) + "labels: [prod]\n");

    assertThatThrownBy(() -> PromptRegistry.fromDirectory(dir))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("labels.yaml: label 'prod' of summarize is assigned to both 1.1.0 and 1.0.0");
  }

  @Test
  void unknownTopLevelFieldNamesFileAndField() {
    write(tmp.resolve("greet/1.0.0.yaml"), "id: greet\nversion: 1.0.0\ntext: Hi\ntemprature: 0.3\n");

    assertThatThrownBy(() -> PromptRegistry.fromDirectory(tmp))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("cannot load prompt templates from " + tmp + " (1 error):\n"
            + "  greet/1.0.0.yaml: unknown field 'temprature' (known fields: id, version, description, system,"
            + " text, variables, output_schema, model_hints, labels, metadata)");
  }

  @Test
  void malformedYamlNamesFileAndLine() {
    assertThatThrownBy(() -> PromptRegistry.fromDirectory(fixture("malformed")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageEndingWith(
            "(1 error):\n  broken/1.0.0.yaml: malformed YAML at line 4, column 12: mapping values are not allowed here");
  }

  @Test
  void contentHashIgnoresFileFormatting() {
    write(tmp.resolve("block/summarize/1.0.0.yaml"), """
        # block style, list-form variables
        id: summarize
        version: 1.0.0
        description: first wording of the description
        text: |
          Summarise {{ticket}}
          in {{ language }}.
        variables:
          - name: ticket
            required: true
            description: the body
          - name: language
            default: English
        model_hints:
          temperature: 0.2
          models: [m1]
        """);
    write(tmp.resolve("flow/summarize/1.0.0.yml"), """
        model_hints: {models: ["m1"], temperature: 0.20}
        variables:
          language: {default: "English", description: other words}
          ticket: {required: true}
        text: "Summarise {{ticket}}\\nin {{language}}."
        version: "1.0.0"
        id: 'summarize'
        metadata: {owner: someone}
        """);
    write(tmp.resolve("json/summarize/1.0.0.json"), """
        {"version": "1.0.0", "id": "summarize",
         "text": "Summarise {{ticket}}\\nin {{language}}.\\n",
         "variables": [{"name": "language", "default": "English"}, {"name": "ticket", "required": true}],
         "model_hints": {"temperature": 0.2, "models": ["m1"]}}
        """);
    write(tmp.resolve("edited/summarize/1.0.0.yaml"), read(tmp.resolve("block/summarize/1.0.0.yaml"))
        .replace("Summarise", "Summarize"));

    String block = PromptRegistry.fromDirectory(tmp.resolve("block")).get("summarize@1.0.0").contentHash();
    assertThat(PromptRegistry.fromDirectory(tmp.resolve("flow")).get("summarize@1.0.0").contentHash())
        .isEqualTo(block);
    assertThat(PromptRegistry.fromDirectory(tmp.resolve("json")).get("summarize@1.0.0").contentHash())
        .isEqualTo(block);
    assertThat(PromptRegistry.fromDirectory(tmp.resolve("edited")).get("summarize@1.0.0").contentHash())
        .isNotEqualTo(block);
  }

  @Test
  void changedReleasedVersionFailsLoadingNamingIt() {
    Path dir = copy("valid", tmp);
    Path file = dir.resolve("summarize/1.0.0.yaml");
    write(file, read(file).replace("at most", "no more than"));
    Path classify = dir.resolve("classify/2.0.0.yaml");
    write(classify, read(classify).replace("Classify:", "Classify this:"));

    assertThatThrownBy(() -> PromptRegistry.fromDirectory(dir))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("(2 errors)")
        .hasMessageContaining("classify/2.0.0.yaml: classify@2.0.0 changed since it was locked")
        .hasMessageContaining("summarize/1.0.0.yaml: summarize@1.0.0 changed since it was locked "
            + "(prompts.lock has sha256:36b790fd8f17...")
        .hasMessageContaining("released versions are immutable, release the change as a new version");
    assertThat(PromptRegistry.fromDirectory(dir, PromptRegistry.LockCheck.SKIP).get("summarize@1.0.0").text())
        .contains("no more than");
  }

  @Test
  void unlockedNewVersionsAndPreReleasesMayChange() {
    Path dir = copy("valid", tmp);
    Path draft = dir.resolve("summarize/1.2.0-draft.yaml");
    write(draft, read(draft).replace("Draft:", "Draft 2:"));
    write(dir.resolve("summarize/1.3.0.yaml"), "id: summarize\nversion: 1.3.0\ntext: New\n");

    PromptRegistry loaded = PromptRegistry.fromDirectory(dir);

    assertThat(loaded.latest("summarize").version()).hasToString("1.3.0");
    assertThat(loaded.get("summarize@1.2.0-draft").text()).startsWith("Draft 2:");
  }

  @Test
  void missingDirectoryIsAConfigurationError() {
    assertThatThrownBy(() -> PromptRegistry.fromDirectory(tmp.resolve("nope")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void isSafeToShareBetweenThreads() throws Exception {
    List<Thread> threads = new ArrayList<>();
    Map<String, String> seen = new ConcurrentHashMap<>();
    AtomicInteger failures = new AtomicInteger();
    for (int t = 0; t < 4; t++) {
      threads.add(new Thread(() -> {
        for (int i = 0; i < 2_000; i++) {
          String ref = registry.select("summarize", "user-" + i).ref().toString();
          if (!ref.equals(seen.computeIfAbsent("user-" + i, k -> ref))) {
            failures.incrementAndGet();
          }
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).hasValue(0);
  }

  static PromptTemplate template(String id, String version) {
    return PromptTemplate.builder().id(id).version(version).text("Hello from " + id + " " + version).build();
  }
}
