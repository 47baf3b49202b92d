package org.openest.est.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServletResponse;

import org.openest.est.ca.Crypto;
import org.openest.est.config.EstConfig;
import org.openest.est.protocol.CertsOnly;

/**
 * Writes successful EST responses strictly: {@code Content-Length} always (older Bouncy Castle clients fail on
 * chunked bodies); for base64, RFC 8951 base64 wrapped at 64 columns plus {@code Content-Transfer-Encoding: base64}
 * unless switched off (Bouncy Castle's client decodes base64 only when that header is present); for DER, the raw
 * bytes and no Content-Transfer-Encoding header (gateways that pipe the body into {@code openssl pkcs7 -inform DER}).
 */
final class EstResponses {
    /** RFC 7030 section 4.1.3: exactly this for /cacerts (old BC clients compare the string). */
    static final String CACERTS_TYPE = "application/pkcs7-mime";
    /** RFC 7030 section 4.2.3. */
    static final String ENROLL_TYPE = "application/pkcs7-mime; smime-type=certs-only";
    /** RFC 7030 section 4.5.2. */
    static final String CSRATTRS_TYPE = "application/csrattrs";
    /** RFC 7030 section 4.4.2. */
    static final String PKCS8_TYPE = "application/pkcs8";

    private static final SecureRandom RANDOM = Crypto.random();

    private EstResponses() {
    }

    static void body(HttpServletResponse response, String contentType, byte[] der, EstConfig.Encoding encoding,
                     boolean cteHeader, boolean wrap) throws IOException {
        byte[] body = encoding == EstConfig.Encoding.DER ? der : CertsOnly.base64(der, wrap);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(contentType);
        if (encoding == EstConfig.Encoding.BASE64 && cteHeader) {
            response.setHeader("Content-Transfer-Encoding", "base64");
        }
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * RFC 7030 section 4.4.2 / RFC 8951 section 3.2.4: multipart/mixed with the PKCS#8 key and the certs-only
     * certificate. Each part carries its own Content-Transfer-Encoding; the response as a whole has none.
     */
    static void serverKey(HttpServletResponse response, byte[] pkcs8, byte[] certsOnly, EstConfig.Encoding encoding,
                          boolean wrap) throws IOException {
        String boundary = "est-" + HexFormat.of().formatHex(randomBytes());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, PKCS8_TYPE, pkcs8, encoding, wrap);
        part(body, boundary, ENROLL_TYPE, certsOnly, encoding, wrap);
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("multipart/mixed; boundary=" + boundary);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.size());
        body.writeTo(response.getOutputStream());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void part(ByteArrayOutputStream body, String boundary, String type, byte[] der,
                             EstConfig.Encoding encoding, boolean wrap) throws IOException {
        boolean base64 = encoding == EstConfig.Encoding.BASE64;
        String headers = "--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Transfer-Encoding: "
                + (base64 ? "base64" : "binary") + "\r\n\r\n";
        body.write(headers.getBytes(StandardCharsets.US_ASCII));
        body.write(base64 ? CertsOnly.base64(der, wrap) : der);
        if (!base64) {
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    static void noContent(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(0);
    }
}
