package org.openest.est.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.TestPki;

/**
 * A gateway that keeps many connections busy with one user and password makes the realm check the password once, not
 * once per connection: the realm's hash (PBKDF2 in the shipped Tomcat realm, about 100 ms of CPU) was paid by every
 * connection that missed the cache at the same moment, at start and each time the entry expired. Here 16 connections
 * (JDK HttpClient, TLS) enroll at the same instant, and the test realm counts its checks and takes 100 ms for each,
 * like the hash (with a fast realm, requests a few microseconds apart already found the first one's verdict).
 */
class CredentialCacheIT {
    static final int CONNECTIONS = 16;

    @TempDir
    Path home;

    /** One burst: every connection posts a CSR at the same moment; all must be issued. */
    private static void burst(EstTestServer server, List<EstHttp> clients, String tag) throws Exception {
        CyclicBarrier start = new CyclicBarrier(clients.size());
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        try {
            List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                EstHttp http = clients.get(i);
                byte[] csr = LoginLockoutIT.csr("CN=cache-" + tag + "-" + i);
                answers.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return http.send(HttpRequest.newBuilder(server.est("simpleenroll"))
                            .header("Content-Type", LoginLockoutIT.PKCS10)
                            .header("Authorization", EstHttp.basic(EstTestServer.GATEWAY,
                                    EstTestServer.GATEWAY_PASSWORD))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(csr)).build());
                }));
            }
            for (Future<HttpResponse<byte[]>> answer : answers) {
                HttpResponse<byte[]> response = answer.get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(EstHttp.text(response)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<EstHttp> connections(TestPki pki) {
        List<EstHttp> clients = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            clients.add(new EstHttp(pki, null)); // a client each: a TLS connection each
        }
        return clients;
    }

    @Test
    void concurrentConnectionsWithTheSamePasswordCostOneRealmCheck() throws Exception {
        TestPki pki = TestPki.create("Credential cache CA 1");
        try (EstTestServer server = EstTestServer.start(home, pki, Map.of("auth.credential-cache-seconds", "60"))) {
            server.slowRealm(100);
            List<EstHttp> clients = connections(pki);
            int before = server.realmChecks();
            burst(server, clients, "cold");
            assertThat(server.realmChecks() - before).as("realm checks for %d simultaneous first requests",
                    CONNECTIONS).isEqualTo(1);
            burst(server, clients, "warm");
            assertThat(server.realmChecks() - before).as("realm checks after a second burst").isEqualTo(1);
        }
    }

    @Test
    void anExpiredEntryIsCheckedAgainOnceNotOncePerConnection() throws Exception {
        TestPki pki = TestPki.create("Credential cache CA 2");
        try (EstTestServer server = EstTestServer.start(home, pki, Map.of("auth.credential-cache-seconds", "2"))) {
            server.slowRealm(100);
            List<EstHttp> clients = connections(pki);
            burst(server, clients, "first");
            Thread.sleep(2_300); // the entry has expired
            int before = server.realmChecks();
            burst(server, clients, "expired");
            // One check for the miss; a second one only if the burst outlasted 1.5 s and reached the entry's re-check
            // window. Before, every connection that missed checked: 16.
            assertThat(server.realmChecks() - before).as("realm checks after expiry").isBetween(1, 2);
        }
    }
}
