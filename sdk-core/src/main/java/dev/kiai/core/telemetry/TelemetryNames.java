package dev.kiai.core.telemetry;

/**
 * Every meter, span, event and attribute name Kiai emits, in one place. Names starting with
 * {@code gen_ai.} and {@code error.type} follow the
 * <a href="https://opentelemetry.io/docs/specs/semconv/gen-ai/">OpenTelemetry GenAI semantic
 * conventions</a>; Kiai's own names start with {@code kiai.}. Modules that record telemetry (cache,
 * router, guardrails, budgets) use these constants rather than string literals, so dashboards can rely
 * on one vocabulary.
 *
 * <p>The same strings serve as Micrometer meter names and tag keys and as OpenTelemetry span and
 * attribute names.
 */
public final class TelemetryNames {
  private TelemetryNames() {}

  /** Instrumentation scope (tracer name) of Kiai's spans. */
  public static final String INSTRUMENTATION_SCOPE = "dev.kiai.core";

  // --- OpenTelemetry GenAI: attributes -------------------------------------------------------------

  /** The operation, e.g. {@value #OPERATION_CHAT}. Span names are {@code "{operation} {request model}"}. */
  public static final String GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
  /** Value of {@link #GEN_AI_OPERATION_NAME} for chat completions. */
  public static final String OPERATION_CHAT = "chat";
  /** The provider that served the request, e.g. {@code openai}, {@code anthropic}. */
  public static final String GEN_AI_PROVIDER_NAME = "gen_ai.provider.name";
  /** The model the request asked for. */
  public static final String GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
  /** The request's {@code maxTokens}. */
  public static final String GEN_AI_REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
  /** The request's temperature. */
  public static final String GEN_AI_REQUEST_TEMPERATURE = "gen_ai.request.temperature";
  /** The request's top-p. */
  public static final String GEN_AI_REQUEST_TOP_P = "gen_ai.request.top_p";
  /** The model that produced the answer, as the provider reported it. */
  public static final String GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
  /** The provider's response id. */
  public static final String GEN_AI_RESPONSE_ID = "gen_ai.response.id";
  /** Why generation stopped: a string array, e.g. {@code ["stop"]}. */
  public static final String GEN_AI_RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
  /** Seconds from sending a streaming request to its first chunk (span attribute). */
  public static final String GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = "gen_ai.response.time_to_first_chunk";
  /** Prompt tokens, cached ones included. */
  public static final String GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
  /** Generated tokens, reasoning included. */
  public static final String GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  /** Prompt tokens served from the provider's cache. */
  public static final String GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
  /** Output tokens spent on hidden reasoning. */
  public static final String GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";
  /** Tag of {@link #GEN_AI_CLIENT_TOKEN_USAGE}: {@value #TOKEN_TYPE_INPUT} or {@value #TOKEN_TYPE_OUTPUT}. */
  public static final String GEN_AI_TOKEN_TYPE = "gen_ai.token.type";
  /** Value of {@link #GEN_AI_TOKEN_TYPE} for prompt tokens. */
  public static final String TOKEN_TYPE_INPUT = "input";
  /** Value of {@link #GEN_AI_TOKEN_TYPE} for generated tokens. */
  public static final String TOKEN_TYPE_OUTPUT = "output";
  /** The class of error an operation ended with; Kiai uses the exception's simple class name. */
  public static final String ERROR_TYPE = "error.type";
  /** Chat history sent to the model, as semantic-convention JSON; recorded only on opt-in. */
  public static final String GEN_AI_INPUT_MESSAGES = "gen_ai.input.messages";
  /** Messages the model returned, as semantic-convention JSON; recorded only on opt-in. */
  public static final String GEN_AI_OUTPUT_MESSAGES = "gen_ai.output.messages";
  /** Span event carrying {@link #GEN_AI_INPUT_MESSAGES} and {@link #GEN_AI_OUTPUT_MESSAGES}. */
  public static final String GEN_AI_OPERATION_DETAILS_EVENT = "gen_ai.client.inference.operation.details";

  // --- OpenTelemetry GenAI: metrics ----------------------------------------------------------------

  /** Histogram of tokens per call, tagged with {@link #GEN_AI_TOKEN_TYPE}. */
  public static final String GEN_AI_CLIENT_TOKEN_USAGE = "gen_ai.client.token.usage";
  /** Histogram of call duration in seconds. */
  public static final String GEN_AI_CLIENT_OPERATION_DURATION = "gen_ai.client.operation.duration";
  /** Histogram of seconds to the first chunk of a streaming call. */
  public static final String GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK =
      "gen_ai.client.operation.time_to_first_chunk";

  // --- Kiai: meters --------------------------------------------------------------------------------

  /** Counter of money spent, in the price table's currency (USD unless overridden). */
  public static final String KIAI_COST = "kiai.cost";
  /** Counter of cache lookups, tagged {@link #KIAI_CACHE_RESULT} and {@link #KIAI_CACHE_TIER}. */
  public static final String KIAI_CACHE_LOOKUPS = "kiai.cache.lookups";
  /** Counter of money cache hits saved (the cost of the cached answers), tagged {@link #KIAI_CURRENCY}. */
  public static final String KIAI_CACHE_SAVED_COST = "kiai.cache.saved.cost";
  /** Counter of routing decisions, recorded by the router. */
  public static final String KIAI_ROUTER_DECISIONS = "kiai.router.decisions";
  /** Counter of guardrail findings, recorded by the guardrails. */
  public static final String KIAI_GUARDRAILS_FINDINGS = "kiai.guardrails.findings";
  /** Gauge of budget left, recorded by budgets. */
  public static final String KIAI_BUDGET_REMAINING = "kiai.budget.remaining";
  /** Counter of budget decisions, tagged with {@link #KIAI_BUDGET_DECISION}. */
  public static final String KIAI_BUDGET_DECISIONS = "kiai.budget.decisions";
  /** Counter of soft budget thresholds crossed, tagged with scope, window and unit. */
  public static final String KIAI_BUDGET_SOFT_THRESHOLDS = "kiai.budget.soft_thresholds";
  /** Gauge of a local engine's saturation 0..1 per model (NaN when unknown or stale), by the local-GPU module. */
  public static final String KIAI_GPU_ENGINE_SATURATION = "kiai.gpu.engine.saturation";
  /** Gauge of a local engine's adaptive concurrency limit, by the local-GPU admission control. */
  public static final String KIAI_GPU_ADMISSION_LIMIT = "kiai.gpu.admission.limit";
  /** Gauge of requests holding an admission permit, by the local-GPU admission control. */
  /** Tag of {@link #KIAI_GUARDRAILS_FINDINGS}: which guardrail found it ({@code injection}, {@code pii}, ...). */
  public static final String KIAI_GUARDRAIL = "kiai.guardrail";
  /** Tag of {@link #KIAI_GUARDRAILS_FINDINGS}: the finding's kind (rule category or entity type). */
  public static final String KIAI_GUARDRAIL_FINDING = "kiai.guardrail.finding";
  /** Tag of {@link #KIAI_GUARDRAILS_FINDINGS}: what was done ({@code block}, {@code redact}, ...). */
  public static final String KIAI_GUARDRAIL_ACTION = "kiai.guardrail.action";
  public static final String KIAI_GPU_ADMISSION_IN_FLIGHT = "kiai.gpu.admission.in_flight";
  /** Counter of requests the local-GPU admission control refused (the caller overflows). */
  public static final String KIAI_GPU_ADMISSION_REJECTIONS = "kiai.gpu.admission.rejections";

  /** A budget scope, e.g. {@code tenant:acme} or {@code global}; {@code user:*} for per-value limits. */
  public static final String KIAI_BUDGET_SCOPE = "kiai.budget.scope";
  /** A budget window, e.g. {@code day} or {@code rolling:PT15M}. */
  public static final String KIAI_BUDGET_WINDOW = "kiai.budget.window";
  /** A budget unit: {@code USD} or {@code tokens}. */
  public static final String KIAI_BUDGET_UNIT = "kiai.budget.unit";
  /** A budget decision: admit, downgrade, shrink, reject, fail_open or unavailable. */
  public static final String KIAI_BUDGET_DECISION = "kiai.budget.decision";
  // --- Kiai: tags ----------------------------------------------------------------------------------

  /** The request's tenant; a meter tag only where explicitly enabled (cardinality). */
  public static final String KIAI_TENANT = "kiai.tenant";
  /** The application feature that made the request. */
  public static final String KIAI_FEATURE = "kiai.feature";
  /** The prompt template reference, {@code id@version}. */
  public static final String KIAI_TEMPLATE = "kiai.template";
  /** The local engine a {@code kiai.gpu.*} meter is about, as its owner names it. */
  public static final String KIAI_ENGINE = "kiai.engine";
  /** Outcome of a cache lookup: {@value #CACHE_RESULT_HIT} or {@value #CACHE_RESULT_MISS}. */
  public static final String KIAI_CACHE_RESULT = "result";
  /** Cache tier that answered: {@code exact}, {@code semantic}, or {@code none} on a miss. */
  public static final String KIAI_CACHE_TIER = "tier";
  /** The currency of a {@link #KIAI_COST} amount, e.g. {@code USD}. */
  public static final String KIAI_CURRENCY = "kiai.currency";

  // --- tag values ----------------------------------------------------------------------------------

  /** Value of {@link #KIAI_CACHE_RESULT} when the cache answered. */
  public static final String CACHE_RESULT_HIT = "hit";
  /** Value of {@link #KIAI_CACHE_RESULT} when it did not. */
  public static final String CACHE_RESULT_MISS = "miss";
  /** Tag value used when a tag's fact is absent, so every meter of a name has the same tag keys. */
  public static final String NONE = "none";
  /** Tag value for a model or provider Kiai could not learn (e.g. the call failed before an answer). */
  public static final String UNKNOWN = "unknown";
}
