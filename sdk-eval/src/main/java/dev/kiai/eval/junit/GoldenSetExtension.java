package dev.kiai.eval.junit;

import dev.kiai.eval.CaseResult;
import dev.kiai.eval.EvalReport;
import dev.kiai.eval.EvalRunner;
import dev.kiai.eval.GoldenCase;
import dev.kiai.eval.GoldenSuite;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Provides one invocation per golden case (plus one for {@link EvalThreshold}); runs the suite once
 * per test method, on first use, and keeps the report in the method's extension store.
 */
final class GoldenSetExtension implements TestTemplateInvocationContextProvider {
  static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(GoldenSetExtension.class);

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return context.getTestMethod().map(m -> m.isAnnotationPresent(GoldenSet.class)).orElse(false);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
    Method method = context.getRequiredTestMethod();
    GoldenSet spec = method.getAnnotation(GoldenSet.class);
    GoldenSuite suite = GoldenSuite.load(spec.value());
    context.getStore(NS).put("suite", suite);
    List<TestTemplateInvocationContext> out = new ArrayList<>();
    for (GoldenCase c : suite.cases()) {
      out.add(new CaseInvocation(c, null, spec.failCases()));
    }
    EvalThreshold threshold = method.getAnnotation(EvalThreshold.class);
    if (threshold != null) {
      if (!(threshold.passRate() >= 0 && threshold.passRate() <= 1)) {
        throw new ExtensionConfigurationException("@EvalThreshold passRate must be within 0..1, was "
            + threshold.passRate());
      }
      out.add(new CaseInvocation(null, threshold, true));
    }
    return out.stream();
  }

  /** Runs the suite once per template method, with the runner from the test class. */
  static EvalReport report(ExtensionContext invocationContext) {
    ExtensionContext template = invocationContext.getParent().orElseThrow();
    return template.getStore(NS).getOrComputeIfAbsent("report", k -> {
      GoldenSuite suite = template.getStore(NS).get("suite", GoldenSuite.class);
      EvalRunner runner = runner(invocationContext);
      return runner.run(suite);
    }, EvalReport.class);
  }

  private static EvalRunner runner(ExtensionContext ctx) {
    Method test = ctx.getRequiredTestMethod();
    String name = test.getAnnotation(GoldenSet.class).runner();
    Class<?> cls = ctx.getRequiredTestClass();
    Method provider = null;
    for (Class<?> c = cls; c != null && provider == null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name) && m.getParameterCount() == 0) {
          provider = m;
          break;
        }
      }
    }
    if (provider == null || !EvalRunner.class.isAssignableFrom(provider.getReturnType())) {
      for (ExtensionContext c = ctx; c != null; c = c.getParent().orElse(null)) {
        Object supplier = c.getStore(NS).get(EvalExtension.RUNNER_KEY);
        if (supplier instanceof java.util.function.Supplier<?> s) {
          Object runner = s.get();
          if (runner instanceof EvalRunner r) {
            return r;
          }
          throw new ExtensionConfigurationException("EvalExtension supplied " + runner + " instead of an EvalRunner");
        }
      }
      throw new ExtensionConfigurationException("@GoldenSet on " + test.getName() + " needs a method " + name
          + "() returning EvalRunner in " + cls.getName() + ", or a registered EvalExtension");
    }
    try {
      provider.setAccessible(true);
      Object target = Modifier.isStatic(provider.getModifiers()) ? null : ctx.getRequiredTestInstance();
      EvalRunner runner = (EvalRunner) provider.invoke(target);
      if (runner == null) {
        throw new ExtensionConfigurationException(name + "() returned null");
      }
      return runner;
    } catch (IllegalAccessException e) {
      throw new ExtensionConfigurationException("cannot call " + name + "()", e);
    } catch (InvocationTargetException e) {
      throw new ExtensionConfigurationException(name + "() failed: " + e.getCause(), e.getCause());
    }
  }

  /** One case of the suite, or (with {@code threshold}) the aggregate gate. */
  private static final class CaseInvocation implements TestTemplateInvocationContext {
    private final GoldenCase goldenCase;
    private final EvalThreshold threshold;
    private final boolean failCases;

    CaseInvocation(GoldenCase goldenCase, EvalThreshold threshold, boolean failCases) {
      this.goldenCase = goldenCase;
      this.threshold = threshold;
      this.failCases = failCases;
    }

    @Override
    public String getDisplayName(int invocationIndex) {
      return goldenCase != null ? goldenCase.id()
          : String.format(Locale.ROOT, "pass rate >= %.2f", threshold.passRate());
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
      return List.of(new Resolver(), new Interceptor());
    }

    private CaseResult result(ExtensionContext ctx) {
      EvalReport report = report(ctx);
      if (goldenCase != null) {
        return report.find(goldenCase.id());
      }
      return new CaseResult("pass-rate", report.passRate() >= threshold.passRate() ? CaseResult.Status.PASSED
          : CaseResult.Status.FAILED, report.passRate(), List.of(), "", null, null, List.of(), 1.0, 0, false,
          BigDecimal.ZERO);
    }

    private final class Resolver implements ParameterResolver {
      @Override
      public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> t = p.getParameter().getType();
        return t == CaseResult.class || t == GoldenCase.class || t == EvalReport.class;
      }

      @Override
      public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        Class<?> t = p.getParameter().getType();
        if (t == EvalReport.class) {
          return report(e);
        }
        if (t == GoldenCase.class) {
          return goldenCase;
        }
        return result(e);
      }
    }

    private final class Interceptor implements InvocationInterceptor {
      @Override
      public void interceptTestTemplateMethod(Invocation<Void> invocation,
          ReflectiveInvocationContext<Method> invocationContext, ExtensionContext ctx) throws Throwable {
        EvalReport report = report(ctx);
        if (goldenCase == null) {
          invocation.skip();
          if (report.passRate() < threshold.passRate()) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "pass rate %.3f (%d of %d cases) is below the threshold %.3f; not passed: ",
                report.passRate(), report.passed(), report.total(), threshold.passRate()));
            sb.append(String.join(", ", report.failures().stream().map(CaseResult::id).toList()));
            throw new AssertionError(sb.toString());
          }
          return;
        }
        invocation.proceed();
        CaseResult r = report.find(goldenCase.id());
        if (failCases && !r.passed()) {
          throw new AssertionError(r.explain());
        }
      }
    }
  }
}
