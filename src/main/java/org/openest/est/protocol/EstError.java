package org.openest.est.protocol;

/**
 * Every failure a client can see, with its HTTP status and a short reason. The reason is sent as the
 * {@code text/plain} body; it never contains secrets or exception text.
 */
public enum EstError {
    /** The path names no EST operation. */
    UNKNOWN_OPERATION(404, "Unknown EST operation"),
    /** The label segment names no configured CA/profile. */
    UNKNOWN_LABEL(404, "Unknown EST label"),
    /** The operation exists but is not enabled here. */
    OPERATION_DISABLED(404, "EST operation not supported by this server"),
    /** Wrong HTTP method for the operation. */
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    /** Request Content-Type is not application/pkcs10. */
    UNSUPPORTED_MEDIA_TYPE(415, "Content-Type must be application/pkcs10"),
    /** Request body above the configured cap. */
    BODY_TOO_LARGE(413, "Request body too large"),
    /** The request body could not be read to its end (client stalled past the idle timeout, reset, bad chunking). */
    INCOMPLETE_BODY(400, "Request body could not be read completely"),
    /** Empty request body. */
    EMPTY_BODY(400, "Request body is empty"),
    /** Body is neither valid base64, PEM nor DER. */
    MALFORMED_BASE64(400, "Request body is not valid base64"),
    /** Decoded bytes are not a PKCS#10 CertificationRequest. */
    MALFORMED_CSR(400, "Request body is not a valid PKCS#10 certification request"),
    /** Proof of possession failed. */
    BAD_CSR_SIGNATURE(400, "CSR signature is invalid (proof of possession failed)"),
    /** Public key algorithm, curve or size is not allowed. */
    WEAK_OR_UNSUPPORTED_KEY(400, "CSR public key type or size is not allowed"),
    /** The CSR requests extensions a device certificate must not have. */
    FORBIDDEN_EXTENSION(400, "CSR requests a forbidden extension"),
    /** The CSR subject is empty and there is no subjectAltName. */
    EMPTY_SUBJECT(400, "CSR has an empty subject and no subjectAltName"),
    /** Re-enrollment CSR names differ from the certificate being renewed (RFC 7030 section 4.2.2). */
    SUBJECT_MISMATCH(403, "CSR subject and subjectAltName must equal those of the client certificate"),
    /** Subject DN too long or otherwise unacceptable. */
    INVALID_SUBJECT(400, "CSR subject is not acceptable"),
    /** A requested subjectAltName entry is malformed (control characters, wrong lengths, no names). */
    INVALID_SUBJECT_ALT_NAME(400, "CSR subjectAltName is not acceptable"),
    /** No usable credentials. */
    AUTHENTICATION_REQUIRED(401, "Authentication required"),
    /** Re-enrollment without a client certificate. */
    CLIENT_CERT_REQUIRED(403, "A TLS client certificate issued by this CA is required"),
    /** Authenticated, but not allowed to do this. */
    FORBIDDEN(403, "Not authorized for this operation"),
    /** The client certificate is revoked or not currently valid. */
    CERT_NOT_USABLE(403, "Client certificate is revoked, expired or not issued by this CA"),
    /** Held for manual approval (RFC 7030 section 4.2.3); sent with Retry-After and an empty body. */
    PENDING(202, "Enrollment request is pending manual approval"),
    /** An administrator rejected the held request. */
    REJECTED(403, "Enrollment request was rejected by an administrator"),
    /** The subject already holds a valid certificate and the profile refuses duplicates. */
    DUPLICATE(409, "A valid certificate for this subject already exists"),
    /** The authentication method is not accepted for this label. */
    METHOD_NOT_ACCEPTED(403, "Authentication method not accepted for this label"),
    /** Too many failed logins for this user name or from this address; sent with Retry-After. */
    LOCKED_OUT(429, "Too many failed authentication attempts; try again later"),
    /** The client's enrollment rate limit is exhausted; sent with Retry-After. */
    RATE_LIMITED(429, "Too many enrollment requests; try again later"),
    /** A backend is unavailable. */
    UNAVAILABLE(503, "Service temporarily unavailable"),
    /** Anything unexpected. */
    INTERNAL(500, "Internal server error");

    private final int status;
    private final String reason;

    EstError(int status, String reason) {
        this.status = status;
        this.reason = reason;
    }

    /** @return the HTTP status code */
    public int status() {
        return status;
    }

    /** @return the short human-readable reason */
    public String reason() {
        return reason;
    }
}
