package dev.kiai.cli;

import dev.kiai.core.error.KiaiException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kiai} command line. Batch commands read JSONL (one object with an {@code id} per line)
 * from {@code --in FILE} or stdin and write one JSONL line per input line to stdout, in order; a
 * summary goes to stderr. Exit codes: 0 success, 1 runtime failure, 2 usage error.
 */
@Command(name = "kiai", mixinStandardHelpOptions = true, versionProvider = KiaiCli.Version.class,
    description = "Kiai: run LLMs in production from Java. JSONL in, JSONL out.",
    subcommands = {
        ChatCommand.class,
        TokensCommand.class,
        CostCommand.class,
        PromptsCommand.class,
        EvalCommand.class,
        RagCommand.class,
        GpuCommand.class,
        BudgetCommand.class,
        RouteCommand.class,
        GuardCommand.class,
        CacheCommand.class,
        CommandLine.HelpCommand.class})
public final class KiaiCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /**
   * Entry point.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err, System.getenv()));
  }

  /**
   * Runs one invocation with the given streams; used by {@link #main} and by tests.
   *
   * @param args arguments
   * @param stdin standard input
   * @param stdout standard output
   * @param stderr standard error
   * @param env environment variables (API keys are read from here)
   * @return the exit code
   */
  public static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr,
      Map<String, String> env) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
    Io io = new Io(stdin, out, err, env);
    CommandLine cmd = new CommandLine(new KiaiCli(), new Factory(io));
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof Cli.UsageError) {
        err.println("kiai " + commandLine.getCommandName() + ": " + ex.getMessage());
        return 2;
      }
      if (ex instanceof KiaiException) {
        err.println("kiai " + commandLine.getCommandName() + ": " + ex.getClass().getSimpleName() + ": "
            + ex.getMessage());
        return 1;
      }
      throw ex;
    });
    int code = cmd.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Creates commands with the invocation's {@link Io}. */
  private static final class Factory implements CommandLine.IFactory {
    private final Io io;

    Factory(Io io) {
      this.io = io;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        Constructor<K> c = cls.getDeclaredConstructor(Io.class);
        c.setAccessible(true);
        return c.newInstance(io);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }

  /** Reports the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = KiaiCli.class.getPackage().getImplementationVersion();
      return new String[] {"kiai " + (v == null ? "(development build)" : v)};
    }
  }
}
