package org.openest.est.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.testing.EstHttp;
import org.openest.est.testing.EstTestServer;
import org.openest.est.testing.TestPki;

/** {@code /health} for load balancers and {@code /metrics} for Prometheus, over real TLS. */
class OperationsIT {
    static final String PKCS10 = "application/pkcs10";

    @TempDir
    Path home;

    static byte[] csr(String subject) throws Exception {
        return Base64.getEncoder().encode(TestPki.csr(TestPki.ec256(), subject).getEncoded());
    }

    static HttpResponse<byte[]> get(EstHttp http, EstTestServer server, String path, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.root(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build());
    }

    @Test
    void healthIsAnonymousAndUp() throws Exception {
        TestPki pki = TestPki.create("Health CA");
        try (EstTestServer server = EstTestServer.start(home, pki, Map.of())) {
            HttpResponse<byte[]> health = get(new EstHttp(pki, null), server, "health", null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(EstHttp.text(health)).isEqualTo("{\"status\":\"UP\",\"database\":\"UP\",\"ca\":\"UP\"}");
        }
    }

    @Test
    void healthIsDownWithA503WhenTheDatabaseIsShutDown() throws Exception {
        // Why an in-memory database opened with ifexists=true: after SHUTDOWN a file database is simply reopened by
        // the pool's next connection (the outage would heal before we look); this one cannot come back.
        String url = "jdbc:hsqldb:mem:health-" + UUID.randomUUID() + ";hsqldb.tx=mvcc";
        DriverManager.getConnection(url, "SA", "").close();
        TestPki pki = TestPki.create("Health Outage CA");
        try (EstTestServer server = EstTestServer.start(home, pki, Map.of("database.url", url + ";ifexists=true"))) {
            EstHttp http = new EstHttp(pki, null);
            assertThat(get(http, server, "health", null).statusCode()).isEqualTo(200);
            try (Connection connection = DriverManager.getConnection(url + ";ifexists=true", "SA", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
            long start = System.nanoTime();
            HttpResponse<byte[]> health = get(http, server, "health", null);
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(EstHttp.text(health)).isEqualTo("{\"status\":\"DOWN\",\"database\":\"DOWN\",\"ca\":\"UP\"}");
            assertThat(System.nanoTime() - start).as("a load balancer gets its answer in seconds, not the pool's 30 s")
                    .isLessThan(java.time.Duration.ofSeconds(10).toNanos());
            HttpResponse<byte[]> metrics = get(http, server, "metrics",
                    EstHttp.basic(EstTestServer.ADMIN, EstTestServer.ADMIN_PASSWORD));
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(EstHttp.text(metrics)).contains("\nest_up 0.0\n").doesNotContain("est_certificates_expiring{");
        }
    }

    @Test
    void metricsNeedAnAdminAndCountEnrollmentsFailuresLatencyAndExpiry() throws Exception {
        TestPki pki = TestPki.create("Metrics CA");
        try (EstTestServer server = EstTestServer.start(home, pki, Map.of("issuance.validity-days", "7"))) {
            EstHttp http = new EstHttp(pki, null);
            HttpResponse<byte[]> anonymous = get(http, server, "metrics", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            HttpResponse<byte[]> client = get(http, server, "metrics",
                    EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD));
            assertThat(client.statusCode()).as("an enrolling client is no admin").isEqualTo(403);
            assertThat(EstHttp.text(client)).doesNotContain("est_enrollments_total");

            assertThat(http.post(server.est("simpleenroll"), PKCS10,
                    EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD), csr("CN=metered")).statusCode())
                    .isEqualTo(200);
            assertThat(http.post(server.est("simpleenroll"), PKCS10, EstHttp.basic(EstTestServer.USER, "wrong"),
                    csr("CN=metered-2")).statusCode()).isEqualTo(401);
            assertThat(http.post(server.est("simpleenroll"), PKCS10,
                    EstHttp.basic(EstTestServer.USER, EstTestServer.PASSWORD), new byte[] {1, 2, 3}).statusCode())
                    .isEqualTo(400);

            HttpResponse<byte[]> metrics = get(http, server, "metrics",
                    EstHttp.basic(EstTestServer.ADMIN, EstTestServer.ADMIN_PASSWORD));
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
            String text = EstHttp.text(metrics);
            assertThat(text)
                    .contains("# TYPE est_enrollments_total counter\n")
                    .contains("est_enrollments_total{label=\"\",operation=\"simpleenroll\",outcome=\"issued\"} 1.0\n")
                    .contains("est_enrollments_total{label=\"\",operation=\"simpleenroll\",outcome=\"unauthorized\"}"
                            + " 1.0\n")
                    .contains("est_enrollments_total{label=\"\",operation=\"simpleenroll\",outcome=\"refused\"} 1.0\n")
                    .contains("est_auth_failures_total 1.0\n")
                    .contains("# TYPE est_request_duration_seconds histogram\n")
                    .contains("est_request_duration_seconds_bucket{le=\"0.005\"}")
                    .contains("est_request_duration_seconds_bucket{le=\"5.0\"}")
                    .contains("est_request_duration_seconds_count 3\n")
                    .contains("est_certificates_expiring{days=\"30\"} 1.0\n")
                    .contains("est_up 1.0\n")
                    .contains("# TYPE est_enrollments_in_progress gauge\n")
                    .contains("\nest_enrollments_in_progress 0.0\n")
                    .contains("\nest_enrollments_queued 0.0\n");
        }
    }
}
