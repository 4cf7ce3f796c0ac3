/** Token and money budgets: signals the budget stage passes to the rest of the chain. */
package dev.kiai.core.budget;
