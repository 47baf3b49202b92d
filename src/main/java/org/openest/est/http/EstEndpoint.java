package org.openest.est.http;

import java.util.Optional;
import java.util.Set;

import org.openest.est.config.EstConfig;
import org.openest.est.enroll.EnrollmentService;
import org.openest.est.protocol.CsrDecoder;

/**
 * Everything the EST servlet needs, built once by the application listener and published as the servlet context
 * attribute {@value #ATTRIBUTE}.
 *
 * @param enrollment the enrollment service
 * @param decoder the CSR decoder
 * @param caCerts DER of the certs-only /cacerts response (computed once)
 * @param csrAttrs DER of the /csrattrs response, empty for 204
 * @param labels configured labels (RFC 7030 section 3.2.2); the unlabeled path is always served
 * @param http HTTP settings
 * @param enrollRole container role allowing Basic users to enroll
 */
public record EstEndpoint(EnrollmentService enrollment, CsrDecoder decoder, byte[] caCerts, Optional<byte[]> csrAttrs,
                          Set<String> labels, EstConfig.Http http, String enrollRole) {
    /** Servlet context attribute name. */
    public static final String ATTRIBUTE = "org.openest.est.endpoint";
}
