/**
 * Enrollment: who may enroll what ({@link org.openest.est.enroll.EnrollmentService} authorises, applies the
 * {@link org.openest.est.enroll.IssuancePolicy}, signs, records, and only then returns), and the audit trail.
 * Depends on {@code ca}, {@code store} and {@code protocol}; never on servlets.
 */
package org.openest.est.enroll;
