/**
 * Token and money budgets with hard caps. A {@link dev.kiai.core.budget.BudgetLedger} enforces
 * {@link dev.kiai.core.budget.BudgetLimits} (global, tenant, user, feature and template scopes; calendar
 * and rolling windows) by reserving each request's worst case and committing what it actually cost;
 * {@link dev.kiai.core.budget.BudgetInterceptor} puts it on the request path. At a cap a limit rejects,
 * downgrades or shrinks the request, telling later stages through a
 * {@link dev.kiai.core.budget.BudgetSignal}. Amounts live in a {@link dev.kiai.core.budget.BudgetStore}:
 * in memory, or in Redis (module {@code kiai-budget-redis}) to share budgets across replicas.
 */
package dev.kiai.core.budget;
