/** Small text utilities shared by several Kiai modules, such as the check digits of identifiers. */
package dev.kiai.core.text;
