package org.openest.est.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Hostile HTTP requests as raw bytes: Content-Type abuse (absent, wrong, duplicated, oversized, with NUL) around a
 * valid CSR, message framing attacks (conflicting lengths, broken chunking), oversized and malformed headers, request
 * lines that are not HTTP, path traversal towards WEB-INF and the admin API, and wrong methods. None may be answered
 * with 2xx or 5xx; every one must be answered with 4xx or a closed connection.
 */
public final class HostileHttp {
    /** Operation path used for POSTs. */
    public static final String ENROLL = "/.well-known/est/hostile/simpleenroll";
    private static final String CRLF = "\r\n";

    /**
     * One raw request.
     *
     * @param id stable name
     * @param bytes the request as sent
     * @param containerStatus a non-4xx status the container (not the webapp) may answer because HTTP prescribes it,
     *                        or 0
     */
    public record RawCase(String id, byte[] bytes, int containerStatus) {
        @Override
        public String toString() {
            return id;
        }
    }

    private final String authorization;
    private final byte[] csr;
    private final List<RawCase> cases = new ArrayList<>();

    private HostileHttp(String authorization, byte[] validCsrBase64) {
        this.authorization = authorization;
        this.csr = validCsrBase64;
    }

    /**
     * @param authorization a valid Basic Authorization header value
     * @param validCsrBase64 a valid CSR: any 2xx would issue a certificate, so the framing alone must be refused
     * @return the cases
     */
    public static List<RawCase> cases(String authorization, byte[] validCsrBase64) {
        HostileHttp http = new HostileHttp(authorization, validCsrBase64);
        http.contentTypes();
        http.framing();
        http.headers();
        http.requestLines();
        http.paths();
        http.methods();
        return List.copyOf(http.cases);
    }

    private void post(String id, String extraHeaders, byte[] body) {
        add(id, "POST " + ENROLL + " HTTP/1.1" + CRLF + "Host: localhost" + CRLF + "Authorization: " + authorization
                + CRLF + extraHeaders + "Connection: close" + CRLF + CRLF, body);
    }

    private void add(String id, String head, byte[] body) {
        add(id, head, body, 0);
    }

    private void add(String id, String head, byte[] body, int containerStatus) {
        byte[] start = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[start.length + body.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        cases.add(new RawCase(id, all, containerStatus));
    }

    private void get(String id, String target) {
        add(id, "GET " + target + " HTTP/1.1" + CRLF + "Host: localhost" + CRLF + "Connection: close" + CRLF + CRLF,
                new byte[0]);
    }

    private String length() {
        return "Content-Length: " + csr.length + CRLF;
    }

    private void contentTypes() {
        post("content-type/absent", length(), csr);
        String[] wrong = {"text/plain", "application/json", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/pkcs7-mime", "application/pkcs10x",
            "application/pkcs10, text/plain", "application /pkcs10", "pkcs10", "application/", "*/*",
            "application/pkcs10\u0000", "x".repeat(6_000)};
        for (String type : wrong) {
            post("content-type/" + printable(type), "Content-Type: " + type + CRLF + length(), csr);
        }
        post("content-type/empty-value", "Content-Type: " + CRLF + length(), csr);
        post("content-type/duplicated-text-first", "Content-Type: text/plain" + CRLF
                + "Content-Type: application/pkcs10" + CRLF + length(), csr);
        post("content-type/duplicated-pkcs10-first", "Content-Type: application/pkcs10" + CRLF
                + "Content-Type: text/plain" + CRLF + length(), csr);
        post("content-type/obsolete-line-folding", "Content-Type: text/plain" + CRLF + " application/pkcs10" + CRLF
                + length(), csr);
    }

    private void framing() {
        String type = "Content-Type: application/pkcs10" + CRLF;
        byte[] garbage = "this is not a certification request, not even base64!".getBytes(StandardCharsets.US_ASCII);
        post("framing/content-length-and-chunked", type + length() + "Transfer-Encoding: chunked" + CRLF,
                chunk(csr));
        post("framing/two-content-lengths", type + "Content-Length: 10" + CRLF + length(), csr);
        post("framing/negative-content-length", type + "Content-Length: -1" + CRLF, csr);
        post("framing/non-numeric-content-length", type + "Content-Length: 12abc" + CRLF, csr);
        post("framing/20-digit-content-length", type + "Content-Length: 99999999999999999999" + CRLF, csr);
        post("framing/content-length-shorter-than-body", type + "Content-Length: 10" + CRLF, garbage);
        post("framing/chunk-size-not-hex", type + "Transfer-Encoding: chunked" + CRLF,
                ("zz" + CRLF + "abc" + CRLF + "0" + CRLF + CRLF).getBytes(StandardCharsets.US_ASCII));
        post("framing/chunk-size-2^64", type + "Transfer-Encoding: chunked" + CRLF,
                ("FFFFFFFFFFFFFFFF" + CRLF + "abc" + CRLF).getBytes(StandardCharsets.US_ASCII));
        post("framing/chunk-longer-than-size", type + "Transfer-Encoding: chunked" + CRLF,
                ("3" + CRLF + "abcdefgh" + CRLF + "0" + CRLF + CRLF).getBytes(StandardCharsets.US_ASCII));
        post("framing/chunked-then-identity", type + "Transfer-Encoding: chunked, identity" + CRLF, chunk(csr));
        post("framing/expect-100-with-50MB", type + "Expect: 100-continue" + CRLF + "Content-Length: 52428800"
                + CRLF, new byte[0]);
        post("framing/expect-unknown", type + "Expect: 200-ok" + CRLF + length(), csr);
    }

    private void headers() {
        String type = "Content-Type: application/pkcs10" + CRLF;
        post("header/60KB-value", type + "X-Big: " + "a".repeat(60_000) + CRLF + length(), csr);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            many.append("X-H").append(i).append(": ").append("v".repeat(60)).append(CRLF);
        }
        post("header/1000-headers", type + many + length(), csr);
        post("header/60KB-cookie", type + "Cookie: a=" + "b".repeat(60_000) + CRLF + length(), csr);
        post("header/nul-in-value", type + "X-Nul: a\u0000b" + CRLF + length(), csr);
        post("header/line-without-colon", type + "NoColonHere" + CRLF + length(), csr);
        post("header/space-before-colon", "Content-Type : application/pkcs10" + CRLF + length(), csr);
        post("header/non-ascii-name", type + "X-\u00e9t\u00e9: 1" + CRLF + length(), csr);
        add("header/60KB-authorization", "POST " + ENROLL + " HTTP/1.1" + CRLF + "Host: localhost" + CRLF
                + "Authorization: Basic " + "QUFB".repeat(15_000) + CRLF + type + length() + CRLF, csr);
        add("header/two-hosts", "POST " + ENROLL + " HTTP/1.1" + CRLF + "Host: localhost" + CRLF + "Host: evil"
                + CRLF + "Authorization: " + authorization + CRLF + type + length() + CRLF, csr);
        add("header/no-host", "POST " + ENROLL + " HTTP/1.1" + CRLF + "Authorization: " + authorization + CRLF
                + type + length() + CRLF, csr);
        String[] credentials = {"Basic " + "QUFB".repeat(1_500), "Basic AAAA:AAAA", "Basic AA==",
            "Basic " + java.util.Base64.getEncoder().encodeToString("\0:\0".getBytes(StandardCharsets.UTF_8)),
            "Basic " + java.util.Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)),
            "Bearer eyJhbGciOiJub25lIn0.e30.", "Basic", "Digest username=\"estuser\""};
        for (int i = 0; i < credentials.length; i++) {
            add("header/bad-authorization-" + i, "POST " + ENROLL + " HTTP/1.1" + CRLF + "Host: localhost" + CRLF
                    + "Authorization: " + credentials[i] + CRLF + type + length() + "Connection: close" + CRLF + CRLF,
                    csr);
        }
    }

    private void requestLines() {
        add("line/tls-record", "\u0016\u0003\u0001\u0000\u0005hello" + CRLF + CRLF, new byte[0]);
        // RFC 9110 section 15.6.6: 505 is the container's correct answer to a version it does not support
        add("line/http-0.9", "GET /.well-known/est/cacerts" + CRLF + CRLF, new byte[0], 505);
        add("line/10KB-method", "X".repeat(10_000) + " /.well-known/est/cacerts HTTP/1.1" + CRLF + "Host: localhost"
                + CRLF + CRLF, new byte[0]);
        add("line/60KB-uri", "GET /.well-known/est/cacerts?" + "q".repeat(60_000) + " HTTP/1.1" + CRLF
                + "Host: localhost" + CRLF + CRLF, new byte[0]);
        add("line/nul-in-uri", "GET /.well-known/est/cac\u0000erts HTTP/1.1" + CRLF + "Host: localhost" + CRLF + CRLF,
                new byte[0]);
        add("line/space-in-uri", "GET /.well-known/est/ca certs HTTP/1.1" + CRLF + "Host: localhost" + CRLF + CRLF,
                new byte[0]);
        add("line/binary", "\u00ff\u00fe\u0000\u0001" + CRLF + CRLF, new byte[0]);
    }

    private void paths() {
        String est = "/.well-known/est/";
        get("path/dot-dot-to-web-xml", est + "../../WEB-INF/web.xml");
        get("path/encoded-dot-dot", est + "%2e%2e/%2e%2e/WEB-INF/web.xml");
        get("path/encoded-slashes", est + "..%2F..%2FWEB-INF%2Fweb.xml");
        get("path/overlong-utf8-dots", est + "%c0%ae%c0%ae/%c0%ae%c0%ae/WEB-INF/web.xml");
        get("path/backslashes", est + "..\\..\\WEB-INF\\web.xml");
        get("path/encoded-nul", est + "cacerts%00");
        get("path/invalid-utf8", est + "%ff%fe/cacerts");
        get("path/web-inf-direct", "/WEB-INF/web.xml");
        get("path/web-inf-classes", "/WEB-INF/classes/est-defaults.properties");
        get("path/meta-inf", "/META-INF/MANIFEST.MF");
        get("path/admin-api-via-dot-dot", est + "../../api/pending");
        get("path/5000-character-label", est + "l".repeat(5_000) + "/cacerts");
        get("path/raw-utf8-label", est + "\u00c3\u00a9t\u00c3\u00a9/cacerts");
        get("path/upper-case-operation", est + "CACERTS");
        get("path/three-segments", est + "hostile/x/cacerts");
        get("path/label-only", est + "hostile/");
        get("path/fullcmc", est + "hostile/fullcmc");
        get("path/csrattrs-unknown-label", est + "nosuch/csrattrs");
    }

    private void methods() {
        String[] methods = {"TRACE", "DELETE", "OPTIONS", "PATCH", "FOO", "PUT"};
        for (String method : methods) {
            add("method/" + method + "-cacerts", method + " /.well-known/est/cacerts HTTP/1.1" + CRLF
                    + "Host: localhost" + CRLF + "Connection: close" + CRLF + CRLF, new byte[0]);
            add("method/" + method + "-simpleenroll", method + " " + ENROLL + " HTTP/1.1" + CRLF + "Host: localhost"
                    + CRLF + "Authorization: " + authorization + CRLF + "Content-Type: application/pkcs10" + CRLF
                    + length() + "Connection: close" + CRLF + CRLF, csr);
        }
        add("method/GET-simpleenroll-with-body", "GET " + ENROLL + " HTTP/1.1" + CRLF + "Host: localhost" + CRLF
                + "Authorization: " + authorization + CRLF + "Content-Type: application/pkcs10" + CRLF + length()
                + "Connection: close" + CRLF + CRLF, csr);
    }

    private static byte[] chunk(byte[] body) {
        String head = Integer.toHexString(body.length) + CRLF;
        byte[] start = head.getBytes(StandardCharsets.US_ASCII);
        byte[] end = (CRLF + "0" + CRLF + CRLF).getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[start.length + body.length + end.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        System.arraycopy(end, 0, all, start.length + body.length, end.length);
        return all;
    }

    private static String printable(String text) {
        String clean = text.replaceAll("[^A-Za-z0-9.+-]", "_");
        return clean.length() > 40 ? clean.substring(0, 20) + "..(" + clean.length() + ")" : clean;
    }
}
