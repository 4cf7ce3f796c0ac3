/**
 * {@link dev.kiai.budget.redis.RedisBudgetStore}: a {@link dev.kiai.core.budget.BudgetStore} in Redis,
 * one atomic Lua script per reserve and per commit, so several application replicas share one budget.
 */
package dev.kiai.budget.redis;
