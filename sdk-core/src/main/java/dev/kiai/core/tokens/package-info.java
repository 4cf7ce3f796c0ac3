/**
 * Token counting before a request is sent: {@link dev.kiai.core.tokens.TokenCounter} counts exactly
 * with jtokkit where the model's encoding is known (OpenAI models) and returns an explicitly marked
 * estimate otherwise.
 */
package dev.kiai.core.tokens;
