package org.openest.est.hostile;

/**
 * One hostile request body.
 *
 * @param id stable name, family/description (with an index for generated mutations)
 * @param defect what is wrong with it, which decides where it is sent (see {@link Defect})
 * @param body the exact request body
 */
public record HostileCase(String id, Defect defect, byte[] body) {

    /** What is wrong with a body; every defect is a 4xx on every operation it is sent to. */
    public enum Defect {
        /** Not a decodable PKCS#10 request at all (encoding, ASN.1 structure, wrong type). */
        STRUCTURE,
        /**
         * Decodes, but only its public key or signature is bad. {@code serverkeygen} must ignore both (RFC 7030
         * section 4.4.1), so these are not sent to it with valid credentials: there they are a valid request.
         */
        KEY_OR_SIGNATURE,
        /** Decodes (mostly correctly signed), but its version, names or extensions are unacceptable. */
        POLICY
    }

    @Override
    public String toString() {
        return id + " [" + defect + ", " + body.length + " bytes]";
    }
}
