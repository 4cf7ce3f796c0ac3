/**
 * Immutable value types of a chat call: {@link dev.kiai.core.chat.ChatRequest},
 * {@link dev.kiai.core.chat.ChatResponse}, messages, tools, response formats, usage and cost.
 */
package dev.kiai.core.chat;
