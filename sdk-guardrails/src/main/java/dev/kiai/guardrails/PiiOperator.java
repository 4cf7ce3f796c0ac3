package dev.kiai.guardrails;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What {@link PiiScrubber} puts in place of a found entity. All operators are immutable and
 * thread-safe.
 */
public sealed interface PiiOperator
    permits PiiOperator.Redact, PiiOperator.Mask, PiiOperator.Hash, PiiOperator.Encrypt, PiiOperator.Pseudonymize {

  /**
   * @param entity the entity
   * @param vault the request's vault (used by {@link Pseudonymize} only)
   * @return the replacement text
   */
  String apply(PiiEntity entity, PseudonymVault vault);

  /** @return an operator replacing each entity with {@code <TYPE>} */
  static PiiOperator redact() {
    return new Redact();
  }

  /**
   * @param keepLast how many trailing characters stay visible, e.g. 4 for a card number
   * @return an operator replacing letters and digits with {@code *}, keeping the last {@code keepLast}
   */
  static PiiOperator mask(int keepLast) {
    return new Mask(keepLast);
  }

  /**
   * @param key HMAC-SHA256 key, at least 16 bytes; keep it secret so values cannot be guessed back
   * @return an operator replacing each entity with {@code <TYPE:first 16 hex chars of the HMAC>}
   */
  static PiiOperator hash(byte[] key) {
    return new Hash(key);
  }

  /**
   * @param key AES key (128, 192 or 256 bits)
   * @return an operator replacing each entity with {@code <ENC:base64url(iv|ciphertext)>}
   */
  static PiiOperator encrypt(SecretKey key) {
    return new Encrypt(key);
  }

  /** @return an operator replacing each entity with a consistent placeholder such as {@code <PERSON_1>} */
  static PiiOperator pseudonymize() {
    return new Pseudonymize();
  }

  /** Replaces the value with its type, e.g. {@code <EMAIL_ADDRESS>}. */
  record Redact() implements PiiOperator {
    @Override
    public String apply(PiiEntity entity, PseudonymVault vault) {
      return "<" + entity.type() + ">";
    }
  }

  /**
   * Masks letters and digits, keeping separators and the last characters.
   *
   * @param keepLast characters left visible at the end, 0 or more
   */
  record Mask(int keepLast) implements PiiOperator {
    public Mask {
      if (keepLast < 0) {
        throw new IllegalArgumentException("keepLast must be >= 0, was " + keepLast);
      }
    }

    @Override
    public String apply(PiiEntity entity, PseudonymVault vault) {
      String v = entity.text();
      int visibleFrom = Math.max(0, v.length() - keepLast);
      // never reveal more than half of a short value
      visibleFrom = Math.max(visibleFrom, (v.length() + 1) / 2);
      StringBuilder sb = new StringBuilder(v.length());
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        sb.append(i < visibleFrom && Character.isLetterOrDigit(c) ? '*' : c);
      }
      return sb.toString();
    }
  }

  /**
   * Keyed hash: the same value always gives the same token, without a way back.
   *
   * @param key HMAC-SHA256 key (copied)
   */
  record Hash(byte[] key) implements PiiOperator {
    public Hash {
      Objects.requireNonNull(key, "key");
      if (key.length < 16) {
        throw new IllegalArgumentException("key must have at least 16 bytes, had " + key.length);
      }
      key = key.clone();
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public String apply(PiiEntity entity, PseudonymVault vault) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] h = mac.doFinal(entity.text().getBytes(StandardCharsets.UTF_8));
        return "<" + entity.type() + ":" + HexFormat.of().formatHex(h, 0, 8) + ">";
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 unavailable", e);
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Hash h && Arrays.equals(key, h.key);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
      return "Hash[key=***]";
    }
  }

  /**
   * AES-GCM encryption with a random IV per value; {@link #decrypt} reverses it.
   *
   * @param key AES key
   */
  record Encrypt(SecretKey key) implements PiiOperator {
    private static final SecureRandom RANDOM = new SecureRandom();

    public Encrypt {
      Objects.requireNonNull(key, "key");
      if (!"AES".equalsIgnoreCase(key.getAlgorithm())) {
        throw new IllegalArgumentException("key must be an AES key, was " + key.getAlgorithm());
      }
    }

    @Override
    public String apply(PiiEntity entity, PseudonymVault vault) {
      try {
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        c.updateAAD(entity.type().getBytes(StandardCharsets.UTF_8));
        byte[] ct = c.doFinal(entity.text().getBytes(StandardCharsets.UTF_8));
        byte[] all = ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array();
        return "<ENC:" + entity.type() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(all) + ">";
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES/GCM unavailable", e);
      }
    }

    /**
     * @param token a token this operator produced, {@code <ENC:TYPE:...>}
     * @return the original value
     * @throws IllegalArgumentException when the token is malformed or was not made with this key
     */
    public String decrypt(String token) {
      if (!token.startsWith("<ENC:") || !token.endsWith(">") || token.indexOf(':', 5) < 0) {
        throw new IllegalArgumentException("token must look like <ENC:TYPE:...>, was " + token);
      }
      int colon = token.indexOf(':', 5);
      String type = token.substring(5, colon);
      try {
        byte[] all = Base64.getUrlDecoder().decode(token.substring(colon + 1, token.length() - 1));
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
        c.updateAAD(type.getBytes(StandardCharsets.UTF_8));
        return new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new IllegalArgumentException("token could not be decrypted with this key", e);
      }
    }
  }

  /** Consistent, reversible placeholders ({@code <PERSON_1>}) recorded in the request's {@link PseudonymVault}. */
  record Pseudonymize() implements PiiOperator {
    @Override
    public String apply(PiiEntity entity, PseudonymVault vault) {
      return Objects.requireNonNull(vault, "vault").placeholderFor(entity.type(), entity.text());
    }
  }
}
