/**
 * Cost- and quality-aware routing for Kiai: a {@link dev.kiai.router.RoutingPolicy} picks the model for
 * each request (rules, a learned quality router, budget and load awareness), and the
 * {@link dev.kiai.router.RouterInterceptor} carries the decision out with resilience4j circuit breakers,
 * retries, rate limiters, bulkheads and time limits, falling back per error kind, optionally as a
 * cascade, a shadow or a canary. Every decision and attempt is recorded in the response's
 * {@link dev.kiai.core.Trace}.
 */
package dev.kiai.router;
