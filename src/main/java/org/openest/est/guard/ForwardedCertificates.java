package org.openest.est.guard;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openest.est.ca.Crypto;

/**
 * Client certificates forwarded by a TLS-terminating load balancer: RFC 9440 {@code Client-Cert} (a structured-field
 * byte sequence, {@code :base64-DER:}) or, as Tomcat's SSLValve reads it, {@code SSL_CLIENT_CERT} (PEM, newlines
 * possibly turned into spaces, or URL-encoded as nginx's {@code $ssl_client_escaped_cert}).
 *
 * <p>Believed only from a trusted proxy; the same header from anyone else is ignored and audited. The container did
 * not verify a forwarded certificate, so it is verified here: its signature must verify with one of our CA
 * certificates (an issuing CA or a CA of its chain) and it must be currently valid; otherwise the request has no
 * certificate at all and the refusal is audited. Revocation is checked later, against the registry, where a
 * certificate is used (re-enrollment). Thread-safe and immutable.
 */
public final class ForwardedCertificates {
    /** RFC 9440 header. */
    public static final String CLIENT_CERT = "Client-Cert";
    /** Tomcat SSLValve / Apache mod_ssl style header. */
    public static final String SSL_CLIENT_CERT = "SSL_CLIENT_CERT";

    private static final Logger AUDIT = LogManager.getLogger("est.audit");
    /** Longer header values are refused unparsed (one certificate is a few kilobytes). */
    private static final int MAX_LENGTH = 16 * 1024;

    private final TrustedProxies proxies;
    private final List<X509Certificate> issuers;
    private final Clock clock;

    /** What a request's forwarding headers amount to. */
    public enum Outcome {
        /** No forwarding header: use what the container verified. */
        ABSENT,
        /** A header from a peer that is not a trusted proxy: ignored, use what the container verified. */
        IGNORED,
        /** A header from a trusted proxy that did not verify: the request has no certificate. */
        REJECTED,
        /** A verified certificate from a trusted proxy. */
        ACCEPTED
    }

    /**
     * @param outcome what happened
     * @param certificate the accepted certificate (present only for ACCEPTED)
     */
    public record Result(Outcome outcome, Optional<X509Certificate> certificate) {
    }

    /**
     * @param proxies the trusted proxies
     * @param issuers our CA certificates (every configured CA's chain)
     * @param clock time for the validity check
     */
    public ForwardedCertificates(TrustedProxies proxies, List<X509Certificate> issuers, Clock clock) {
        this.proxies = proxies;
        this.issuers = List.copyOf(issuers);
        this.clock = clock;
    }

    /**
     * @param peer the TCP peer address
     * @param clientCert the {@code Client-Cert} header lines (empty if none)
     * @param sslClientCert the {@code SSL_CLIENT_CERT} header lines (empty if none)
     * @return the outcome, audited unless ABSENT or ACCEPTED
     */
    public Result resolve(String peer, List<String> clientCert, List<String> sslClientCert) {
        boolean rfc9440 = !clientCert.isEmpty();
        if (!rfc9440 && sslClientCert.isEmpty()) {
            return new Result(Outcome.ABSENT, Optional.empty());
        }
        String header = rfc9440 ? CLIENT_CERT : SSL_CLIENT_CERT;
        if (!proxies.trusts(peer)) {
            AUDIT.warn("FORWARDED_CERT_IGNORED header={} ip={} reason=\"sender is not a trusted proxy\"", header,
                    peer);
            return new Result(Outcome.IGNORED, Optional.empty());
        }
        List<String> lines = rfc9440 ? clientCert : sslClientCert;
        X509Certificate certificate;
        try {
            if (lines.size() != 1 || lines.get(0).length() > MAX_LENGTH) {
                throw new IllegalArgumentException("not exactly one header line of at most " + MAX_LENGTH
                        + " characters");
            }
            byte[] der = rfc9440 ? structuredBinary(lines.get(0)) : pem(lines.get(0));
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
            return rejected(header, peer, "unparseable: " + e.getMessage(), "");
        }
        String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        if (!signedByUs(certificate)) {
            return rejected(header, peer, "not issued by a CA of this server", subject);
        }
        try {
            certificate.checkValidity(Date.from(clock.instant()));
        } catch (CertificateException e) {
            return rejected(header, peer, "not currently valid", subject);
        }
        return new Result(Outcome.ACCEPTED, Optional.of(certificate));
    }

    private static Result rejected(String header, String peer, String reason, String subject) {
        String shortSubject = subject.length() > 200 ? subject.substring(0, 200) + "..." : subject;
        String shortReason = reason.length() > 120 ? reason.substring(0, 120) + "..." : reason;
        AUDIT.warn("FORWARDED_CERT_REJECTED header={} ip={} subject=\"{}\" reason=\"{}\"", header, peer,
                shortSubject, shortReason);
        return new Result(Outcome.REJECTED, Optional.empty());
    }

    private boolean signedByUs(X509Certificate certificate) {
        for (X509Certificate issuer : issuers) {
            if (!issuer.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                continue;
            }
            try {
                certificate.verify(issuer.getPublicKey(), Crypto.provider());
                return true;
            } catch (GeneralSecurityException | RuntimeException e) {
                // same name, other key (a forged or foreign CA): try the next one
            }
        }
        return false;
    }

    /**
     * RFC 8941 section 4.2.7 byte sequence: {@code :} base64 {@code :}, optional surrounding whitespace.
     *
     * @param value the header value
     * @return the decoded bytes
     * @throws IllegalArgumentException if it is not a byte sequence
     */
    static byte[] structuredBinary(String value) {
        String trimmed = value.strip();
        if (trimmed.length() < 2 || trimmed.charAt(0) != ':' || trimmed.charAt(trimmed.length() - 1) != ':') {
            throw new IllegalArgumentException("not a structured-field byte sequence");
        }
        String base64 = trimmed.substring(1, trimmed.length() - 1);
        if (!base64.matches("[A-Za-z0-9+/]*={0,2}")) {
            throw new IllegalArgumentException("not base64");
        }
        return Base64.getDecoder().decode(base64);
    }

    /**
     * A PEM certificate as proxies forward it: newlines kept, turned into spaces, or URL-encoded.
     *
     * @param value the header value
     * @return the DER bytes of the first certificate
     * @throws IllegalArgumentException if there is no PEM certificate
     */
    static byte[] pem(String value) {
        String text = value.strip();
        if (text.startsWith("-----BEGIN%20") || text.contains("%0A")) {
            text = percentDecode(text);
        }
        String begin = "-----BEGIN CERTIFICATE-----";
        String end = "-----END CERTIFICATE-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no PEM certificate");
        }
        String base64 = text.substring(from + begin.length(), to).replaceAll("\\s+", "");
        if (!base64.matches("[A-Za-z0-9+/]*={0,2}")) {
            throw new IllegalArgumentException("not base64");
        }
        return Base64.getDecoder().decode(base64);
    }

    /** %XX sequences only; unlike URLDecoder, '+' stays '+' (it is a base64 character, not a space). */
    private static String percentDecode(String text) {
        StringBuilder decoded = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                int value = HexFormat.fromHexDigits(text, i + 1, i + 3);
                decoded.append((char) value);
                i += 2;
            } else {
                decoded.append(c);
            }
        }
        return decoded.toString();
    }
}
