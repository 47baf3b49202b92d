package org.openest.est.http;

import org.openest.est.enroll.EnrollmentService;

/**
 * What the admin API needs, published as the servlet context attribute {@value #ATTRIBUTE}.
 *
 * @param enrollment the enrollment service (pending requests and decisions)
 */
public record AdminEndpoint(EnrollmentService enrollment) {
    /** Servlet context attribute name. */
    public static final String ATTRIBUTE = "org.openest.est.admin";
}
