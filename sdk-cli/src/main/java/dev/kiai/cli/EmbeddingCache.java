package dev.kiai.cli;

import dev.kiai.core.embedding.EmbeddingModel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@link EmbeddingModel} that reuses vectors stored in a file, keyed by the SHA-256 of the text, and
 * embeds (and adds to the file on {@link #flush}) only the texts it has not seen. The file names the
 * embedding model and its dimensions; a file made with another model is rejected, never mixed. Used by
 * {@code kiai route train|bench --embedding-cache} so that repeated runs on the same prompts skip the
 * embedding. Format: {@code KIAIEMB1}, model id (modified UTF-8), dimensions (int), then records of
 * 32 hash bytes and the floats, big-endian.
 *
 * <p>Not thread-safe (one CLI command uses it).
 */
final class EmbeddingCache implements EmbeddingModel {
  private static final String MAGIC = "KIAIEMB1";
  private final EmbeddingModel delegate;
  private final Path file;
  private final Map<String, float[]> vectors = new LinkedHashMap<>();
  private boolean dirty;

  private EmbeddingCache(EmbeddingModel delegate, Path file) {
    this.delegate = delegate;
    this.file = file;
  }

  /**
   * @param delegate the model that embeds unseen texts
   * @param file the cache file; read when it exists
   * @return the cache
   * @throws Cli.UsageError when the file belongs to another model or is not a cache file
   */
  static EmbeddingCache open(EmbeddingModel delegate, Path file) {
    EmbeddingCache c = new EmbeddingCache(delegate, file);
    if (Files.isRegularFile(file)) {
      c.read();
    }
    return c;
  }

  private void read() {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      byte[] magic = new byte[MAGIC.length()];
      in.readFully(magic);
      if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
        throw new Cli.UsageError(file + " is not a kiai embedding cache");
      }
      String model = in.readUTF();
      int d = in.readInt();
      if (!model.equals(delegate.modelId()) || d != delegate.dimensions()) {
        throw new Cli.UsageError(file + " holds " + model + " (" + d + " dims) embeddings, not "
            + delegate.modelId() + " (" + delegate.dimensions() + " dims); use another --embedding-cache file");
      }
      byte[] hash = new byte[32];
      while (true) {
        try {
          in.readFully(hash);
        } catch (EOFException e) {
          break;
        }
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
          v[i] = in.readFloat();
        }
        vectors.put(HexFormat.of().formatHex(hash), v);
      }
    } catch (EOFException e) {
      throw new Cli.UsageError(file + " is truncated");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the file when texts were added since it was read. */
  void flush() {
    if (!dirty) {
      return;
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.writeUTF(delegate.modelId());
        out.writeInt(delegate.dimensions());
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
          out.write(HexFormat.of().parseHex(e.getKey()));
          for (float f : e.getValue()) {
            out.writeFloat(f);
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      dirty = false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }


  static String key(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public float[] embed(String text) {
    return embedAll(List.of(text)).get(0);
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    List<String> keys = new ArrayList<>(texts.size());
    List<String> missing = new ArrayList<>();
    List<String> missingKeys = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String t : texts) {
      String k = key(t);
      keys.add(k);
      if (!vectors.containsKey(k) && seen.add(k)) {
        missing.add(t);
        missingKeys.add(k);
      }
    }
    if (!missing.isEmpty()) {
      List<float[]> fresh = delegate.embedAll(missing);
      for (int i = 0; i < missing.size(); i++) {
        vectors.put(missingKeys.get(i), fresh.get(i));
      }
      dirty = true;
    }
    List<float[]> out = new ArrayList<>(texts.size());
    for (String k : keys) {
      out.add(vectors.get(k).clone());
    }
    return out;
  }

  @Override
  public int dimensions() {
    return delegate.dimensions();
  }

  @Override
  public String modelId() {
    return delegate.modelId();
  }

  @Override
  public boolean normalized() {
    return delegate.normalized();
  }
}
