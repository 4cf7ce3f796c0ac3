/** The {@link dev.kiai.core.load.LoadSignal} SPI: how loaded a model's serving engine is. */
package dev.kiai.core.load;
