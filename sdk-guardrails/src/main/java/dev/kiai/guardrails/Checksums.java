package dev.kiai.guardrails;

import dev.kiai.core.text.CheckDigits;
import java.util.Map;

/** Check-digit algorithms of the validated identifiers. */
final class Checksums {
  private Checksums() {}

  /** IBAN lengths per country (SWIFT IBAN registry). */
  static final Map<String, Integer> IBAN_LENGTHS = Map.ofEntries(
      Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20), Map.entry("AZ", 28),
      Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("BH", 22), Map.entry("BR", 29),
      Map.entry("BY", 28), Map.entry("CH", 21), Map.entry("CR", 22), Map.entry("CY", 28), Map.entry("CZ", 24),
      Map.entry("DE", 22), Map.entry("DK", 18), Map.entry("DO", 28), Map.entry("EE", 20), Map.entry("EG", 29),
      Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FO", 18), Map.entry("FR", 27), Map.entry("GB", 22),
      Map.entry("GE", 22), Map.entry("GI", 23), Map.entry("GL", 18), Map.entry("GR", 27), Map.entry("GT", 28),
      Map.entry("HR", 21), Map.entry("HU", 28), Map.entry("IE", 22), Map.entry("IL", 23), Map.entry("IQ", 23),
      Map.entry("IS", 26), Map.entry("IT", 27), Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20),
      Map.entry("LB", 28), Map.entry("LC", 32), Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20),
      Map.entry("LV", 21), Map.entry("MC", 27), Map.entry("MD", 24), Map.entry("ME", 22), Map.entry("MK", 19),
      Map.entry("MR", 27), Map.entry("MT", 31), Map.entry("MU", 30), Map.entry("NL", 18), Map.entry("NO", 15),
      Map.entry("PK", 24), Map.entry("PL", 28), Map.entry("PS", 29), Map.entry("PT", 25), Map.entry("QA", 29),
      Map.entry("RO", 24), Map.entry("RS", 22), Map.entry("SA", 24), Map.entry("SC", 31), Map.entry("SE", 24),
      Map.entry("SI", 19), Map.entry("SK", 24), Map.entry("SM", 27), Map.entry("ST", 25), Map.entry("SV", 28),
      Map.entry("TL", 23), Map.entry("TN", 24), Map.entry("TR", 26), Map.entry("UA", 29), Map.entry("VA", 22),
      Map.entry("VG", 24), Map.entry("XK", 20));

  static String digitsOnly(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** @param iban letters and digits, no separators */
  static boolean iban(String iban) {
    if (iban.length() < 15 || iban.length() > 34) {
      return false;
    }
    Integer len = IBAN_LENGTHS.get(iban.substring(0, 2));
    if (len == null || len != iban.length()) {
      return false;
    }
    return CheckDigits.ibanMod97(iban);
  }

  /** ISO 7064 MOD 11,10 over all but the last digit, compared with the last digit. */
  static boolean iso7064Mod11_10(String digits) {
    int product = 10;
    for (int i = 0; i < digits.length() - 1; i++) {
      int sum = (digits.charAt(i) - '0' + product) % 10;
      if (sum == 0) {
        sum = 10;
      }
      product = (sum * 2) % 11;
    }
    int check = 11 - product;
    if (check == 10) {
      check = 0;
    }
    return check == digits.charAt(digits.length() - 1) - '0';
  }

  /** German Steuer-ID: 11 digits, no leading zero, one digit repeated 2 or 3 times in the first ten. */
  static boolean deTaxId(String digits) {
    if (digits.length() != 11 || digits.charAt(0) == '0') {
      return false;
    }
    int[] counts = new int[10];
    for (int i = 0; i < 10; i++) {
      counts[digits.charAt(i) - '0']++;
    }
    int repeated = 0;
    int missing = 0;
    for (int c : counts) {
      if (c > 3) {
        return false;
      }
      if (c >= 2) {
        repeated++;
      }
      if (c == 0) {
        missing++;
      }
    }
    if (repeated != 1 || (missing != 1 && missing != 2)) {
      return false;
    }
    return iso7064Mod11_10(digits);
  }

  /** German VAT id digits (after "DE"): 9 digits, ISO 7064 MOD 11,10. */
  static boolean deVat(String digits) {
    return digits.length() == 9 && digits.charAt(0) != '0' && iso7064Mod11_10(digits);
  }

  /** Austrian VAT id digits (after "ATU"): 8 digits. */
  static boolean atVat(String digits) {
    if (digits.length() != 8) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 7; i++) {
      int d = digits.charAt(i) - '0';
      if (i % 2 == 1) {
        d *= 2;
        d = d / 10 + d % 10;
      }
      sum += d;
    }
    int check = (96 - sum) % 10;
    if (check < 0) {
      check += 10;
    }
    return check == digits.charAt(7) - '0';
  }

  /** Swiss UID digits (after "CHE"): 9 digits, mod 11 with weights 5,4,3,2,7,6,5,4. */
  static boolean chUid(String digits) {
    if (digits.length() != 9) {
      return false;
    }
    int[] w = {5, 4, 3, 2, 7, 6, 5, 4};
    int sum = 0;
    for (int i = 0; i < 8; i++) {
      sum += (digits.charAt(i) - '0') * w[i];
    }
    int check = 11 - sum % 11;
    if (check == 11) {
      check = 0;
    }
    return check != 10 && check == digits.charAt(8) - '0';
  }

  /** German Rentenversicherungsnummer: 2 digits, DDMMYY, a letter, 2 digits, check digit. */
  static boolean deSocialSecurity(String value) {
    if (value.length() != 12 || !Character.isLetter(value.charAt(8))) {
      return false;
    }
    int day = Integer.parseInt(value.substring(2, 4));
    int month = Integer.parseInt(value.substring(4, 6));
    if (day < 1 || day > 31 + 50 || (day > 31 && day < 51) || month < 1 || month > 12) {
      return false;
    }
    int letter = Character.toUpperCase(value.charAt(8)) - 'A' + 1;
    String expanded = value.substring(0, 8) + (letter < 10 ? "0" : "") + letter + value.substring(9, 11);
    int[] w = {2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1};
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      int p = (expanded.charAt(i) - '0') * w[i];
      sum += p / 10 + p % 10;
    }
    return sum % 10 == value.charAt(11) - '0';
  }

  /** Austrian SVNR: 3-digit serial, check digit, DDMMYY. */
  static boolean atSocialSecurity(String digits) {
    if (digits.length() != 10 || digits.charAt(0) == '0') {
      return false;
    }
    int day = Integer.parseInt(digits.substring(4, 6));
    int month = Integer.parseInt(digits.substring(6, 8));
    if (day < 1 || day > 31 || month < 1 || month > 12) {
      return false;
    }
    int[] w = {3, 7, 9, 0, 5, 8, 4, 2, 1, 6};
    int sum = 0;
    for (int i = 0; i < 10; i++) {
      sum += (digits.charAt(i) - '0') * w[i];
    }
    int check = sum % 11;
    return check != 10 && check == digits.charAt(3) - '0';
  }

  /** EAN-13 check digit (Swiss AHV numbers). */
  static boolean ean13(String digits) {
    if (digits.length() != 13) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      sum += (digits.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
    }
    return (10 - sum % 10) % 10 == digits.charAt(12) - '0';
  }

  /** US SSN: area not 000, 666 or 9xx; group not 00; serial not 0000. */
  static boolean usSsn(String digits) {
    if (digits.length() != 9) {
      return false;
    }
    String area = digits.substring(0, 3);
    return !area.equals("000") && !area.equals("666") && area.charAt(0) != '9'
        && !digits.substring(3, 5).equals("00") && !digits.substring(5).equals("0000")
        && !digits.equals("123456789") && !digits.chars().allMatch(c -> c == digits.charAt(0));
  }

  /** Shannon entropy in bits per character. */
  static double entropy(String s) {
    int[] counts = new int[128];
    int other = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128) {
        counts[c]++;
      } else {
        other++;
      }
    }
    double h = 0;
    int n = s.length();
    for (int c : counts) {
      if (c > 0) {
        double p = (double) c / n;
        h -= p * Math.log(p) / Math.log(2);
      }
    }
    if (other > 0) {
      double p = (double) other / n;
      h -= p * Math.log(p) / Math.log(2);
    }
    return h;
  }
}
