package dev.kiai.core.text;

import java.math.BigInteger;

/**
 * Check-digit algorithms that tell a real identifier from a look-alike, shared by the guardrails' PII
 * recognizers and the eval module's built-in PII assertion: Luhn (payment cards) and ISO 7064 MOD 97-10
 * (IBAN). Stateless; every method is pure.
 */
public final class CheckDigits {
  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

  private CheckDigits() {}

  /**
   * @param digits ASCII digits only, the check digit last
   * @return true when the Luhn sum is a multiple of 10
   */
  public static boolean luhn(String digits) {
    int sum = 0;
    boolean dbl = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  /**
   * The IBAN checksum only (no length or country check): the first four characters moved to the end,
   * letters replaced by 10..35, the number modulo 97 must be 1.
   *
   * @param iban upper-case letters and digits, no separators, at least 5 characters
   * @return true when the checksum holds; false for any other character
   */
  public static boolean ibanMod97(String iban) {
    String rearranged = iban.substring(4) + iban.substring(0, 4);
    StringBuilder num = new StringBuilder(rearranged.length() * 2);
    for (int i = 0; i < rearranged.length(); i++) {
      char c = rearranged.charAt(i);
      if (c >= '0' && c <= '9') {
        num.append(c);
      } else if (c >= 'A' && c <= 'Z') {
        num.append(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return new BigInteger(num.toString()).mod(NINETY_SEVEN).intValue() == 1;
  }
}
