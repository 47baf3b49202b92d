package org.openest.est.ca;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Orders loose certificates into a chain: from a starting certificate, each next element is the certificate whose
 * subject is the previous one's issuer and whose key verifies its signature, up to a self-signed root or the last
 * issuer found. Duplicates are dropped.
 */
public final class CertificateChains {
    private CertificateChains() {
    }

    /**
     * A chain and what did not fit into it.
     *
     * @param path the start certificate followed by its issuers, in order
     * @param unused certificates of the pool that are not on the path
     * @param complete true if the path ends at a self-signed certificate
     */
    public record Chain(List<X509Certificate> path, List<X509Certificate> unused, boolean complete) {
        /** Canonical constructor: copies. */
        public Chain {
            path = List.copyOf(path);
            unused = List.copyOf(unused);
        }

        /** @return the path without its first certificate: the issuers */
        public List<X509Certificate> issuers() {
            return path.subList(1, path.size());
        }
    }

    /**
     * @param start the certificate to start from (e.g. the issuing CA)
     * @param pool candidate issuers, in any order; may contain {@code start} and duplicates
     * @return the ordered chain
     */
    public static Chain build(X509Certificate start, Collection<X509Certificate> pool) {
        Set<X509Certificate> remaining = new LinkedHashSet<>(pool);
        remaining.remove(start);
        List<X509Certificate> path = new ArrayList<>();
        path.add(start);
        X509Certificate current = start;
        boolean complete = isSelfIssued(current);
        while (!complete) {
            Optional<X509Certificate> issuer = issuerOf(current, remaining);
            if (issuer.isEmpty()) {
                break;
            }
            current = issuer.get();
            remaining.remove(current);
            path.add(current);
            complete = isSelfIssued(current);
        }
        return new Chain(path, new ArrayList<>(remaining), complete);
    }

    /**
     * @param certificate a certificate
     * @param issuer a candidate issuer
     * @return true if the issuer's subject is the certificate's issuer and the issuer's key verifies it
     */
    public static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static Optional<X509Certificate> issuerOf(X509Certificate certificate, Set<X509Certificate> candidates) {
        return candidates.stream().filter(candidate -> signedBy(certificate, candidate)).findFirst();
    }

    private static boolean isSelfIssued(X509Certificate certificate) {
        return signedBy(certificate, certificate);
    }
}
