package org.openest.est.http;

import org.openest.est.enroll.EnrollmentService;
import org.openest.est.revoke.FleetService;
import org.openest.est.revoke.OcspResponder;

/**
 * What the admin API and the revocation endpoints need, published as the servlet context attribute
 * {@value #ATTRIBUTE}.
 *
 * @param enrollment the enrollment service (pending requests and decisions)
 * @param fleet fleet views, revocation and CRLs
 * @param ocsp the OCSP responder
 */
public record AdminEndpoint(EnrollmentService enrollment, FleetService fleet, OcspResponder ocsp) {
    /** Servlet context attribute name. */
    public static final String ATTRIBUTE = "org.openest.est.admin";
}
