package dev.kiai.core.cache;

import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.prompt.TemplateRef;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One answer in an {@link ExactCacheStore}: what a hit returns and what invalidation matches on.
 *
 * @param id the entry id ({@link CacheLookup#entryId()})
 * @param prompt the last user message it answers, as the user wrote it
 * @param response the answer, with the usage and cost it had (the cost a hit saves)
 * @param createdAt when it was stored
 * @param expiresAt when it stops being served
 * @param template the template version the prompt was rendered from, or null
 * @param tags tags for {@link ExactCacheStore#invalidateTag}
 */
public record CachedAnswer(String id, String prompt, ChatResponse response, Instant createdAt, Instant expiresAt,
    TemplateRef template, Set<String> tags) {

  /** Checks the fields and copies the tags. */
  public CachedAnswer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    tags = Set.copyOf(Objects.requireNonNull(tags, "tags"));
  }
}
