package dev.kiai.core.pricing;

/** What a model can do, as declared in the price table. */
public enum Capability {
  /** Streams its answer. */
  STREAMING,
  /** Calls tools (functions). */
  TOOLS,
  /** Answers in JSON object mode. */
  JSON_OBJECT,
  /** Answers against a JSON Schema (structured outputs). */
  JSON_SCHEMA,
  /** Accepts images. */
  VISION,
  /** Spends hidden reasoning tokens. */
  REASONING,
  /** Bills repeated prompt prefixes at a cached price. */
  PROMPT_CACHING
}
