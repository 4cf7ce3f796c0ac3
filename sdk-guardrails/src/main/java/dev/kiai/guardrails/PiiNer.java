package dev.kiai.guardrails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiai.core.ChatModel;
import dev.kiai.core.chat.ChatRequest;
import dev.kiai.core.chat.ChatResponse;
import dev.kiai.core.error.MalformedResponseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An optional named-entity recognizer that adds to the built-in rules, e.g. person names a gazetteer
 * cannot know. Implementations are thread-safe.
 */
@FunctionalInterface
public interface PiiNer {

  /**
   * @param text the text to scan
   * @return entities found, offsets into {@code text}
   */
  List<PiiEntity> find(String text);

  /**
   * A recognizer that asks a chat model to list the person names, organisations' people and places it
   * sees, then locates every occurrence in the text. Costs one model call per scan; failures of the
   * model propagate as {@link dev.kiai.core.error.KiaiException}s, and an answer that is not the
   * requested JSON fails with a {@link MalformedResponseException} (fail closed: PII is never let through
   * silently).
   *
   * @param model the model to ask (a small, cheap one is enough)
   * @return the recognizer
   */
  static PiiNer chatModel(ChatModel model) {
    Objects.requireNonNull(model, "model");
    ObjectMapper mapper = new ObjectMapper();
    return text -> {
      ChatResponse r = model.chat(ChatRequest.builder()
          .addSystem("You find personal data. Answer with JSON only: {\"PERSON\":[...],\"LOCATION\":[...]} "
              + "listing every person name and every place name exactly as written in the user's text.")
          .addUser(text).temperature(0.0).build());
      List<PiiEntity> out = new ArrayList<>();
      JsonNode root;
      try {
        root = mapper.readTree(JsonRepair.repair(r.text()).json());
      } catch (java.io.IOException e) {
        throw new MalformedResponseException(r.provider(), r.model(), 200,
            "the NER model did not answer with the requested JSON", null, false, e);
      }
      for (String type : List.of(PiiTypes.PERSON, PiiTypes.LOCATION)) {
        JsonNode arr = root == null ? null : root.get(type);
        if (arr == null || !arr.isArray()) {
          continue;
        }
        for (JsonNode v : arr) {
          String value = v.asText();
          if (value.isBlank()) {
            continue;
          }
          int from = 0;
          int at;
          while ((at = text.indexOf(value, from)) >= 0) {
            out.add(new PiiEntity(type, at, at + value.length(), 0.8, value));
            from = at + value.length();
          }
        }
      }
      return out;
    };
  }
}
