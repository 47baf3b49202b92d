package org.openest.est.http;

import java.util.Map;
import java.util.Optional;

import org.openest.est.config.EstConfig;
import org.openest.est.enroll.EnrollmentProfile;
import org.openest.est.enroll.EnrollmentService;
import org.openest.est.guard.EnrollmentGate;
import org.openest.est.guard.EnrollmentRateLimit;
import org.openest.est.ops.EstMetrics;
import org.openest.est.protocol.CsrDecoder;

/**
 * Everything the EST servlet needs, built once by the application listener and published as the servlet context
 * attribute {@value #ATTRIBUTE}.
 *
 * @param enrollment the enrollment service
 * @param decoder the CSR decoder
 * @param profiles profiles by label ("" is the default profile, served at the unlabeled path)
 * @param bootstrap profile serving the unlabeled /bootstrap, if enabled
 * @param http HTTP settings
 * @param auth authentication settings (enrolling role, per-client encoding overrides)
 * @param callers resolves the caller of a request (with login throttling and forwarded certificates)
 * @param enrollmentLimit enrollments per client per minute
 * @param metrics enrollment counters
 * @param gate enrollments processed at once, the rest queued in arrival order
 */
public record EstEndpoint(EnrollmentService enrollment, CsrDecoder decoder, Map<String, EnrollmentProfile> profiles,
                          Optional<EnrollmentProfile> bootstrap, EstConfig.Http http, EstConfig.Auth auth,
                          CallerResolver callers, EnrollmentRateLimit enrollmentLimit, EstMetrics metrics,
                          EnrollmentGate gate) {
    /** Servlet context attribute name. */
    public static final String ATTRIBUTE = "org.openest.est.endpoint";
}
