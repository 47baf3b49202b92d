package org.openest.est.http;

import org.openest.est.ops.EstMetrics;
import org.openest.est.ops.HealthCheck;
import org.openest.est.ops.InFlightRequests;

/**
 * What {@code /health}, {@code /metrics} and the request filter need, published as the servlet context attribute
 * {@value #ATTRIBUTE}.
 *
 * @param health the health check
 * @param metrics the metrics
 * @param inFlight running requests, drained at shutdown
 */
public record OpsEndpoint(HealthCheck health, EstMetrics metrics, InFlightRequests inFlight) {
    /** Servlet context attribute name. */
    public static final String ATTRIBUTE = "org.openest.est.ops";
}
