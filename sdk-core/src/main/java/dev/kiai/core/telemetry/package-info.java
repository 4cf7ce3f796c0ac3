/**
 * Metrics and traces of LLM calls following the OpenTelemetry GenAI semantic conventions:
 * {@link dev.kiai.core.telemetry.TelemetryInterceptor} records them, {@link
 * dev.kiai.core.telemetry.TelemetryNames} names them. Nothing is recorded, and nothing costs, unless a
 * Micrometer registry or an OpenTelemetry instance is configured.
 */
package dev.kiai.core.telemetry;
