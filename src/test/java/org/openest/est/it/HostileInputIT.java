package org.openest.est.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.hostile.Forge;
import org.openest.est.hostile.HostileCase;
import org.openest.est.hostile.HostileCorpus;
import org.openest.est.hostile.HostileHttp;
import org.openest.est.hostile.WireCheck;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.LogHygiene;
import org.openest.est.testing.RawHttps;
import org.openest.est.testing.TestPki;

/**
 * The generated hostile corpus ({@link HostileCorpus}) posted to every POST operation of a profile that enables
 * them all, without credentials, with HTTP Basic and with a device certificate; then raw-HTTP abuse
 * ({@link HostileHttp}), 50 MB bodies and slow-drip clients. Every answer is a 4xx (a closed connection where the
 * container may cut the exchange), no certificate is recorded, and afterwards the server still serves cacerts and
 * enrolls, with its heap not grown beyond a generous bound.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {
    static final String AUTH = EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD);
    static final String PKCS10 = "application/pkcs10";
    static final long MAX_HEAP_GROWTH = 256L << 20;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    static final long MAX_REQUEST_MS = 5_000;

    enum Credentials { NONE, BASIC, DEVICE }

    record Target(String operation, Credentials credentials) {
        @Override
        public String toString() {
            return operation + "/" + credentials;
        }
    }

    static final List<Target> TARGETS = List.of(
            new Target("simpleenroll", Credentials.NONE), new Target("simpleenroll", Credentials.BASIC),
            new Target("simpleenroll", Credentials.DEVICE), new Target("simplereenroll", Credentials.NONE),
            new Target("simplereenroll", Credentials.BASIC), new Target("simplereenroll", Credentials.DEVICE),
            new Target("bootstrap", Credentials.NONE), new Target("bootstrap", Credentials.BASIC),
            new Target("serverkeygen", Credentials.NONE), new Target("serverkeygen", Credentials.BASIC),
            new Target("serverkeygen", Credentials.DEVICE));

    @TempDir
    static Path home;
    static EstTestServer server;
    static EstHttp anonymous;
    static EstHttp device;
    static Connection db;
    static long baseline;
    static long heapBefore;

    @BeforeAll
    static void start() throws Exception {
        server = EstTestServer.start(home, TestPki.create("EST Hostile Input CA"), Map.of(
                "profiles", "hostile",
                "profile.hostile.label", "hostile",
                "profile.hostile.enroll.bootstrap", "true",
                "profile.hostile.serverkeygen.enabled", "true"));
        anonymous = new EstHttp(server.pki(), null);
        KeyPair keys = TestPki.ec256();
        X509Certificate certificate = enroll(keys, Forge.DEVICE);
        device = new EstHttp(server.pki(), TestPki.keyStore(keys.getPrivate(), certificate,
                server.pki().caCertificate()));
        db = DriverManager.getConnection(server.jdbcUrl(), "SA", "");
        baseline = certificates();
        heapBefore = usedHeap();
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        server.close();
        LogHygiene.assertNoSecrets();
    }

    static X509Certificate enroll(KeyPair keys, String subject) throws Exception {
        HttpResponse<byte[]> response = anonymous.post(server.est("hostile/simpleenroll"), PKCS10, AUTH,
                Forge.b64(TestPki.csr(keys, subject).getEncoded()));
        assertThat(response.statusCode()).as(EstHttp.text(response)).isEqualTo(200);
        return TestPki.parseCertificates(Base64.getMimeDecoder().decode(response.body())).get(0);
    }

    static long certificates() throws SQLException {
        try (Statement statement = db.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM certificate")) {
            count.next();
            return count.getLong(1);
        }
    }

    static long usedHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Records a problem, and re-bases the row count so one stray certificate is reported once, not forever. */
    static void check(List<String> failures, String where, int status, Function<String, Optional<String>> header,
                      byte[] body, boolean closeAllowed, boolean webapp) throws SQLException {
        WireCheck.problem(status, header, body, closeAllowed, webapp).ifPresent(p -> failures.add(where + ": " + p));
        long rows = certificates();
        if (rows != baseline) {
            failures.add(where + ": " + (rows - baseline) + " certificate(s) recorded");
            baseline = rows;
        }
    }

    @Test
    @Order(1)
    void corpusIsRefusedOnEveryOperationWithAndWithoutCredentials() throws Exception {
        List<HostileCase> corpus = HostileCorpus.generate();
        List<String> failures = new ArrayList<>();
        List<String> timings = new ArrayList<>();
        long start = System.nanoTime();
        int requests = 0;
        for (HostileCase hostile : corpus) {
            for (Target target : TARGETS) {
                if (target.operation().equals("serverkeygen") && target.credentials() != Credentials.NONE
                        && hostile.defect() == HostileCase.Defect.KEY_OR_SIGNATURE) {
                    continue; // RFC 7030 4.4.1: serverkeygen ignores the CSR's key and signature
                }
                String where = hostile.id() + " -> " + target;
                HttpRequest.Builder request = HttpRequest.newBuilder(server.est("hostile/" + target.operation()))
                        .timeout(REQUEST_TIMEOUT).header("Content-Type", PKCS10)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(hostile.body()));
                if (target.credentials() == Credentials.BASIC) {
                    request.header("Authorization", AUTH);
                }
                long sent = System.nanoTime();
                HttpResponse<byte[]> response;
                try {
                    response = (target.credentials() == Credentials.DEVICE ? device : anonymous).send(request.build());
                } catch (IOException e) {
                    failures.add(where + ": " + e);
                    continue;
                }
                requests++;
                long ms = (System.nanoTime() - sent) / 1_000_000;
                timings.add(String.format("%6d ms %s", ms, where));
                if (ms > MAX_REQUEST_MS) {
                    failures.add(where + ": took " + ms + " ms (CPU or memory spent on hostile input)");
                }
                check(failures, where + " [" + response.statusCode() + "]", response.statusCode(),
                        name -> response.headers().firstValue(name), response.body(), false, true);
            }
        }
        timings.sort(Comparator.reverseOrder());
        System.out.printf("hostile corpus: %d cases, %d requests, %d ms; slowest:%n  %s%n", corpus.size(), requests,
                (System.nanoTime() - start) / 1_000_000, String.join("\n  ", timings.subList(0, 10)));
        assertThat(failures).as("%d of %d requests misbehaved", failures.size(), requests).isEmpty();
    }

    @Test
    @Order(2)
    void rawHttpAbuseIsAnsweredWithA4xxOrAClose() throws Exception {
        byte[] validCsr = Forge.b64(TestPki.csr(TestPki.ec256(), Forge.DEVICE).getEncoded());
        List<String> failures = new ArrayList<>();
        for (HostileHttp.RawCase raw : HostileHttp.cases(AUTH, validCsr)) {
            try (RawHttps connection = connectForCase(raw.id())) {
                long sent = System.nanoTime();
                RawHttps.Answer answer = connection.exchange(raw.bytes());
                System.out.printf("raw %-45s %5d ms  %s%n", raw.id(), (System.nanoTime() - sent) / 1_000_000,
                        answer.toString().replaceAll("\\s+", " "));
                boolean prescribed = answer.status() == raw.containerStatus()
                        && answer.header("X-Request-Id").isEmpty();
                check(failures, raw.id() + " [" + answer + "]", prescribed ? 400 : answer.status(), answer::header,
                        answer.body(), true, false);
            } catch (IOException e) {
                failures.add(raw.id() + ": no answer or close within 10 s (" + e + ")");
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * A fresh TLS connection for one raw case, tried a second time if the handshake itself fails: the case is about
     * the bytes sent after it. Seen once in CI: a handshake right after a 431 for a 60 KB header failed with
     * "Broken pipe". The retry is printed, and a server that keeps refusing connections still fails the test.
     */
    private RawHttps connectForCase(String id) throws IOException {
        try {
            return RawHttps.connect(server.pki(), server.port(), Duration.ofSeconds(10));
        } catch (IOException first) {
            System.out.printf("raw %-45s handshake failed (%s); connecting again%n", id, first);
            return RawHttps.connect(server.pki(), server.port(), Duration.ofSeconds(10));
        }
    }

    @Test
    @Order(3)
    void fiftyMegabyteBodiesAreRefusedWithoutBeingBuffered() throws Exception {
        long size = 50L << 20;
        for (boolean declared : new boolean[] {true, false}) {
            Generated body = new Generated(size);
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> body);
            HttpRequest request = HttpRequest.newBuilder(server.est("hostile/simpleenroll")).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", PKCS10).header("Authorization", AUTH)
                    .POST(declared ? HttpRequest.BodyPublishers.fromPublisher(stream, size) : stream).build();
            List<String> failures = new ArrayList<>();
            try {
                HttpResponse<byte[]> response = anonymous.send(request);
                assertThat(response.statusCode()).as(EstHttp.text(response)).isEqualTo(413);
                check(failures, "50 MB declared=" + declared, response.statusCode(),
                        name -> response.headers().firstValue(name), response.body(), false, true);
            } catch (IOException e) {
                check(failures, "50 MB declared=" + declared, -1, name -> Optional.empty(), new byte[0], true,
                        false); // the server closed the connection on the unread body: a refusal too
            }
            System.out.printf("50 MB body (declared length %s): client pushed %d bytes before the refusal%n",
                    declared, body.produced);
            assertThat(failures).isEmpty();
        }
    }

    @Test
    @Order(4)
    void slowDripClientsAreCutOffWithinTheIdleTimeout() throws Exception {
        List<String> failures = SlowDrip.run(server, AUTH, anonymous, Duration.ofSeconds(2));
        assertThat(failures).isEmpty();
        assertThat(certificates()).isEqualTo(baseline);
    }

    @Test
    @Order(5)
    void serverIsStillHealthyAndItsHeapBounded() throws Exception {
        assertThat(anonymous.get(server.est("cacerts")).statusCode()).isEqualTo(200);
        assertThat(anonymous.get(server.est("hostile/cacerts")).statusCode()).isEqualTo(200);
        long before = certificates();
        enroll(TestPki.ec256(), "CN=after-the-storm,O=EST hostile tests");
        assertThat(certificates()).isEqualTo(before + 1);
        long growth = usedHeap() - heapBefore;
        System.out.printf("heap growth over the hostile run: %d KB%n", growth / 1024);
        assertThat(growth).as("heap growth in bytes").isLessThan(MAX_HEAP_GROWTH);
    }

    /** A body of {@code size} base64 letters, produced on demand: never held in memory. */
    static final class Generated extends InputStream {
        private final long size;
        private volatile long produced;

        Generated(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return produced < size ? 'A' + (int) (produced++ % 26) : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (produced >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - produced);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) ('A' + (produced + i) % 26);
            }
            produced += n;
            return n;
        }
    }
}
