package org.openest.est.store;

/** The client certificate that authenticated an enrollment is revoked in the registry: nothing was recorded. */
public final class RevokedCertificateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param serial the serial of the revoked client certificate
     */
    public RevokedCertificateException(String serial) {
        super("client certificate " + serial + " is revoked", null, false, false);
    }
}
