package org.openest.est.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/** A JDK HttpClient over TLS that trusts the test CA, optionally with a client certificate. */
public final class EstHttp {
    private final HttpClient client;

    /**
     * @param pki the test PKI whose CA is trusted
     * @param clientKeys client key store (see {@link TestPki#keyStore}) or null
     */
    public EstHttp(TestPki pki, KeyStore clientKeys) {
        this.client = HttpClient.newBuilder().sslContext(TestPki.sslContext(clientKeys, pki.caCertificate()))
                .connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * @param user user name
     * @param password password
     * @return the Authorization header value
     */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param uri target
     * @return the response
     * @throws IOException on failure
     * @throws InterruptedException if interrupted
     */
    public HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).GET().build());
    }

    /**
     * @param uri target
     * @param contentType Content-Type or null
     * @param authorization Authorization header or null
     * @param body body
     * @return the response
     * @throws IOException on failure
     * @throws InterruptedException if interrupted
     */
    public HttpResponse<byte[]> post(URI uri, String contentType, String authorization, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Optional.ofNullable(contentType).ifPresent(type -> request.header("Content-Type", type));
        Optional.ofNullable(authorization).ifPresent(auth -> request.header("Authorization", auth));
        return send(request.build());
    }

    /**
     * @param request any request
     * @return the response
     * @throws IOException on failure
     * @throws InterruptedException if interrupted
     */
    public HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * @param response a response
     * @return its body as text
     */
    public static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
