package dev.kiai.gpu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * Writes a tiny, valid, random-weight Llama model in GGUF (version 3) that llama.cpp loads and runs: a
 * smoke model for tests, demos and CI, so that nothing has to be downloaded. Its text is gibberish —
 * the weights are random — but it exercises the whole engine path: loading, tokenizing, the chat
 * template, sampling, grammars, streaming, stop sequences and token accounting.
 *
 * <p>Shape: a byte-level SentencePiece vocabulary ({@code <unk>}, {@code <s>}, {@code </s>} and the 256
 * byte tokens {@code <0x00>}..{@code <0xFF>}: 259 tokens, so any UTF-8 text tokenizes), embedding 64, 2
 * layers, 4 attention heads sharing 2 KV heads, feed-forward 128, context 512 by default (every character is
 * at least one token, so prompts are long), and a ChatML
 * chat template. Embeddings, norms and the output layer are F32; the attention and feed-forward
 * matrices are stored as {@link Quantization#Q8_0}, {@link Quantization#Q4_0} or F32, in the formats'
 * block layouts. The same seed writes the same bytes.
 *
 * <pre>{@code
 * Path model = TinyGguf.builder().quantization(TinyGguf.Weights.Q8_0).build().writeTo(Path.of("tiny.gguf"));
 * }</pre>
 */
public final class TinyGguf {
  /** How the attention and feed-forward matrices are stored. */
  public enum Weights {
    /** 32-bit floats. */
    F32(0, 0),
    /** GGUF Q8_0: blocks of 32 int8 weights with an fp16 scale (34 bytes). */
    Q8_0(8, 7),
    /** GGUF Q4_0: blocks of 32 4-bit weights with an fp16 scale (18 bytes). */
    Q4_0(2, 2);

    private final int ggmlType;
    private final int fileType;

    Weights(int ggmlType, int fileType) {
      this.ggmlType = ggmlType;
      this.fileType = fileType;
    }

    /**
     * @param name {@code f32}, {@code q8_0} or {@code q4_0}, any case
     * @return the weights type
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Weights parse(String name) {
      for (Weights w : values()) {
        if (w.name().equalsIgnoreCase(Objects.requireNonNull(name, "name").trim())) {
          return w;
        }
      }
      throw new IllegalArgumentException("quant must be one of f32, q8_0, q4_0; was " + name);
    }
  }

  /** Tokens of the vocabulary: 3 special tokens and 256 byte tokens. */
  public static final int VOCAB_SIZE = 259;
  /** Id of {@code <s>}. */
  public static final int BOS_ID = 1;
  /** Id of {@code </s>}. */
  public static final int EOS_ID = 2;

  /** The chat template written into the file: ChatML, which llama.cpp recognises. */
  public static final String CHAT_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n'"
      + " + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
      + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

  private static final int ALIGNMENT = 32;
  private static final int EMBED = 64;
  private static final int LAYERS = 2;
  private static final int HEADS = 4;
  private static final int KV_HEADS = 2;
  private static final int FFN = 128;
  private static final int HEAD_DIM = EMBED / HEADS;

  private static final int GGUF_UINT32 = 4;
  private static final int GGUF_INT32 = 5;
  private static final int GGUF_FLOAT32 = 6;
  private static final int GGUF_BOOL = 7;
  private static final int GGUF_STRING = 8;
  private static final int GGUF_ARRAY = 9;
  private static final int GGML_F32 = 0;

  private final Weights weights;
  private final long seed;
  private final int contextLength;

  private TinyGguf(Builder b) {
    this.weights = b.weights;
    this.seed = b.seed;
    this.contextLength = b.contextLength;
  }

  /** @return a builder: Q8_0 weights, seed 42, context 512 */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Writes the model atomically (to a temporary file in the same folder, then moved into place).
   *
   * @param file where to write; parent folders are created
   * @return {@code file}
   * @throws UncheckedIOException when the file cannot be written
   */
  public Path writeTo(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, ".tiny-", ".gguf");
      try {
        Files.write(tmp, bytes());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** @return the whole file's bytes */
  public byte[] bytes() {
    Random random = new Random(seed);
    List<Tensor> tensors = new ArrayList<>();
    tensors.add(tensor("token_embd.weight", GGML_F32, random, 0.02f, EMBED, VOCAB_SIZE));
    tensors.add(ones("output_norm.weight", EMBED));
    tensors.add(tensor("output.weight", GGML_F32, random, 0.02f, EMBED, VOCAB_SIZE));
    int w = weights.ggmlType;
    for (int i = 0; i < LAYERS; i++) {
      String p = "blk." + i + ".";
      tensors.add(ones(p + "attn_norm.weight", EMBED));
      tensors.add(tensor(p + "attn_q.weight", w, random, 0.05f, EMBED, EMBED));
      tensors.add(tensor(p + "attn_k.weight", w, random, 0.05f, EMBED, KV_HEADS * HEAD_DIM));
      tensors.add(tensor(p + "attn_v.weight", w, random, 0.05f, EMBED, KV_HEADS * HEAD_DIM));
      tensors.add(tensor(p + "attn_output.weight", w, random, 0.05f, EMBED, EMBED));
      tensors.add(ones(p + "ffn_norm.weight", EMBED));
      tensors.add(tensor(p + "ffn_gate.weight", w, random, 0.05f, EMBED, FFN));
      tensors.add(tensor(p + "ffn_up.weight", w, random, 0.05f, EMBED, FFN));
      tensors.add(tensor(p + "ffn_down.weight", w, random, 0.05f, FFN, EMBED));
    }

    Le out = new Le();
    out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
    out.u32(3);
    out.u64(tensors.size());
    Le kv = new Le();
    int kvCount = metadata(kv);
    out.u64(kvCount);
    out.bytes(kv.toByteArray());
    long offset = 0;
    for (Tensor t : tensors) {
      out.string(t.name);
      out.u32(t.dims.length);
      for (long d : t.dims) {
        out.u64(d);
      }
      out.u32(t.type);
      out.u64(offset);
      offset = align(offset + t.data.length);
    }
    out.pad(ALIGNMENT);
    for (Tensor t : tensors) {
      out.bytes(t.data);
      out.pad(ALIGNMENT);
    }
    return out.toByteArray();
  }

  private int metadata(Le kv) {
    int n = 0;
    n += kvString(kv, "general.architecture", "llama");
    n += kvString(kv, "general.name", "kiai-tiny-random-" + weights.name().toLowerCase(Locale.ROOT));
    n += kvU32(kv, "general.alignment", ALIGNMENT);
    n += kvU32(kv, "general.file_type", weights.fileType);
    n += kvU32(kv, "llama.context_length", contextLength);
    n += kvU32(kv, "llama.embedding_length", EMBED);
    n += kvU32(kv, "llama.block_count", LAYERS);
    n += kvU32(kv, "llama.feed_forward_length", FFN);
    n += kvU32(kv, "llama.attention.head_count", HEADS);
    n += kvU32(kv, "llama.attention.head_count_kv", KV_HEADS);
    n += kvU32(kv, "llama.rope.dimension_count", HEAD_DIM);
    n += kvF32(kv, "llama.rope.freq_base", 10000f);
    n += kvF32(kv, "llama.attention.layer_norm_rms_epsilon", 1e-5f);
    n += kvU32(kv, "llama.vocab_size", VOCAB_SIZE);
    n += kvString(kv, "tokenizer.ggml.model", "llama");
    kv.string("tokenizer.ggml.tokens");
    kv.u32(GGUF_ARRAY);
    kv.u32(GGUF_STRING);
    kv.u64(VOCAB_SIZE);
    for (int i = 0; i < VOCAB_SIZE; i++) {
      kv.string(token(i));
    }
    n++;
    kv.string("tokenizer.ggml.scores");
    kv.u32(GGUF_ARRAY);
    kv.u32(GGUF_FLOAT32);
    kv.u64(VOCAB_SIZE);
    for (int i = 0; i < VOCAB_SIZE; i++) {
      kv.f32(0f);
    }
    n++;
    kv.string("tokenizer.ggml.token_type");
    kv.u32(GGUF_ARRAY);
    kv.u32(GGUF_INT32);
    kv.u64(VOCAB_SIZE);
    for (int i = 0; i < VOCAB_SIZE; i++) {
      kv.u32(i == 0 ? 2 : i < 3 ? 3 : 6); // unknown, control, byte
    }
    n++;
    n += kvU32(kv, "tokenizer.ggml.unknown_token_id", 0);
    n += kvU32(kv, "tokenizer.ggml.bos_token_id", BOS_ID);
    n += kvU32(kv, "tokenizer.ggml.eos_token_id", EOS_ID);
    n += kvBool(kv, "tokenizer.ggml.add_bos_token", true);
    n += kvBool(kv, "tokenizer.ggml.add_eos_token", false);
    n += kvString(kv, "tokenizer.chat_template", CHAT_TEMPLATE);
    return n;
  }

  /** @return the text of token {@code id} */
  static String token(int id) {
    return switch (id) {
      case 0 -> "<unk>";
      case 1 -> "<s>";
      case 2 -> "</s>";
      default -> String.format(Locale.ROOT, "<0x%02X>", id - 3);
    };
  }

  private static int kvString(Le kv, String key, String value) {
    kv.string(key);
    kv.u32(GGUF_STRING);
    kv.string(value);
    return 1;
  }

  private static int kvU32(Le kv, String key, int value) {
    kv.string(key);
    kv.u32(GGUF_UINT32);
    kv.u32(value);
    return 1;
  }

  private static int kvF32(Le kv, String key, float value) {
    kv.string(key);
    kv.u32(GGUF_FLOAT32);
    kv.f32(value);
    return 1;
  }

  private static int kvBool(Le kv, String key, boolean value) {
    kv.string(key);
    kv.u32(GGUF_BOOL);
    kv.u8(value ? 1 : 0);
    return 1;
  }

  private static long align(long n) {
    return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  private record Tensor(String name, long[] dims, int type, byte[] data) {}

  private static Tensor ones(String name, int n) {
    float[] v = new float[n];
    java.util.Arrays.fill(v, 1f);
    return new Tensor(name, new long[] {n}, GGML_F32, f32(v));
  }

  /** A matrix of {@code rows} rows of {@code cols} weights (ggml dims {@code [cols, rows]}). */
  private static Tensor tensor(String name, int type, Random random, float std, int cols, int rows) {
    float[] v = new float[cols * rows];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextGaussian() * std);
    }
    byte[] data = switch (type) {
      case GGML_F32 -> f32(v);
      case 8 -> q8_0(v);
      case 2 -> q4_0(v);
      default -> throw new IllegalArgumentException("type " + type);
    };
    return new Tensor(name, new long[] {cols, rows}, type, data);
  }

  private static byte[] f32(float[] v) {
    Le le = new Le();
    for (float f : v) {
      le.f32(f);
    }
    return le.toByteArray();
  }

  /** ggml's reference quantize_row_q8_0: per 32 weights, d = max|x| / 127 as fp16, then round(x / d). */
  static byte[] q8_0(float[] v) {
    Le le = new Le();
    for (int b = 0; b < v.length; b += 32) {
      float amax = 0;
      for (int j = 0; j < 32; j++) {
        amax = Math.max(amax, Math.abs(v[b + j]));
      }
      float d = amax / 127f;
      float id = d != 0 ? 1f / d : 0f;
      le.u16(toHalf(d));
      for (int j = 0; j < 32; j++) {
        le.u8(Math.round(v[b + j] * id));
      }
    }
    return le.toByteArray();
  }

  /**
   * ggml's reference quantize_row_q4_0: per 32 weights, d = (the value of largest magnitude) / -8 as
   * fp16; weight j and j+16 share byte j (low and high nibble) as min(15, (int) (x / d + 8.5)).
   */
  static byte[] q4_0(float[] v) {
    Le le = new Le();
    for (int b = 0; b < v.length; b += 32) {
      float amax = 0;
      float max = 0;
      for (int j = 0; j < 32; j++) {
        if (Math.abs(v[b + j]) > amax) {
          amax = Math.abs(v[b + j]);
          max = v[b + j];
        }
      }
      float d = max / -8f;
      float id = d != 0 ? 1f / d : 0f;
      le.u16(toHalf(d));
      for (int j = 0; j < 16; j++) {
        int x0 = Math.min(15, (int) (v[b + j] * id + 8.5f));
        int x1 = Math.min(15, (int) (v[b + 16 + j] * id + 8.5f));
        le.u8(x0 | (x1 << 4));
      }
    }
    return le.toByteArray();
  }

  /** IEEE 754 binary16 bits of {@code f}, rounded to nearest. */
  static int toHalf(float f) {
    int bits = Float.floatToIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int val = (bits & 0x7fffffff) + 0x1000;
    if (val >= 0x47800000) {
      if ((bits & 0x7fffffff) >= 0x47800000) {
        if (val < 0x7f800000) {
          return sign | 0x7c00;
        }
        return sign | 0x7c00 | ((bits & 0x007fffff) >>> 13);
      }
      return sign | 0x7bff;
    }
    if (val >= 0x38800000) {
      return sign | ((val - 0x38000000) >>> 13);
    }
    if (val < 0x33000000) {
      return sign;
    }
    val = (bits & 0x7fffffff) >>> 23;
    return sign | (((bits & 0x7fffff) | 0x800000) + (0x800000 >>> (val - 102)) >>> (126 - val));
  }

  /** A little-endian byte writer. */
  private static final class Le extends ByteArrayOutputStream {
    void u8(int v) {
      write(v & 0xff);
    }

    void u16(int v) {
      u8(v);
      u8(v >>> 8);
    }

    void u32(int v) {
      u16(v);
      u16(v >>> 16);
    }

    void u64(long v) {
      u32((int) v);
      u32((int) (v >>> 32));
    }

    void f32(float f) {
      u32(Float.floatToIntBits(f));
    }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u64(b.length);
      bytes(b);
    }

    void bytes(byte[] b) {
      write(b, 0, b.length);
    }

    void pad(int alignment) {
      while (size() % alignment != 0) {
        u8(0);
      }
    }
  }

  /** Configures a {@link TinyGguf}. */
  public static final class Builder {
    private Weights weights = Weights.Q8_0;
    private long seed = 42;
    private int contextLength = 512;

    private Builder() {}

    /** @param weights how the layer matrices are stored; default Q8_0 @return this */
    public Builder quantization(Weights weights) {
      this.weights = Objects.requireNonNull(weights, "weights");
      return this;
    }

    /** @param seed seed of the random weights; default 42 @return this */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** @param tokens the context length the model declares, 16..4096; default 512 @return this */
    public Builder contextLength(int tokens) {
      if (tokens < 16 || tokens > 4096) {
        throw new IllegalArgumentException("contextLength must be within 16..4096, was " + tokens);
      }
      this.contextLength = tokens;
      return this;
    }

    /** @return the writer */
    public TinyGguf build() {
      return new TinyGguf(this);
    }
  }
}
