package dev.kiai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.core.error.ConfigurationException;
import dev.kiai.embeddings.OnnxMiniLmEmbeddingModel;
import dev.kiai.router.HashedLexicalEmbeddingModel;
import dev.kiai.router.OutcomeExample;
import dev.kiai.router.QualityRouter;
import dev.kiai.router.RoutingCurve;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kiai route}: trains, applies and measures the learned quality router. */
@Command(name = "route", description = "Train, apply and measure the learned quality router.",
    subcommands = {RouteCommand.Train.class, RouteCommand.Decide.class, RouteCommand.Bench.class,
        RouteCommand.Split.class})
final class RouteCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "a sub-command is required: train, decide, bench or split");
  }

  /**
   * The embedding model a router file names, or the one {@code --embedding} asks for: {@code minilm}
   * ({@value OnnxMiniLmEmbeddingModel#MODEL_ID}, in process) or the lexical featurizer.
   */
  static EmbeddingModel embedder(String id) {
    if (id.startsWith(HashedLexicalEmbeddingModel.ID_PREFIX)) {
      return HashedLexicalEmbeddingModel.fromModelId(id);
    }
    if (id.equals("minilm") || id.equals(OnnxMiniLmEmbeddingModel.MODEL_ID)) {
      return OnnxMiniLmEmbeddingModel.create();
    }
    throw new Cli.UsageError("embedding model '" + id + "' is not available; available: minilm ("
        + OnnxMiniLmEmbeddingModel.MODEL_ID + "), lexical (" + HashedLexicalEmbeddingModel.ID_PREFIX + "<dims>)");
  }

  static QualityRouter loadRouter(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new Cli.UsageError("router file not found: " + file);
    }
    try {
      return QualityRouter.load(file);
    } catch (ConfigurationException e) {
      throw new Cli.UsageError(e.getMessage());
    }
  }

  static List<OutcomeExample> outcomes(Path in) {
    if (!Files.isRegularFile(in)) {
      throw new Cli.UsageError("input file not found: " + in);
    }
    try {
      return OutcomeExample.readJsonl(in);
    } catch (IllegalArgumentException e) {
      throw new Cli.UsageError(e.getMessage());
    }
  }

  /** The value of {@code field} on each non-blank line, in order (as {@link OutcomeExample#readJsonl} reads them). */
  static List<String> groups(Path in, String field, String option) {
    List<String> out = new ArrayList<>();
    try {
      int n = 0;
      for (String line : Files.readAllLines(in, StandardCharsets.UTF_8)) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode g = Jsonl.MAPPER.readTree(line).get(field);
        if (g == null || !g.isValueNode()) {
          throw new Cli.UsageError(in + " line " + n + ": missing \"" + field + "\" (" + option + ")");
        }
        out.add(g.asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** {@code kiai route train}. */
  @Command(name = "train", description = {
      "Train a quality router from outcome data and write it to a file.",
      "Input JSONL: {\"prompt\",\"outcomes\":{model: bool|score}} (other fields ignored).",
      "Prints a JSON summary with the calibration (out-of-fold) figures to stdout."})
  static final class Train implements Callable<Integer> {
    private final Io io;

    @Option(names = "--in", required = true, description = "Outcomes JSONL.")
    Path in;

    @Option(names = "--strong", required = true, description = "The expensive model id, as in the outcomes.")
    String strong;

    @Option(names = "--weak", required = true, description = "The cheaper model id, as in the outcomes.")
    String weak;

    @Option(names = "--out", required = true, description = "Router file to write.")
    Path out;

    @Option(names = "--method", defaultValue = "logistic",
        description = "logistic, knn or blend (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--embedding", defaultValue = "lexical",
        description = "Prompt featurizer: minilm (all-MiniLM-L6-v2 in process) or lexical (hashed word n-grams).")
    String embedding;

    @Option(names = "--dims", defaultValue = "1024", description = "Dimensions of the lexical featurizer.")
    int dims;

    @Option(names = "--embedding-cache", description = {
        "File of prompt embeddings to reuse (keyed by the prompt's SHA-256); created or extended with the",
        "prompts it lacks. Must have been made with the same embedding model."})
    Path embeddingCache;

    @Option(names = "--target", defaultValue = "as-good", description = {
        "as-good: learn P(weak scores at least as well as strong); gain: learn each model's expected score",
        "and rank by the weak model's expected advantage; weak: learn the weak model's expected score and",
        "send the prompts it most likely fails to the strong model (default: ${DEFAULT-VALUE})."})
    String target;

    @Option(names = "--prompt-features", description = "Append prompt statistics (length, digit and math-symbol "
        + "density, answer options, ...) to the embedding for the logistic regression.")
    boolean promptFeatures;

    @Option(names = "--group-by", description = {
        "Input field naming each example's group (e.g. subject): the calibration folds then hold out whole",
        "groups, so the calibration figures estimate quality on unseen groups."})
    String groupBy;

    @Option(names = "--balance-groups", description = "With --group-by: weight every group equally in training.")
    boolean balanceGroups;

    @Option(names = "--l2", defaultValue = "1e-4", description = "L2 penalty of the logistic regression.")
    double l2;

    @Option(names = "--k", defaultValue = "32", description = "Neighbours for knn/blend.")
    int k;

    @Option(names = "--iterations", defaultValue = "300", description = "Most L-BFGS iterations of the logistic regression.")
    int iterations;

    @Option(names = "--folds", defaultValue = "5", description = "Folds of the out-of-fold calibration.")
    int folds;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice.")
    long seed;

    Train(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      QualityRouter.Method m;
      try {
        m = QualityRouter.Method.valueOf(method.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new Cli.UsageError("--method must be logistic, knn or blend, was " + method);
      }
      EmbeddingModel embedder;
      try {
        embedder = "lexical".equals(embedding) ? new HashedLexicalEmbeddingModel(dims) : embedder(embedding);
      } catch (IllegalArgumentException e) {
        throw new Cli.UsageError("--dims: " + e.getMessage());
      }
      QualityRouter.Target t;
      try {
        t = QualityRouter.Target.valueOf(target.toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new Cli.UsageError("--target must be as-good, gain or weak, was " + target);
      }
      if (balanceGroups && groupBy == null) {
        throw new Cli.UsageError("--balance-groups needs --group-by");
      }
      List<OutcomeExample> examples = outcomes(in);
      List<String> groups = groupBy == null ? null : groups(in, groupBy, "--group-by");
      EmbeddingCache cache = embeddingCache == null ? null : EmbeddingCache.open(embedder, embeddingCache);
      QualityRouter router;
      try {
        router = QualityRouter.train(examples, groups, cache == null ? embedder : cache, strong, weak,
            new QualityRouter.Training(m, t, promptFeatures, balanceGroups, k, iterations, l2, folds, seed));
      } catch (IllegalArgumentException e) {
        throw new Cli.UsageError(e.getMessage());
      }
      if (cache != null) {
        cache.flush();
      }
      router.save(out);
      RoutingCurve cal = router.calibrationCurve();
      ObjectNode summary = Jsonl.MAPPER.createObjectNode();
      summary.put("router", out.toString());
      summary.put("examples", examples.size());
      summary.put("embedding_model", router.embeddingModelId());
      summary.put("method", m.name().toLowerCase(Locale.ROOT));
      summary.put("target", t.name().toLowerCase(Locale.ROOT).replace('_', '-'));
      summary.put("calibration_folds", groupBy == null ? "random" : "by " + groupBy);
      summary.put("calibration_apgr", Double.parseDouble(fmt(cal.apgr())));
      summary.put("calibration_share_for_95pct", Double.parseDouble(fmt(cal.premiumShareForQuality(0.95))));
      summary.put("threshold_for_95pct", Double.parseDouble(fmt(router.thresholdForQuality(0.95))));
      io.out.println(summary);
      io.err.println("kiai route train: " + examples.size() + " examples, wrote " + out);
      return 0;
    }
  }

  /** Exactly one of {@code --premium-share} and {@code --threshold}. */
  static final class Cut {
    @Option(names = "--premium-share", required = true,
        description = "Route this fraction of the input (lowest scores) to the strong model, 0..1.")
    Double premiumShare;

    @Option(names = "--threshold", required = true,
        description = "Route to the weak model when score >= T, else to the strong model.")
    Double threshold;
  }

  /** {@code kiai route decide}. */
  @Command(name = "decide", description = {
      "Decide the model for each prompt.",
      "Input JSONL: {\"id\",\"prompt\"}. Output JSONL: {\"id\",\"model\",\"score\"}, where score is the",
      "predicted probability that the weak model suffices; bad lines get an \"error\"."})
  static final class Decide implements Callable<Integer> {
    private final Io io;

    @Option(names = "--router", required = true, description = "Router file from 'kiai route train'.")
    Path routerFile;

    @Option(names = "--in", description = "Input JSONL file; stdin when absent or '-'.")
    Path in;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Cut cut;

    Decide(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      QualityRouter router = loadRouter(routerFile);
      EmbeddingModel embedder = embedder(router.embeddingModelId());
      if (cut.premiumShare != null && !(cut.premiumShare >= 0 && cut.premiumShare <= 1)) {
        throw new Cli.UsageError("--premium-share must be within 0..1, was " + cut.premiumShare);
      }
      byte[] input;
      try (BufferedReader r = io.open(in)) {
        StringBuilder sb = new StringBuilder();
        String line;
        while ((line = r.readLine()) != null) {
          sb.append(line).append('\n');
        }
        input = sb.toString().getBytes(StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        io.err.println("kiai route decide: input file not found: " + e.getFile());
        return 2;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, Double> scores = new HashMap<>();
      double threshold = cut.threshold != null ? cut.threshold : batchThreshold(input, router, embedder, scores);
      Io replay = new Io(new ByteArrayInputStream(input), io.out, io.err, io.env);
      return Jsonl.run(replay, null, "route decide", line -> {
        String prompt = Jsonl.text(line, "prompt");
        double score = scores.computeIfAbsent(prompt, p -> router.score(p, embedder.embed(p)));
        ObjectNode out = Jsonl.MAPPER.createObjectNode();
        out.put("model", score >= threshold ? router.weakModel() : router.strongModel());
        out.put("score", Double.parseDouble(fmt(score)));
        return out;
      });
    }

    /** The score below which exactly the wanted share of valid input lines falls. */
    private double batchThreshold(byte[] input, QualityRouter router, EmbeddingModel embedder,
        Map<String, Double> scores) {
      List<Double> all = new ArrayList<>();
      for (String line : new String(input, StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode node = Jsonl.MAPPER.readTree(line);
          JsonNode p = node == null ? null : node.get("prompt");
          if (p != null && p.isTextual() && node.hasNonNull("id")) {
            all.add(scores.computeIfAbsent(p.asText(), t -> router.score(t, embedder.embed(t))));
          }
        } catch (IOException e) {
          // malformed lines get their error on the second pass
        }
      }
      if (all.isEmpty()) {
        return 0;
      }
      Collections.sort(all);
      int strongCount = (int) Math.round(cut.premiumShare * all.size());
      if (strongCount == 0) {
        return Math.nextDown(all.get(0));
      }
      if (strongCount >= all.size()) {
        return Math.nextUp(all.get(all.size() - 1));
      }
      return all.get(strongCount);
    }
  }

  /** {@code kiai route bench}. */
  @Command(name = "bench", description = {
      "Measure a router on outcome data: APGR, CPT(50%), CPT(80%) and the premium share needed for 95% of",
      "the strong model's quality, beside a random router on the same prompts (mean of --random-runs seeds).",
      "Writes the quality-vs-premium-share curve as CSV with --curve."})
  static final class Bench implements Callable<Integer> {
    private final Io io;

    @Option(names = "--router", required = true, description = "Router file from 'kiai route train'.")
    Path routerFile;

    @Option(names = "--in", required = true, description = "Outcomes JSONL (held-out prompts).")
    Path in;

    @Option(names = "--curve", description = "CSV file for the curve (premium_share,quality,pgr,random_quality).")
    Path curve;

    @Option(names = "--random-runs", defaultValue = "20", description = "Seeds of the random baseline.")
    int randomRuns;

    @Option(names = "--seed", defaultValue = "42", description = "First seed of the random baseline.")
    long seed;

    @Option(names = "--embedding-cache", description = {
        "File of prompt embeddings to reuse (keyed by the prompt's SHA-256); created or extended with the",
        "prompts it lacks. Must have been made with the router's embedding model."})
    Path embeddingCache;

    @Option(names = "--oracle-by", description = {
        "Field naming each prompt's group (e.g. subject): also print a bound for routers that know only the",
        "group's difficulty - groups ranked by their true mean gain of strong over weak on this file, the",
        "router's own order within a group."})
    String oracleBy;

    Bench(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws IOException {
      QualityRouter router = loadRouter(routerFile);
      EmbeddingModel embedder = embedder(router.embeddingModelId());
      if (randomRuns < 1) {
        throw new Cli.UsageError("--random-runs must be >= 1, was " + randomRuns);
      }
      List<OutcomeExample> examples = outcomes(in);
      int n = examples.size();
      if (n == 0) {
        throw new Cli.UsageError("no examples in " + in);
      }
      double[] scores = new double[n];
      double[] weak = new double[n];
      double[] strong = new double[n];
      List<String> prompts = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        OutcomeExample e = examples.get(i);
        try {
          weak[i] = e.score(router.weakModel());
          strong[i] = e.score(router.strongModel());
        } catch (IllegalArgumentException ex) {
          throw new Cli.UsageError(in + " example " + (i + 1) + ": " + ex.getMessage());
        }
        prompts.add(e.prompt());
      }
      EmbeddingCache cache = embeddingCache == null ? null : EmbeddingCache.open(embedder, embeddingCache);
      List<float[]> vectors = (cache == null ? embedder : cache).embedAll(prompts);
      if (cache != null) {
        cache.flush();
      }
      for (int i = 0; i < n; i++) {
        scores[i] = router.score(prompts.get(i), vectors.get(i));
      }
      RoutingCurve c = RoutingCurve.of(scores, weak, strong);
      RoutingCurve longest = RoutingCurve.of(longestFirst(prompts), weak, strong);
      RoutingCurve groupBound = oracleBy == null ? null
          : RoutingCurve.of(groupBound(groups(in, oracleBy, "--oracle-by"), scores, weak, strong), weak, strong);
      double[] rApgr = new double[randomRuns];
      double[] r50 = new double[randomRuns];
      double[] r80 = new double[randomRuns];
      double[] r95 = new double[randomRuns];
      double[] rq = new double[101];
      for (int s = 0; s < randomRuns; s++) {
        RoutingCurve r = RoutingCurve.random(weak, strong, seed + s);
        rApgr[s] = r.apgr();
        r50[s] = r.premiumShareForPgr(0.5);
        r80[s] = r.premiumShareForPgr(0.8);
        r95[s] = r.premiumShareForQuality(0.95);
        List<RoutingCurve.Point> pts = r.points(100);
        for (int p = 0; p <= 100; p++) {
          rq[p] += pts.get(p).quality() / randomRuns;
        }
      }
      PrintWriter out = io.out;
      out.println("router           " + routerFile + " (" + router.method().name().toLowerCase(Locale.ROOT) + ", "
          + router.embeddingModelId() + ")");
      out.println("prompts          " + n + " from " + in);
      out.println("weak quality     " + fmt(c.weakQuality()) + "  (" + router.weakModel() + ")");
      out.println("strong quality   " + fmt(c.strongQuality()) + "  (" + router.strongModel() + ")");
      out.println("                 router   random (mean of " + randomRuns + " seeds)");
      out.println("APGR             " + fmt(c.apgr()) + "   " + fmt(mean(rApgr)));
      out.println("CPT(50%)         " + fmt(c.premiumShareForPgr(0.5)) + "   " + fmt(mean(r50)));
      out.println("CPT(80%)         " + fmt(c.premiumShareForPgr(0.8)) + "   " + fmt(mean(r80)));
      out.println("share for 95%    " + fmt(c.premiumShareForQuality(0.95)) + "   " + fmt(mean(r95))
          + "  (premium share reaching 95% of the strong model's quality)");
      out.println("baselines        APGR     share for 95%");
      out.println("longest first    " + fmt(longest.apgr()) + "   " + fmt(longest.premiumShareForQuality(0.95))
          + "  (no learning: the longest prompts go to the strong model first)");
      if (groupBound != null) {
        out.println(String.format(Locale.ROOT, "%-17s", "known " + oracleBy) + fmt(groupBound.apgr()) + "   "
            + fmt(groupBound.premiumShareForQuality(0.95))
            + "  (bound: each " + oracleBy + "'s true mean gain known, router order within it)");
      }
      if (curve != null) {
        StringBuilder csv = new StringBuilder("premium_share,quality,pgr,random_quality\n");
        List<RoutingCurve.Point> pts = c.points(100);
        for (int p = 0; p <= 100; p++) {
          RoutingCurve.Point pt = pts.get(p);
          csv.append(String.format(Locale.ROOT, "%.2f,%.5f,%.5f,%.5f%n", pt.premiumShare(), pt.quality(), pt.pgr(),
              rq[p]));
        }
        Path parent = curve.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.writeString(curve, csv.toString(), StandardCharsets.UTF_8);
        io.err.println("kiai route bench: wrote the curve to " + curve);
      }
      return 0;
    }

    private static double mean(double[] v) {
      return Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** Scores that send the longest prompts (in characters) to the strong model first. */
    static double[] longestFirst(List<String> prompts) {
      double[] s = new double[prompts.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = -prompts.get(i).length();
      }
      return s;
    }

    /**
     * Scores of a router that knows each group's true mean gain (strong minus weak outcome) on these
     * prompts and nothing else: groups with the larger gain go to the strong model first; within a group
     * the router's own scores (0..1) decide.
     */
    static double[] groupBound(List<String> groups, double[] scores, double[] weak, double[] strong) {
      Map<String, double[]> sums = new HashMap<>();
      for (int i = 0; i < scores.length; i++) {
        double[] a = sums.computeIfAbsent(groups.get(i), g -> new double[2]);
        a[0] += strong[i] - weak[i];
        a[1]++;
      }
      List<String> byGain = new ArrayList<>(sums.keySet());
      byGain.sort(Comparator.comparingDouble((String g) -> -sums.get(g)[0] / sums.get(g)[1])
          .thenComparing(Comparator.naturalOrder()));
      Map<String, Integer> rank = new HashMap<>();
      for (int r = 0; r < byGain.size(); r++) {
        rank.put(byGain.get(r), r);
      }
      double[] s = new double[scores.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = 2 * rank.get(groups.get(i)) + Math.min(1, Math.max(0, scores[i]));
      }
      return s;
    }
  }

  /** {@code kiai route split}. */
  @Command(name = "split", description = {
      "Split a JSONL file by whole groups (e.g. subjects): a seeded shuffle of the distinct values of --by",
      "puts round(fraction x groups) of them into --test-out, the rest into --train-out."})
  static final class Split implements Callable<Integer> {
    private final Io io;

    @Option(names = "--in", required = true, description = "Input JSONL.")
    Path in;

    @Option(names = "--by", defaultValue = "subject", description = "Field whose values are held out whole.")
    String by;

    @Option(names = "--holdout", defaultValue = "0.25", description = "Fraction of groups held out, 0..1.")
    double holdout;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the shuffle.")
    long seed;

    @Option(names = "--train-out", required = true, description = "JSONL for the remaining groups.")
    Path trainOut;

    @Option(names = "--test-out", required = true, description = "JSONL for the held-out groups.")
    Path testOut;

    Split(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws IOException {
      if (!(holdout > 0 && holdout < 1)) {
        throw new Cli.UsageError("--holdout must be within (0,1), was " + holdout);
      }
      if (!Files.isRegularFile(in)) {
        throw new Cli.UsageError("input file not found: " + in);
      }
      List<String> lines = Files.readAllLines(in, StandardCharsets.UTF_8);
      List<String> groupOf = new ArrayList<>(lines.size());
      Set<String> groups = new TreeSet<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isBlank()) {
          groupOf.add(null);
          continue;
        }
        JsonNode node = Jsonl.MAPPER.readTree(line);
        JsonNode g = node == null ? null : node.get(by);
        if (g == null || !g.isValueNode()) {
          throw new Cli.UsageError(in + " line " + (i + 1) + ": missing \"" + by + "\"");
        }
        groupOf.add(g.asText());
        groups.add(g.asText());
      }
      List<String> shuffled = new ArrayList<>(groups);
      Collections.shuffle(shuffled, new Random(seed));
      int held = Math.max(1, Math.min(shuffled.size() - 1, (int) Math.round(holdout * shuffled.size())));
      Set<String> test = new TreeSet<>(shuffled.subList(0, held));
      StringBuilder train = new StringBuilder();
      StringBuilder tst = new StringBuilder();
      int trainN = 0;
      int testN = 0;
      for (int i = 0; i < lines.size(); i++) {
        if (groupOf.get(i) == null) {
          continue;
        }
        if (test.contains(groupOf.get(i))) {
          tst.append(lines.get(i)).append('\n');
          testN++;
        } else {
          train.append(lines.get(i)).append('\n');
          trainN++;
        }
      }
      for (Path p : List.of(trainOut, testOut)) {
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
      }
      Files.writeString(trainOut, train.toString(), StandardCharsets.UTF_8);
      Files.writeString(testOut, tst.toString(), StandardCharsets.UTF_8);
      // a list of more than 50 groups (e.g. --by prompt, a prompt-level split) is not worth printing
      io.out.println("held out " + test.size() + " of " + groups.size() + " groups by " + by + " (seed " + seed
          + ")" + (test.size() <= 50 ? ": " + String.join(", ", test) : ""));
      io.err.println("kiai route split: " + trainN + " train lines, " + testN + " test lines");
      return 0;
    }
  }
}
