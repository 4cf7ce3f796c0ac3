package dev.kiai.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiai.router.RoutingCurve;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteCommandTest {

  /** Maths prompts defeat the weak model 90 % of the time, trivia prompts 5 %. */
  private static Path outcomes(Path dir, String name, int n, long seed) throws IOException {
    Random rnd = new Random(seed);
    StringBuilder sb = new StringBuilder();
    String[] hard = {"prove the theorem on integrals", "compute the derivative of the integral",
        "solve the differential equation"};
    String[] easy = {"name the capital city of the country", "which colour is the summer sky",
        "what animal says woof"};
    for (int i = 0; i < n; i++) {
      boolean isHard = i % 2 == 0;
      String prompt = (isHard ? hard : easy)[rnd.nextInt(3)] + " number " + i;
      boolean weakOk = isHard ? rnd.nextDouble() < 0.1 : rnd.nextDouble() < 0.95;
      sb.append("{\"prompt\":\"").append(prompt).append("\",\"subject\":\"").append(isHard ? "maths" : "trivia")
          .append(i % 3).append("\",\"outcomes\":{\"small\":").append(weakOk).append(",\"big\":true}}\n");
    }
    Path file = dir.resolve(name);
    Files.writeString(file, sb.toString());
    return file;
  }

  private static Path train(Path dir) throws IOException {
    Path router = dir.resolve("router.json");
    CliRun r = CliRun.run("", "route", "train", "--in", outcomes(dir, "train.jsonl", 300, 1).toString(),
        "--strong", "big", "--weak", "small", "--out", router.toString(), "--dims", "256");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("{\"router\":\"" + router + "\",\"examples\":300,"
        + "\"embedding_model\":\"kiai-hashed-lexical-v1-256\",\"method\":\"logistic\",\"target\":\"as-good\","
        + "\"calibration_folds\":\"random\",\"calibration_apgr\":0.");
    return router;
  }

  @Test
  void trainThenDecideByPremiumShareSendsTheHardestPromptsToTheStrongModel(@TempDir Path dir) throws IOException {
    Path router = train(dir);
    String in = """
        {"id":1,"prompt":"prove the theorem on integrals number 9001"}
        {"id":2,"prompt":"what animal says woof number 9002"}
        {"id":3,"prompt":"solve the differential equation number 9003"}
        {"id":4,"prompt":"which colour is the summer sky number 9004"}
        {"id":5}
        not json
        """;
    CliRun r = CliRun.run(in, "route", "decide", "--router", router.toString(), "--premium-share", "0.5");
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = r.outLines();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).startsWith("{\"id\":1,\"model\":\"big\",\"score\":0.");
    assertThat(lines.get(1)).startsWith("{\"id\":2,\"model\":\"small\",\"score\":0.");
    assertThat(lines.get(2)).startsWith("{\"id\":3,\"model\":\"big\",\"score\":0.");
    assertThat(lines.get(3)).startsWith("{\"id\":4,\"model\":\"small\",\"score\":0.");
    assertThat(lines.get(4)).isEqualTo("{\"id\":5,\"error\":\"missing \\\"prompt\\\" (a string)\"}");
    assertThat(lines.get(5)).startsWith("{\"id\":null,\"error\":\"line 6: malformed JSON");
    assertThat(r.err()).contains("kiai route decide: 6 lines, 4 ok, 2 errors");

    CliRun all = CliRun.run(in, "route", "decide", "--router", router.toString(), "--threshold", "1.01");
    assertThat(all.outLines().subList(0, 4)).allMatch(l -> l.contains("\"model\":\"big\""));
  }

  @Test
  void usageErrorsExitWithTwo(@TempDir Path dir) throws IOException {
    Path router = train(dir);
    CliRun both = CliRun.run("", "route", "decide", "--router", router.toString(), "--premium-share", "0.5",
        "--threshold", "0.5");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
    CliRun neither = CliRun.run("", "route", "decide", "--router", router.toString());
    assertThat(neither.exitCode()).isEqualTo(2);
    CliRun missing = CliRun.run("", "route", "decide", "--router", dir.resolve("nope.json").toString(),
        "--threshold", "0.5");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("router file not found: " + dir.resolve("nope.json"));
    CliRun badShare = CliRun.run("", "route", "decide", "--router", router.toString(), "--premium-share", "2");
    assertThat(badShare.exitCode()).isEqualTo(2);
    assertThat(badShare.err()).contains("--premium-share must be within 0..1, was 2.0");
    CliRun badMethod = CliRun.run("", "route", "train", "--in", router.toString(), "--strong", "a", "--weak", "b",
        "--out", dir.resolve("x.json").toString(), "--method", "forest");
    assertThat(badMethod.exitCode()).isEqualTo(2);
    assertThat(badMethod.err()).contains("--method must be logistic, knn or blend, was forest");
  }

  @Test
  void benchReportsRouterAndRandomFiguresAndWritesTheCurve(@TempDir Path dir) throws IOException {
    Path router = train(dir);
    Path test = outcomes(dir, "test.jsonl", 200, 2);
    Path csv = dir.resolve("curve.csv");
    CliRun r = CliRun.run("", "route", "bench", "--router", router.toString(), "--in", test.toString(),
        "--curve", csv.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("prompts          200 from " + test)
        .contains("strong quality   1.0000  (big)")
        .contains("APGR             0.")
        .contains("CPT(50%)")
        .contains("CPT(80%)")
        .contains("share for 95%");
    String apgr = r.outLines().stream().filter(l -> l.startsWith("APGR")).findFirst().orElseThrow();
    double routerApgr = Double.parseDouble(apgr.split("\\s+")[1]);
    double randomApgr = Double.parseDouble(apgr.split("\\s+")[2]);
    assertThat(routerApgr).isGreaterThan(0.68);
    assertThat(randomApgr).isBetween(0.4, 0.6);
    List<String> rows = Files.readAllLines(csv);
    assertThat(rows).hasSize(102);
    assertThat(rows.get(0)).isEqualTo("premium_share,quality,pgr,random_quality");
    assertThat(rows.get(101)).startsWith("1.00,1.00000,1.00000,1.00000");
  }

  @Test
  void benchPrintsTheLongestFirstBaselineAndTheKnownGroupBound(@TempDir Path dir) throws IOException {
    Path router = train(dir);
    Path test = outcomes(dir, "test.jsonl", 200, 2);
    CliRun r = CliRun.run("", "route", "bench", "--router", router.toString(), "--in", test.toString(),
        "--oracle-by", "subject");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("baselines        APGR     share for 95%")
        .contains("longest first    0.")
        .contains("known subject    ")
        .contains("(bound: each subject's true mean gain known, router order within it)");
    CliRun noField = CliRun.run("", "route", "bench", "--router", router.toString(), "--in", test.toString(),
        "--oracle-by", "topic");
    assertThat(noField.exitCode()).isEqualTo(2);
    assertThat(noField.err()).contains("line 1: missing \"topic\" (--oracle-by)");
  }

  @Test
  void groupBoundRanksGroupsByTrueGainThenByTheRoutersScore() {
    // group b: strong right, weak wrong (gain 1); group a: both right (gain 0)
    double[] s = RouteCommand.Bench.groupBound(List.of("a", "a", "b", "b"), new double[] {0.1, 0.9, 0.8, 0.2},
        new double[] {1, 1, 0, 0}, new double[] {1, 1, 1, 1});
    assertThat(s).containsExactly(2.1, 2.9, 0.8, 0.2);
    assertThat(RouteCommand.Bench.longestFirst(List.of("ab", "abcd", ""))).containsExactly(-2, -4, 0);
    RoutingCurve c = RoutingCurve.of(s, new double[] {1, 1, 0, 0}, new double[] {1, 1, 1, 1});
    assertThat(c.premiumShareForQuality(1.0)).isEqualTo(0.5);
  }

  @Test
  void splitHoldsOutWholeGroupsReproducibly(@TempDir Path dir) throws IOException {
    Path in = outcomes(dir, "all.jsonl", 60, 3);
    CliRun r = CliRun.run("", "route", "split", "--in", in.toString(), "--by", "subject", "--holdout", "0.34",
        "--seed", "7", "--train-out", dir.resolve("a.jsonl").toString(), "--test-out",
        dir.resolve("b.jsonl").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("held out 2 of 6 groups by subject (seed 7): ");
    List<String> train = Files.readAllLines(dir.resolve("a.jsonl"));
    List<String> test = Files.readAllLines(dir.resolve("b.jsonl"));
    assertThat(train.size() + test.size()).isEqualTo(60);
    assertThat(test).hasSize(20);
    CliRun again = CliRun.run("", "route", "split", "--in", in.toString(), "--holdout", "0.34", "--seed", "7",
        "--train-out", dir.resolve("c.jsonl").toString(), "--test-out", dir.resolve("d.jsonl").toString());
    assertThat(again.out()).isEqualTo(r.out());
    for (String line : test) {
      assertThat(train).noneMatch(t -> t.contains(line.substring(line.indexOf("\"subject\""))));
    }
  }

  @Test
  void trainsAndDecidesWithTheInProcessMiniLmEmbeddings(@TempDir Path dir) throws IOException {
    Path router = dir.resolve("minilm.json");
    CliRun t = CliRun.run("", "route", "train", "--in", outcomes(dir, "train.jsonl", 40, 5).toString(),
        "--strong", "big", "--weak", "small", "--out", router.toString(), "--embedding", "minilm", "--method", "knn",
        "--k", "5");
    assertThat(t.exitCode()).as(t.err()).isZero();
    assertThat(t.out()).contains("\"embedding_model\":\"all-minilm-l6-v2-q\",\"method\":\"knn\"");
    CliRun d = CliRun.run("{\"id\":1,\"prompt\":\"prove the theorem on integrals\"}\n"
        + "{\"id\":2,\"prompt\":\"what animal says woof\"}\n", "route", "decide", "--router", router.toString(),
        "--premium-share", "0.5");
    assertThat(d.exitCode()).as(d.err()).isZero();
    assertThat(d.outLines().get(0)).startsWith("{\"id\":1,\"model\":\"big\"");
    assertThat(d.outLines().get(1)).startsWith("{\"id\":2,\"model\":\"small\"");
  }

  @Test
  void trainsWithGroupedCalibrationGainTargetAndPromptFeaturesReusingAnEmbeddingCache(@TempDir Path dir)
      throws IOException {
    Path data = outcomes(dir, "train.jsonl", 300, 1);
    Path cache = dir.resolve("emb.bin");
    String[] args = {"route", "train", "--in", data.toString(), "--strong", "big", "--weak", "small", "--out",
        dir.resolve("r.json").toString(), "--dims", "256", "--group-by", "subject", "--balance-groups",
        "--target", "gain", "--prompt-features", "--embedding-cache", cache.toString()};
    CliRun first = CliRun.run("", args);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("\"target\":\"gain\",\"calibration_folds\":\"by subject\"");
    assertThat(cache).exists();
    // 3 hard and 3 easy phrases, each with its own number: 300 distinct prompts
    assertThat(Files.size(cache)).isEqualTo(8 + 2 + "kiai-hashed-lexical-v1-256".length() + 4 + 300L * (32 + 256 * 4));
    long modified = Files.getLastModifiedTime(cache).toMillis();
    CliRun second = CliRun.run("", args);
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(Files.getLastModifiedTime(cache).toMillis()).isEqualTo(modified);

    CliRun bench = CliRun.run("", "route", "bench", "--router", dir.resolve("r.json").toString(), "--in",
        outcomes(dir, "test.jsonl", 200, 2).toString(), "--embedding-cache", cache.toString());
    assertThat(bench.exitCode()).as(bench.err()).isZero();
    assertThat(bench.out()).contains("(logistic, kiai-hashed-lexical-v1-256)");
    double apgr = Double.parseDouble(bench.outLines().stream().filter(l -> l.startsWith("APGR")).findFirst()
        .orElseThrow().split("\\s+")[1]);
    assertThat(apgr).isGreaterThan(0.68);

    CliRun other = CliRun.run("", "route", "train", "--in", data.toString(), "--strong", "big", "--weak", "small",
        "--out", dir.resolve("r2.json").toString(), "--dims", "512", "--embedding-cache", cache.toString());
    assertThat(other.exitCode()).isEqualTo(2);
    assertThat(other.err()).contains(cache + " holds kiai-hashed-lexical-v1-256 (256 dims) embeddings, not "
        + "kiai-hashed-lexical-v1-512 (512 dims)");
    CliRun noGroup = CliRun.run("", "route", "train", "--in", data.toString(), "--strong", "big", "--weak", "small",
        "--out", dir.resolve("r3.json").toString(), "--balance-groups");
    assertThat(noGroup.exitCode()).isEqualTo(2);
    assertThat(noGroup.err()).contains("--balance-groups needs --group-by");
  }
}
