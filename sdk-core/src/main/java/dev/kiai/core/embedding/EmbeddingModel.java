package dev.kiai.core.embedding;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns text into dense vectors: the SPI behind the semantic cache, the learned router, the
 * guardrails' classifier and RAG retrieval. Implementations are thread-safe; vectors of one model all
 * have {@link #dimensions()} entries and are L2-normalised when {@link #normalized()} is true (then the
 * dot product is the cosine similarity).
 */
public interface EmbeddingModel {

  /**
   * @param text the text; implementations truncate what exceeds their input limit
   * @return its vector
   */
  float[] embed(String text);

  /**
   * Embeds several texts; implementations batch where it is faster. The result for each text equals
   * {@link #embed(String)} of it.
   *
   * @param texts the texts
   * @return one vector per text, in order
   */
  default List<float[]> embedAll(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(embed(t));
    }
    return out;
  }

  /** @return the length of every vector */
  int dimensions();

  /** @return an id of the model that also names its version, e.g. {@code all-minilm-l6-v2-q} */
  String modelId();

  /** @return true when vectors are L2-normalised */
  default boolean normalized() {
    return true;
  }
}
