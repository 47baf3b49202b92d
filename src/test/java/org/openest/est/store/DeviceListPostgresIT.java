package org.openest.est.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openest.est.testing.PostgresTestDatabase;

/**
 * {@link FleetTest} on PostgreSQL, plus what only PostgreSQL shows: the search uses the trigram index, also once the
 * JDBC driver has made the statement a server-side prepared one (no generic plan), and the lists without a
 * certificate filter do not read the certificate table except for the page's rows.
 *
 * <p>Runs in the {@code postgres} Maven profile (URL from {@code EST_TEST_POSTGRES_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=root}); a database of its own, dropped at the end. It fails,
 * loudly, if PostgreSQL cannot be reached.
 */
class DeviceListPostgresIT extends FleetTest {
    static PostgresTestDatabase postgres;

    @BeforeAll
    static void createDatabase() throws Exception {
        postgres = PostgresTestDatabase.create("est_fleet_");
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    Database openDatabase() {
        Database opened = Database.open("", postgres.url(), null, new char[0], 2); // Flyway takes two connections
        opened.jdbi().useHandle(h -> h.execute("TRUNCATE certificate, device, pending_request, crl_counter"
                + " RESTART IDENTITY CASCADE"));
        return opened;
    }

    /**
     * More devices, as bench/run.sh preloads them, so that the planner has a reason to use the indexes (below about
     * 50 000 devices it rightly prefers a sequential scan to the trigram index).
     */
    void preload(int devices) {
        database.jdbi().useHandle(h -> {
            h.execute("WITH d AS (INSERT INTO device (subject, status, current_serial, created_at, updated_at)"
                    + " SELECT 'CN=scale-' || lpad(g::text, 7, '0') || ',O=EST Bench', 'ACTIVE',"
                    + " '5C' || lpad(to_hex(g), 14, '0'), now(), now() FROM generate_series(1, " + devices + ") g"
                    + " RETURNING id, subject, current_serial)"
                    + " INSERT INTO certificate (serial, issuer, device_id, subject, san, not_before, not_after, pem,"
                    + " principal, auth_method, client_ip, label, operation, issued_at, status)"
                    + " SELECT current_serial, 'CN=Bench', id, subject, '', now(), now() + (id % 365) * interval '1 day',"
                    + " repeat('P', 100), 'preload', 'PASSWORD', '127.0.0.1', '', 'simpleenroll', now(), 'VALID' FROM d");
            h.execute("ANALYZE device");
            h.execute("ANALYZE certificate");
        });
    }

    String explain(Handle handle, String sql, Map<String, Object> binds) {
        return String.join("\n", handle.createQuery("EXPLAIN " + sql).bindMap(binds).mapTo(String.class).list());
    }

    static FleetQuery search(String text) {
        return new FleetQuery(Optional.empty(), Optional.empty(), Optional.of(text), Optional.empty(), NOW, 0, 50);
    }

    @Test
    void searchUsesTheTrigramIndexAndNeverAGenericPlan() {
        preload(100_000);
        DeviceListSql one = new DeviceListSql(search("scale-0012345"));
        database.jdbi().useHandle(h -> {
            assertThat(explain(h, one.page(), one.pageBinds())).contains("device_subject_trgm_idx");
            assertThat(explain(h, one.count(), one.countBinds())).contains("device_subject_trgm_idx")
                    .doesNotContain("certificate");
        });
        // more runs than the driver's prepareThreshold (5) plus PostgreSQL's five custom plans before it may
        // switch a prepared statement to its generic plan (which walks the primary key through the whole table);
        // on one connection, so that its session's prepared statements can be looked at afterwards
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.url());
        config.setMaximumPoolSize(1);
        List<Map<String, Object>> plans;
        try (HikariDataSource pool = new HikariDataSource(config)) {
            Jdbi jdbi = Jdbi.create(pool).installPlugin(new SqlObjectPlugin());
            Fleet single = new Fleet(jdbi);
            for (int i = 0; i < 15; i++) {
                DevicePage page = single.page(search(i % 2 == 0 ? "scale-0012345" : "no-such-device"), true);
                assertThat(page.total()).hasValue(i % 2 == 0 ? 1L : 0L);
            }
            plans = jdbi.withHandle(h -> h.createQuery("SELECT statement, generic_plans, custom_plans"
                    + " FROM pg_prepared_statements WHERE statement LIKE '%LOWER(d.subject) LIKE%'").mapToMap().list());
        }
        assertThat(plans).as("the search was server-prepared").isNotEmpty();
        assertThat(plans).allSatisfy(plan -> assertThat(((Number) plan.get("generic_plans")).longValue())
                .as(plan.toString()).isZero());
        assertThat(plans.stream().mapToLong(plan -> ((Number) plan.get("custom_plans")).longValue()).sum())
                .isGreaterThanOrEqualTo(10);
    }

    @Test
    void listsWithoutACertificateFilterReadCertificatesOnlyForThePageRows() {
        preload(20_000);
        long middle = database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM device ORDER BY id OFFSET 10000"
                + " LIMIT 1").mapTo(Long.class).one());
        DeviceListSql keyset = new DeviceListSql(query(50, Optional.of(middle)));
        DeviceListSql valid = new DeviceListSql(status("valid", 50, Optional.of(middle)));
        database.jdbi().useHandle(h -> {
            String page = explain(h, keyset.page(), keyset.pageBinds());
            assertThat(page).contains("device_pkey").doesNotContain("Seq Scan").doesNotContain("Hash");
            assertThat(explain(h, keyset.count(), keyset.countBinds())).doesNotContain("certificate");
            // a certificate filter with a cursor starts both scans at the cursor
            assertThat(explain(h, valid.page(), valid.pageBinds())).doesNotContain("Seq Scan on certificate");
        });
        DevicePage page = fleet.page(query(50, Optional.of(middle)), true);
        assertThat(page.devices()).hasSize(50);
        assertThat(page.devices().get(0).id()).isGreaterThan(middle);
        assertThat(page.devices()).allSatisfy(d -> assertThat(d.certificateStatus()).isEqualTo("VALID"));
        assertThat(page.total()).hasValue(DEVICES + 20_000L);
    }
}
