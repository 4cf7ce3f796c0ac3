package dev.kiai.examples;

/** One part of the README demo; each capability adds its own section. */
interface DemoSection {
  /** @return the heading printed before the section */
  String title();

  /**
   * Runs the section.
   *
   * @param ctx what every section shares
   * @throws Exception on failure; the demo reports it and exits non-zero
   */
  void run(DemoContext ctx) throws Exception;
}
