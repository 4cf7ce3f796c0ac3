/**
 * Kiai's typed errors. Every failure a caller can act on is a subtype of
 * {@link dev.kiai.core.error.KiaiException}; switch over the sealed hierarchy to handle each kind.
 */
package dev.kiai.core.error;
