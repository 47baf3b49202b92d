package org.openest.est.it;

import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.openest.est.hostile.HostileHttp;
import org.openest.est.hostile.WireCheck;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.RawHttps;

/**
 * Slow-drip clients over raw TLS: a body, a header block and a chunked body sent a few bytes every 300 ms for 3 s,
 * then nothing more while the connection stays open. The server must answer (4xx) or close each within its idle
 * timeout (set short for the test) plus slack, and must keep serving other clients meanwhile. Bounded: about 6 s.
 */
final class SlowDrip {
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final int PIECES = 10;
    private static final long GAP_MS = 300;

    private SlowDrip() {
    }

    /**
     * @param server the server (its TLS idle timeout is changed for the duration and restored)
     * @param authorization a valid Basic Authorization value
     * @param client a client for the concurrent health probe
     * @param idle the idle timeout to configure
     * @return the problems found
     * @throws Exception if the test machinery fails
     */
    static List<String> run(EstTestServer server, String authorization, EstHttp client, Duration idle)
            throws Exception {
        List<String> failures = new ArrayList<>();
        Duration previous = server.tlsIdleTimeout();
        server.tlsIdleTimeout(idle);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            String post = "POST " + HostileHttp.ENROLL + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + authorization + "\r\nContent-Type: application/pkcs10\r\n";
            List<Future<String>> drips = List.of(
                    pool.submit(() -> drip(server, idle, "body", post + "Content-Length: 4000\r\n\r\nMII", "QkF")),
                    pool.submit(() -> drip(server, idle, "headers", post + "X-Drip: ", "abc")),
                    pool.submit(() -> drip(server, idle, "chunked body", post + "Transfer-Encoding: chunked\r\n\r\n",
                            "1\r\nA\r\n")));
            Thread.sleep(1_000);
            long start = System.nanoTime();
            int status = client.send(HttpRequest.newBuilder(server.est("cacerts")).timeout(Duration.ofSeconds(5))
                    .GET().build()).statusCode();
            if (status != 200) {
                failures.add("cacerts while clients drip: " + status);
            }
            System.out.printf("cacerts while three clients drip: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            for (Future<String> drip : drips) {
                String problem = drip.get(idle.plus(SLACK).plus(SLACK).toSeconds() + PIECES, TimeUnit.SECONDS);
                if (problem != null) {
                    failures.add(problem);
                }
            }
        } finally {
            pool.shutdownNow();
            server.tlsIdleTimeout(previous);
        }
        return failures;
    }

    private static String drip(EstTestServer server, Duration idle, String name, String head, String piece)
            throws Exception {
        Duration limit = idle.plus(SLACK);
        try (RawHttps raw = RawHttps.connect(server.pki(), server.port(), limit.plus(SLACK))) {
            raw.send(head.getBytes(StandardCharsets.US_ASCII));
            long last = System.nanoTime();
            for (int i = 0; i < PIECES; i++) {
                Thread.sleep(GAP_MS);
                if (!raw.send(piece.getBytes(StandardCharsets.US_ASCII))) {
                    break; // the server gave up on us early: fine
                }
                last = System.nanoTime();
            }
            RawHttps.Answer answer = raw.answer();
            long waited = (System.nanoTime() - last) / 1_000_000;
            System.out.printf("slow drip (%s): %s %d ms after the last byte%n", name, answer, waited);
            if (waited > limit.toMillis()) {
                return name + ": answered only " + waited + " ms after the last byte (idle timeout " + idle + ")";
            }
            return WireCheck.problem(answer.status(), answer::header, answer.body(), true, false)
                    .map(problem -> name + ": " + problem).orElse(null);
        } catch (SocketTimeoutException e) {
            return name + ": neither answered nor closed within " + limit.plus(SLACK) + " of silence";
        }
    }
}
