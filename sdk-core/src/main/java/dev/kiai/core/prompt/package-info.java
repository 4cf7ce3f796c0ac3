/**
 * Versioned prompt templates: {@link dev.kiai.core.prompt.PromptTemplate} (one version of a prompt, with
 * declared variables, output schema and model hints), {@link dev.kiai.core.prompt.PromptRegistry} (loads
 * {@code <id>/<version>.yaml} files from a directory or the classpath, resolves versions, labels and canary
 * rollouts), {@link dev.kiai.core.prompt.PromptLock} ({@code prompts.lock}, which keeps released versions
 * from changing) and {@link dev.kiai.core.prompt.PromptLinter}.
 *
 * <p>A template file:
 * <pre>{@code
 * id: summarize
 * version: 1.2.0
 * description: Summarise a support ticket for the on-call engineer.
 * system: You are a concise assistant. Answer in {{language}}.
 * text: |
 *   Summarise the following ticket in at most {{max_words}} words:
 *   {{ticket}}
 * variables:
 *   - {name: ticket, required: true, description: the ticket body}
 *   - {name: language, default: English}
 *   - {name: max_words, default: "80"}
 * output_schema:
 *   type: object
 *   properties: {summary: {type: string}}
 *   required: [summary]
 * model_hints: {models: [gpt-4o-mini, claude-3-5-haiku], temperature: 0.2, max_tokens: 400}
 * labels: [prod]
 * metadata: {owner: support-team}
 * }</pre>
 */
package dev.kiai.core.prompt;
