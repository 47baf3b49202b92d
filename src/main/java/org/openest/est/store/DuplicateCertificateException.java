package org.openest.est.store;

/** The subject already holds a valid certificate and the profile refuses duplicates. */
public final class DuplicateCertificateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param serial the serial of the valid certificate
     */
    public DuplicateCertificateException(String serial) {
        super("subject already holds valid certificate " + serial, null, false, false);
    }
}
