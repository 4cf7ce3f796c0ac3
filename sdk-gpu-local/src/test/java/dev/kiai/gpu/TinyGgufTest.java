package dev.kiai.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyGgufTest {
  @Test
  void headerIsGgufV3WithAllTensorsAndMetadata() {
    ByteBuffer b = ByteBuffer.wrap(TinyGguf.builder().build().bytes()).order(ByteOrder.LITTLE_ENDIAN);

    byte[] magic = new byte[4];
    b.get(magic);
    assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("GGUF");
    assertThat(b.getInt()).isEqualTo(3);
    assertThat(b.getLong()).isEqualTo(3 + 2 * 9); // embeddings, output norm, output + 9 per layer
    assertThat(b.getLong()).isEqualTo(24); // metadata keys
    long keyLength = b.getLong();
    byte[] key = new byte[(int) keyLength];
    b.get(key);
    assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo("general.architecture");
  }

  @Test
  void sameSeedSameBytesAndTheFileIsTiny(@TempDir Path dir) throws Exception {
    Path a = TinyGguf.builder().seed(7).build().writeTo(dir.resolve("a.gguf"));
    Path b = TinyGguf.builder().seed(7).build().writeTo(dir.resolve("sub/b.gguf"));

    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    assertThat(Files.size(a)).isLessThan(256 * 1024);
    assertThat(TinyGguf.builder().seed(8).build().bytes()).isNotEqualTo(Files.readAllBytes(a));
    assertThat(Files.size(a) % 32).isZero();
  }

  @Test
  void quantizedBlocksHaveTheFormatsSizesAndValues() {
    float[] v = new float[64];
    for (int i = 0; i < 64; i++) {
      v[i] = (i - 32) / 32f; // -1 .. 0.97
    }
    byte[] q8 = TinyGguf.q8_0(v);
    byte[] q4 = TinyGguf.q4_0(v);

    assertThat(q8).hasSize(2 * 34);
    assertThat(q4).hasSize(2 * 18);
    // first Q8_0 block: amax 1.0, d = 1/127 ≈ 0.007874 -> fp16 0x2008; x = -1 -> -127
    assertThat((q8[0] & 0xff) | (q8[1] & 0xff) << 8).isEqualTo(TinyGguf.toHalf(1f / 127f));
    assertThat(q8[2]).isEqualTo((byte) -127);
    // first Q4_0 block: max by magnitude is -1, d = -1 / -8 = 0.125; x = -1 -> (int)(-8 + 8.5) = 0
    assertThat((q4[0] & 0xff) | (q4[1] & 0xff) << 8).isEqualTo(0x3000);
    assertThat(q4[2] & 0x0f).isZero();
  }

  @Test
  void halfPrecisionConversion() {
    assertThat(TinyGguf.toHalf(1f)).isEqualTo(0x3c00);
    assertThat(TinyGguf.toHalf(-2f)).isEqualTo(0xc000);
    assertThat(TinyGguf.toHalf(0.125f)).isEqualTo(0x3000);
    assertThat(TinyGguf.toHalf(65504f)).isEqualTo(0x7bff);
    assertThat(TinyGguf.toHalf(0f)).isZero();
    assertThat(TinyGguf.toHalf(5.960464477539063e-8f)).isEqualTo(0x0001); // smallest subnormal
  }

  @Test
  void vocabularyIsByteLevel() {
    assertThat(TinyGguf.token(0)).isEqualTo("<unk>");
    assertThat(TinyGguf.token(3)).isEqualTo("<0x00>");
    assertThat(TinyGguf.token(3 + 0x0A)).isEqualTo("<0x0A>");
    assertThat(TinyGguf.token(258)).isEqualTo("<0xFF>");
    assertThatThrownBy(() -> TinyGguf.Weights.parse("q2_k")).hasMessage("quant must be one of f32, q8_0, q4_0; was q2_k");
  }
}
