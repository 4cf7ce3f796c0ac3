/**
 * Kiai's core API: the {@link dev.kiai.core.Kiai} entry point, the {@link dev.kiai.core.ChatModel} SPI,
 * the {@link dev.kiai.core.LlmInterceptor} chain every concern plugs into, the
 * {@link dev.kiai.core.RequestContext} and the response {@link dev.kiai.core.Trace}.
 */
package dev.kiai.core;
