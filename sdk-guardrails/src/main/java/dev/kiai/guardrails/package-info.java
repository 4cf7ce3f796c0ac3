/**
 * Guardrails for LLM calls: prompt-injection defence ({@link dev.kiai.guardrails.InjectionDetector}),
 * PII detection and scrubbing in English and German ({@link dev.kiai.guardrails.PiiDetector},
 * {@link dev.kiai.guardrails.PiiScrubber}), structured-output enforcement
 * ({@link dev.kiai.guardrails.StructuredOutput}) and output policy ({@link dev.kiai.guardrails.OutputPolicy}).
 * Each is usable as a plain Java API and as an interceptor on the {@link dev.kiai.core.Kiai} chain
 * ({@link dev.kiai.guardrails.GuardrailsInterceptor}).
 */
package dev.kiai.guardrails;
