/** Runnable examples of Kiai, including the README demo ({@link dev.kiai.examples.Demo}). */
package dev.kiai.examples;
