package org.openest.est.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device lists on a real (in-memory) HSQLDB, migrated as in production: keyset paging ({@code after}, {@code next}),
 * OFFSET paging, every filter alone and with a cursor, and the total. {@code DeviceListPostgresIT} runs the same tests on
 * PostgreSQL.
 */
class FleetTest {
    static final String ISSUER = "CN=CA";
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    static final int DEVICES = 23;

    /** What the fixture made of each device, to compute the expected lists independently of the SQL. */
    record Expected(long id, String subject, String label, String status) {
    }

    Database database;
    Registry registry;
    Fleet fleet;
    final Map<String, Expected> expected = new LinkedHashMap<>();

    /** @return a migrated, empty database */
    Database openDatabase() {
        return Database.open("", "jdbc:hsqldb:mem:" + UUID.randomUUID() + ";hsqldb.tx=mvcc", "SA", new char[0], 4);
    }

    @BeforeEach
    void open() {
        database = openDatabase();
        registry = database.registry();
        fleet = new Fleet(database.jdbi());
        fixture();
    }

    @AfterEach
    void close() {
        database.close();
    }

    static CertificateRecord certificate(String serial, String subject, String label, Instant notAfter,
                                         String renewalOf) {
        return new CertificateRecord(serial, ISSUER, 0, subject, "DNS:x", NOW.minus(Duration.ofDays(400)), notAfter,
                "PEM", "estuser", "PASSWORD", "127.0.0.1", label, "simpleenroll", NOW, renewalOf, "VALID", null, null);
    }

    /**
     * 23 devices dev-00 .. dev-22 (ward-7 in the subject of every third): label "gw" on every fifth; certificates
     * expired (i % 4 == 3), expiring in 2 days (i % 4 == 1) or in 100 days; dev-02 and dev-07 revoked; dev-12
     * deleted (so revoked too); dev-04 renewed after its first certificate was revoked (its current one is valid).
     */
    void fixture() {
        for (int i = 0; i < DEVICES; i++) {
            String subject = String.format("CN=dev-%02d%s,O=Hospital", i, i % 3 == 0 ? " ward-7" : "");
            String label = i % 5 == 0 ? "gw" : "";
            Instant notAfter = switch (i % 4) {
                case 3 -> NOW.minus(Duration.ofHours(1));
                case 1 -> NOW.plus(Duration.ofDays(2));
                default -> NOW.plus(Duration.ofDays(100));
            };
            String serial = String.format("%02X", i + 1);
            if (i == 4) {
                registry.recordIssued(certificate("A4", subject, label, notAfter, null));
                assertThat(registry.revoke(ISSUER, "A4", 1)).isTrue();
                registry.recordIssued(certificate(serial, subject, label, notAfter, "A4"));
            } else {
                registry.recordIssued(certificate(serial, subject, label, notAfter, null));
            }
            String status = i % 4 == 3 ? "expired" : "valid";
            if (i == 2 || i == 7) {
                assertThat(registry.revoke(ISSUER, serial, 1)).isTrue();
                status = "revoked";
            }
            long id = registry.findDevice(subject).orElseThrow().id();
            if (i == 12) {
                assertThat(fleet.deleteDevice(id)).isEqualTo(1);
                status = "deleted";
            }
            expected.put(subject, new Expected(id, subject, label, status));
        }
    }

    static FleetQuery query(int limit, Optional<Long> after) {
        return new FleetQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), NOW, 0, limit,
                after);
    }

    static FleetQuery status(String status, int limit, Optional<Long> after) {
        return new FleetQuery(Optional.of(status), Optional.empty(), Optional.empty(), Optional.empty(), NOW, 0, limit,
                after);
    }

    List<Long> ids(Predicate<Expected> filter) {
        return expected.values().stream().filter(filter).map(Expected::id).sorted().toList();
    }

    /** Follows {@code next} from the first page to the last; checks every page's size and the end. */
    List<Long> walk(java.util.function.BiFunction<Integer, Optional<Long>, FleetQuery> query, int size) {
        List<Long> seen = new ArrayList<>();
        Optional<Long> after = Optional.empty();
        for (int pages = 0; pages < 100; pages++) {
            DevicePage page = fleet.page(query.apply(size, after), false);
            assertThat(page.total()).isEmpty();
            page.devices().forEach(d -> seen.add(d.id()));
            if (page.next().isEmpty()) {
                assertThat(page.devices().size()).isLessThanOrEqualTo(size);
                return seen;
            }
            assertThat(page.devices()).hasSize(size);
            assertThat(page.next()).hasValue(page.devices().get(size - 1).id());
            after = page.next();
        }
        throw new AssertionError("no last page after 100 pages");
    }

    @Test
    void keysetPagesWalkEveryDeviceOnceInIdOrder() {
        assertThat(walk(FleetTest::query, 5)).isEqualTo(ids(e -> true)).hasSize(DEVICES);
        assertThat(walk(FleetTest::query, 1)).isEqualTo(ids(e -> true));
        assertThat(walk(FleetTest::query, 500)).isEqualTo(ids(e -> true));
    }

    @Test
    void theLastPageHasNoNextEvenWhenItIsFull() {
        List<Long> all = ids(e -> true);
        DevicePage exact = fleet.page(query(DEVICES, Optional.empty()), true);
        assertThat(exact.devices()).hasSize(DEVICES);
        assertThat(exact.next()).isEmpty();
        DevicePage oneShort = fleet.page(query(DEVICES - 1, Optional.empty()), true);
        assertThat(oneShort.next()).hasValue(all.get(DEVICES - 2));
        DevicePage last = fleet.page(query(1, oneShort.next()), true);
        assertThat(last.devices()).extracting(DeviceView::id).containsExactly(all.get(DEVICES - 1));
        assertThat(last.next()).isEmpty();
        DevicePage beyond = fleet.page(query(5, Optional.of(all.get(DEVICES - 1))), true);
        assertThat(beyond.devices()).isEmpty();
        assertThat(beyond.next()).isEmpty();
        assertThat(beyond.total()).hasValue((long) DEVICES);
    }

    @Test
    void offsetPagesStillWorkAndMatchTheKeysetPages() {
        List<Long> all = ids(e -> true);
        FleetQuery third = new FleetQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), NOW,
                10, 5);
        DevicePage byOffset = fleet.page(third, true);
        assertThat(byOffset.devices()).extracting(DeviceView::id).isEqualTo(all.subList(10, 15));
        assertThat(byOffset.next()).hasValue(all.get(14));
        assertThat(fleet.page(query(5, Optional.of(all.get(9))), false).devices()).isEqualTo(byOffset.devices());
        assertThat(fleet.devices(third)).isEqualTo(byOffset.devices());
        // the last OFFSET page: its total is the offset plus its rows; past the end the total is still counted
        FleetQuery lastPage = new FleetQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                NOW, 20, 5);
        DevicePage last = fleet.page(lastPage, true);
        assertThat(last.devices()).extracting(DeviceView::id).isEqualTo(all.subList(20, DEVICES));
        assertThat(last.next()).isEmpty();
        assertThat(last.total()).hasValue((long) DEVICES);
        assertThat(fleet.page(new FleetQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                NOW, 100, 5), true).total()).hasValue((long) DEVICES);
        // after wins over offset
        assertThat(fleet.page(new FleetQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                NOW, 10, 5, Optional.of(all.get(0))), false).devices()).extracting(DeviceView::id)
                .isEqualTo(all.subList(1, 6));
    }

    @Test
    void pageRowsCarryTheCurrentCertificate() {
        DeviceView renewed = fleet.page(query(500, Optional.empty()), false).devices().stream()
                .filter(d -> d.subject().startsWith("CN=dev-04")).findFirst().orElseThrow();
        assertThat(renewed.currentSerial()).isEqualTo("05");
        assertThat(renewed.certificateStatus()).isEqualTo("VALID");
        assertThat(renewed.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(100)));
        DeviceView gateway = fleet.page(query(500, Optional.empty()), false).devices().stream()
                .filter(d -> d.subject().startsWith("CN=dev-05")).findFirst().orElseThrow();
        assertThat(gateway.label()).isEqualTo("gw");
        assertThat(gateway.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(2)));
        assertThat(fleet.page(query(500, Optional.empty()), false).devices())
                .filteredOn(d -> d.subject().startsWith("CN=dev-07")).singleElement()
                .extracting(DeviceView::certificateStatus).isEqualTo("REVOKED");
    }

    @Test
    void everyStatusFilterPagesWithACursorAndCountsTheCurrentCertificateOnly() {
        for (String status : List.of("valid", "revoked", "expired", "deleted")) {
            List<Long> want = switch (status) {
                // a deleted device's certificates are revoked: it is in "revoked" too (as before)
                case "revoked" -> ids(e -> e.status().equals("revoked") || e.status().equals("deleted"));
                default -> ids(e -> e.status().equals(status));
            };
            assertThat(want).as(status).isNotEmpty();
            assertThat(walk((size, after) -> status(status, size, after), 2)).as(status).isEqualTo(want);
            assertThat(fleet.countDevices(status(status, 1, Optional.empty()))).as(status).isEqualTo(want.size());
            DevicePage second = fleet.page(status(status, 1, Optional.of(want.get(0))), true);
            assertThat(second.total()).as(status).hasValue((long) want.size());
            assertThat(second.devices()).extracting(DeviceView::id).as(status)
                    .isEqualTo(want.subList(1, Math.min(2, want.size())));
        }
        // dev-04's first certificate is revoked but its current one is not
        assertThat(fleet.page(status("revoked", 500, Optional.empty()), true).devices())
                .extracting(DeviceView::subject).noneMatch(s -> s.startsWith("CN=dev-04"))
                .anyMatch(s -> s.startsWith("CN=dev-12"));
    }

    @Test
    void textLabelAndExpiryFiltersCombineWithTheCursor() {
        FleetQuery ward = new FleetQuery(Optional.empty(), Optional.empty(), Optional.of("WARD-7"), Optional.empty(),
                NOW, 0, 2);
        List<Long> wardIds = ids(e -> e.subject().contains("ward-7"));
        assertThat(wardIds).hasSize(8);
        assertThat(walk((size, after) -> new FleetQuery(ward.status(), ward.label(), ward.text(),
                ward.expiringBefore(), NOW, 0, size, after), 3)).isEqualTo(wardIds);
        assertThat(fleet.page(ward, true).total()).hasValue(8L);

        List<Long> gateways = ids(e -> e.label().equals("gw"));
        assertThat(walk((size, after) -> new FleetQuery(Optional.empty(), Optional.of("gw"), Optional.empty(),
                Optional.empty(), NOW, 0, size, after), 2)).isEqualTo(gateways);

        // valid certificates expiring within 10 days: i % 4 == 1 and not revoked (dev-01, 05, 09, 13, 17, 21)
        Optional<Instant> soon = Optional.of(NOW.plus(Duration.ofDays(10)));
        List<Long> expiring = ids(e -> {
            int i = Integer.parseInt(e.subject().substring(7, 9));
            return i % 4 == 1 && e.status().equals("valid");
        });
        assertThat(expiring).hasSize(6);
        assertThat(walk((size, after) -> new FleetQuery(Optional.empty(), Optional.empty(), Optional.empty(), soon,
                NOW, 0, size, after), 4)).isEqualTo(expiring);
        // everything at once: valid, label gw, "ward" in the subject: only dev-00 (dev-15 has expired)
        long dev00 = ids(e -> e.subject().startsWith("CN=dev-00")).get(0);
        FleetQuery all = new FleetQuery(Optional.of("valid"), Optional.of("gw"), Optional.of("ward"), Optional.empty(),
                NOW, 0, 5);
        assertThat(fleet.page(all, true).devices()).extracting(DeviceView::id).containsExactly(dev00);
        assertThat(fleet.page(all, true).total()).hasValue(1L);
        FleetQuery allAfter = new FleetQuery(all.status(), all.label(), all.text(), all.expiringBefore(), NOW, 0, 5,
                Optional.of(dev00));
        assertThat(fleet.page(allAfter, true).devices()).isEmpty();
        assertThat(fleet.page(allAfter, true).total()).hasValue(1L);
        // and expiring soon as well: nothing
        assertThat(fleet.page(new FleetQuery(all.status(), all.label(), all.text(), soon, NOW, 0, 5), true).total())
                .hasValue(0L);
        // valid + ward-7 with a cursor: dev-00, 06, 09, 18, 21 are valid (03, 15 expired; 12 deleted)
        List<Long> validWard = ids(e -> e.subject().contains("ward-7") && e.status().equals("valid"));
        assertThat(validWard).hasSize(5);
        assertThat(walk((size, after) -> new FleetQuery(Optional.of("valid"), Optional.empty(), Optional.of("ward-7"),
                Optional.empty(), NOW, 0, size, after), 2)).isEqualTo(validWard);
        DevicePage tail = fleet.page(new FleetQuery(Optional.of("valid"), Optional.empty(), Optional.of("ward-7"),
                Optional.empty(), NOW, 0, 2, Optional.of(validWard.get(2))), true);
        assertThat(tail.devices()).extracting(DeviceView::id).isEqualTo(validWard.subList(3, 5));
        assertThat(tail.next()).isEmpty();
        assertThat(tail.total()).hasValue(5L);
    }

    @Test
    void totalIsExactWithAndWithoutFiltersAndLeftOutWhenNotAsked() {
        DevicePage first = fleet.page(query(5, Optional.empty()), true);
        assertThat(first.total()).hasValue((long) DEVICES);
        assertThat(fleet.page(query(5, first.next()), true).total()).hasValue((long) DEVICES);
        assertThat(fleet.page(query(5, first.next()), false).total()).isEmpty();
        assertThat(fleet.countDevices(query(1, Optional.empty()))).isEqualTo(DEVICES);
        // a first page with no next page tells the total by itself: the same answer as the count
        FleetQuery one = new FleetQuery(Optional.empty(), Optional.empty(), Optional.of("dev-17"), Optional.empty(),
                NOW, 0, 50);
        assertThat(fleet.page(one, true).total()).hasValue(1L);
        assertThat(fleet.countDevices(one)).isEqualTo(1);
        FleetQuery none = new FleetQuery(Optional.empty(), Optional.empty(), Optional.of("no-such-device"),
                Optional.empty(), NOW, 0, 50);
        assertThat(fleet.page(none, true).total()).hasValue(0L);
        assertThat(fleet.page(none, true).next()).isEmpty();
        // and a count sees devices added since the first page
        registry.recordIssued(certificate("FF", "CN=dev-new,O=Hospital", "", NOW.plus(Duration.ofDays(9)), null));
        assertThat(fleet.page(query(5, first.next()), true).total()).hasValue(DEVICES + 1L);
        assertThat(fleet.page(status("valid", 5, first.next()), true).total())
                .hasValue(ids(e -> e.status().equals("valid")).size() + 1L);
    }

    @Test
    void countsInOnePassAgreeWithEachFilterAlone() {
        FleetQuery all = query(1, Optional.empty());
        FleetQuery expiring = new FleetQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(NOW.plus(Duration.ofDays(7))), NOW, 0, 1);
        FleetQuery gateway = new FleetQuery(Optional.empty(), Optional.of("gw"), Optional.empty(), Optional.empty(),
                NOW, 0, 1);
        List<FleetQuery> filters = List.of(all, status("valid", 1, Optional.empty()),
                status("revoked", 1, Optional.empty()), status("expired", 1, Optional.empty()),
                status("deleted", 1, Optional.empty()), expiring, gateway);
        List<Long> together = fleet.countDevices(filters);
        assertThat(together).isEqualTo(filters.stream().map(fleet::countDevices).toList());
        // and the figures themselves, from the fixture: 23 devices; i % 4 == 3 expired (dev-03, 11, 15, 19: dev-07
        // is revoked); revoked dev-02, dev-07 and the deleted dev-12; i % 4 == 1 expiring in 2 days
        long expired = ids(e -> e.status().equals("expired")).size();
        assertThat(together.get(0)).isEqualTo(DEVICES);
        assertThat(together.get(1)).isEqualTo(ids(e -> e.status().equals("valid")).size());
        assertThat(together.get(2)).isEqualTo(3);
        assertThat(together.get(3)).isEqualTo(expired).isEqualTo(4);
        assertThat(together.get(4)).isEqualTo(1);
        assertThat(together.get(5)).isEqualTo(6); // dev-01, 05, 09, 13, 17, 21
        assertThat(together.get(6)).isEqualTo(5); // dev-00, 05, 10, 15, 20
        assertThatThrownBy(() -> fleet.countDevices(List.of(all, new FleetQuery(Optional.of("valid"), Optional.empty(),
                Optional.empty(), Optional.empty(), NOW.plusSeconds(1), 0, 1), status("valid", 1, Optional.empty()))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void searchIgnoresLikeWildcardsInTheText() {
        FleetQuery wildcard = new FleetQuery(Optional.empty(), Optional.empty(), Optional.of("dev-1_"),
                Optional.empty(), NOW, 0, 50);
        // "_" and "%" are dropped, not wildcards: "dev-1" matches dev-10 .. dev-19
        assertThat(fleet.page(wildcard, true).total()).hasValue(10L);
    }

    @Test
    void anUnknownStatusIsRefused() {
        assertThatThrownBy(() -> fleet.page(status("bogus", 5, Optional.empty()), true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
