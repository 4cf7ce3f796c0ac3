package dev.kiai.guardrails;

import java.util.List;

/** The entity type names {@link PiiDetector} reports. Presidio's names where they exist, Kiai's otherwise. */
public final class PiiTypes {
  private PiiTypes() {}

  /** E-mail address. */
  public static final String EMAIL_ADDRESS = "EMAIL_ADDRESS";
  /** Phone number, E.164 or a national format of DE, AT, CH, US, UK or FR. */
  public static final String PHONE_NUMBER = "PHONE_NUMBER";
  /** IBAN with a valid mod-97 check and the country's length. */
  public static final String IBAN_CODE = "IBAN_CODE";
  /** Payment card number with a valid Luhn check. */
  public static final String CREDIT_CARD = "CREDIT_CARD";
  /** IPv4 or IPv6 address. */
  public static final String IP_ADDRESS = "IP_ADDRESS";
  /** URL that carries a user name and password. */
  public static final String URL_CREDENTIALS = "URL_CREDENTIALS";
  /** German tax identification number (Steuer-ID), checksum-validated. */
  public static final String DE_TAX_ID = "DE_TAX_ID";
  /** VAT identification number of DE, AT (checksum-validated) or CH (UID, checksum-validated). */
  public static final String VAT_ID = "VAT_ID";
  /** German pension insurance number (Rentenversicherungsnummer), checksum-validated. */
  public static final String DE_SOCIAL_SECURITY = "DE_SOCIAL_SECURITY";
  /** Austrian social security number (SVNR), checksum-validated. */
  public static final String AT_SOCIAL_SECURITY = "AT_SOCIAL_SECURITY";
  /** Swiss AHV number (756.xxxx.xxxx.xx), EAN-13-validated. */
  public static final String CH_AHV = "CH_AHV";
  /** US social security number with the SSA's invalid ranges excluded. */
  public static final String US_SSN = "US_SSN";
  /** A calendar date (dates of birth score higher). */
  public static final String DATE_TIME = "DATE_TIME";
  /** A person's age stated with context ("42 years old", "42 Jahre alt"). */
  public static final String AGE = "AGE";
  /** Street address (DE and US patterns). */
  public static final String STREET_ADDRESS = "STREET_ADDRESS";
  /** Person name (titles, context words, first-name gazetteer, or a {@link PiiNer} model). */
  public static final String PERSON = "PERSON";
  /** Country or city from the bundled gazetteer. */
  public static final String LOCATION = "LOCATION";
  /** API keys, tokens, private keys, high-entropy values next to key/token/secret. */
  public static final String SECRET = "SECRET";
  /** Web address (http, https or www.), e.g. a personal homepage. */
  public static final String URL = "URL";
  /** Postal code after a cue word ("ZIP: 94105", "PLZ 10115"); inside a street address it is part of that. */
  public static final String ZIP_CODE = "ZIP_CODE";
  /** Organisation named with a legal form or company word ("Acme Widgets GmbH", "Healthpocket Inc"). */
  public static final String ORGANIZATION = "ORGANIZATION";
  /** Honorific before a person's name ("Mr.", "Dr.", "Frau"); it reveals gender or profession. */
  public static final String TITLE = "TITLE";

  /**
   * Nationality, religious or political group ("Brazilian", "Muslim", "Republican"), Presidio's name for
   * the type; a language named as such ("speaks German") is not reported.
   */
  public static final String NRP = "NRP";

  /** @return every type the built-in recognizers report */
  public static List<String> all() {
    return List.of(EMAIL_ADDRESS, PHONE_NUMBER, IBAN_CODE, CREDIT_CARD, IP_ADDRESS, URL_CREDENTIALS, DE_TAX_ID,
        VAT_ID, DE_SOCIAL_SECURITY, AT_SOCIAL_SECURITY, CH_AHV, US_SSN, DATE_TIME, AGE, STREET_ADDRESS, PERSON,
        LOCATION, SECRET, URL, ZIP_CODE, TITLE, ORGANIZATION, NRP);
  }
}
