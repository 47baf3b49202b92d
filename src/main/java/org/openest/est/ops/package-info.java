/**
 * Operations: the health check behind {@code /health}, the Prometheus metrics behind {@code /metrics}, and the count
 * of running requests that shutdown drains. Free of servlet types; imports {@code ca}, {@code store}, the Prometheus
 * client and log4j.
 */
package org.openest.est.ops;
