package org.openest.est.enroll;

import java.util.Optional;

import org.openest.est.ca.CertificateAuthority;
import org.openest.est.config.EstConfig;

/**
 * A profile at run time: its settings, the CA that issues for it, its issuance policy, and the responses that never
 * change (cacerts, csrattrs), encoded once.
 *
 * @param settings the configured profile
 * @param ca its issuing CA
 * @param policy its issuance policy
 * @param caCerts DER of its certs-only /cacerts response
 * @param csrAttrs DER of its /csrattrs response, empty for 204
 */
public record EnrollmentProfile(EstConfig.Profile settings, CertificateAuthority ca, IssuancePolicy policy,
                                byte[] caCerts, Optional<byte[]> csrAttrs) {

    /** @return the profile name */
    public String name() {
        return settings.name();
    }

    /** @return the label ("" for the default profile) */
    public String label() {
        return settings.label();
    }
}
