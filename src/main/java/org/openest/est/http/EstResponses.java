package org.openest.est.http;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.openest.est.protocol.CertsOnly;

/**
 * Writes successful EST responses strictly: RFC 8951 base64 wrapped at 64 columns, {@code Content-Length} always
 * (older Bouncy Castle clients fail on chunked bodies), and {@code Content-Transfer-Encoding: base64} unless switched
 * off (Bouncy Castle's client decodes base64 only when that header is present).
 */
final class EstResponses {
    /** RFC 7030 section 4.1.3: exactly this for /cacerts (old BC clients compare the string). */
    static final String CACERTS_TYPE = "application/pkcs7-mime";
    /** RFC 7030 section 4.2.3. */
    static final String ENROLL_TYPE = "application/pkcs7-mime; smime-type=certs-only";
    /** RFC 7030 section 4.5.2. */
    static final String CSRATTRS_TYPE = "application/csrattrs";

    private final boolean cteHeader;

    EstResponses(boolean cteHeader) {
        this.cteHeader = cteHeader;
    }

    void base64(HttpServletResponse response, String contentType, byte[] der) throws IOException {
        byte[] body = CertsOnly.base64(der);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(contentType);
        if (cteHeader) {
            response.setHeader("Content-Transfer-Encoding", "base64");
        }
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static void noContent(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(0);
    }
}
