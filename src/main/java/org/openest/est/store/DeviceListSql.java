package org.openest.est.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL of one device list request and of its count, with only the filters that were given, so that each
 * combination of filters is its own statement with its own plan (one statement with {@code :x IS NULL OR ...} for
 * every filter let PostgreSQL plan them all alike, and its generic plan scanned the whole table). Values are always
 * bound, never written into the SQL: the text depends only on which filters are present.
 *
 * <p>The certificate table is joined only for the page's own rows (at most {@code limit + 1}) and, as an
 * {@code EXISTS} on the current certificate, when a certificate filter (status valid/revoked/expired, label, expiring)
 * is given. Portable between HSQLDB and PostgreSQL.
 */
final class DeviceListSql {
    private static final String DEVICE_COLUMNS = "d.id, d.subject, d.status, d.current_serial, d.created_at,"
            + " d.updated_at";

    private final List<String> deviceConditions = new ArrayList<>();
    private final Set<String> certificateConditions = new LinkedHashSet<>();
    private final Map<String, Object> filterBinds = new LinkedHashMap<>();
    private final Optional<Long> after;
    private final int offset;
    private final int limit;

    /**
     * @param query the filter and page (a limit outside 1..500 is clamped, a negative offset taken as 0)
     * @throws IllegalArgumentException for an unknown status
     */
    DeviceListSql(FleetQuery query) {
        this.limit = Math.max(1, Math.min(500, query.limit()));
        this.after = query.after();
        this.offset = after.isPresent() ? 0 : Math.max(0, query.offset());
        query.status().map(s -> s.toLowerCase(Locale.ROOT)).ifPresent(status -> {
            switch (status) {
                case "valid" -> {
                    deviceConditions.add("d.status = 'ACTIVE'");
                    certificateConditions.add("c.status = 'VALID'");
                    certificateConditions.add("c.not_after > :now");
                }
                case "revoked" -> certificateConditions.add("c.status = 'REVOKED'");
                case "expired" -> {
                    certificateConditions.add("c.status = 'VALID'");
                    certificateConditions.add("c.not_after <= :now");
                }
                case "deleted" -> deviceConditions.add("d.status = 'DELETED'");
                default -> throw new IllegalArgumentException("unknown status " + status);
            }
        });
        query.label().ifPresent(label -> {
            certificateConditions.add("c.label = :label");
            filterBinds.put("label", label);
        });
        query.text().ifPresent(text -> {
            // the same expression as the PostgreSQL trigram index device_subject_trgm_idx: LOWER(subject)
            deviceConditions.add("LOWER(d.subject) LIKE :text");
            filterBinds.put("text", "%" + text.toLowerCase(Locale.ROOT).replace("\\", "").replace("%", "")
                    .replace("_", "") + "%");
        });
        query.expiringBefore().ifPresent(before -> {
            certificateConditions.add("c.status = 'VALID'");
            certificateConditions.add("c.not_after > :now");
            certificateConditions.add("c.not_after <= :expiringBefore");
            filterBinds.put("expiringBefore", before);
        });
        if (certificateConditions.contains("c.not_after > :now") || certificateConditions.contains("c.not_after <= :now")) {
            filterBinds.put("now", query.now());
        }
    }

    /** @return rows the page asks for; {@link #page()} reads one more to know whether a next page exists */
    int limit() {
        return limit;
    }

    /** @return whether this is a keyset page ({@code after} given) */
    boolean keyset() {
        return after.isPresent();
    }

    /** @return whether any filter is given (beyond the page position) */
    boolean filtered() {
        return !deviceConditions.isEmpty() || !certificateConditions.isEmpty();
    }

    /**
     * @return the page: up to {@code limit + 1} devices in id order, each with its current certificate's label,
     *         expiry and status. The inner query picks the ids (device table only, unless a certificate filter
     *         needs its EXISTS); only those rows are joined to their certificate.
     */
    String page() {
        return "SELECT p.id, p.subject, p.status, p.current_serial, c.label, c.not_after,"
                + " c.status AS certificate_status, p.created_at, p.updated_at"
                + " FROM (SELECT " + DEVICE_COLUMNS + " FROM device d" + where(true) + " ORDER BY d.id LIMIT :limit"
                + (offset > 0 ? " OFFSET :offset" : "") + ") p"
                + " LEFT JOIN certificate c ON c.device_id = p.id AND c.serial = p.current_serial ORDER BY p.id";
    }

    /** @return the bindings of {@link #page()} */
    Map<String, Object> pageBinds() {
        Map<String, Object> binds = new LinkedHashMap<>(filterBinds);
        after.ifPresent(id -> binds.put("after", id));
        binds.put("limit", limit + 1);
        if (offset > 0) {
            binds.put("offset", offset);
        }
        return binds;
    }

    /** @return how many devices match the filter (all pages): no certificate join without a certificate filter */
    String count() {
        return "SELECT COUNT(*) FROM device d" + where(false);
    }

    /**
     * One pass over the devices and their current certificates that counts, for each filter, the devices its list
     * would count, built from the lists' own conditions so that the figures agree with them. (The dashboard summary
     * used to run one count per filter: six scans.)
     *
     * @param filters the filters (page position ignored); their bound values must agree where they share a name
     * @return the SQL (one row, one column per filter, in order) and its bindings
     * @throws IllegalArgumentException if two filters bind the same name to different values
     */
    static Map.Entry<String, Map<String, Object>> countsInOnePass(List<FleetQuery> filters) {
        List<String> columns = new ArrayList<>();
        Map<String, Object> binds = new LinkedHashMap<>();
        for (FleetQuery filter : filters) {
            DeviceListSql sql = new DeviceListSql(filter);
            List<String> conditions = new ArrayList<>(sql.deviceConditions);
            conditions.addAll(sql.certificateConditions);
            columns.add(conditions.isEmpty() ? "COUNT(*)"
                    : "COUNT(CASE WHEN " + String.join(" AND ", conditions) + " THEN 1 END)");
            sql.filterBinds.forEach((name, value) -> {
                Object before = binds.putIfAbsent(name, value);
                if (before != null && !before.equals(value)) {
                    throw new IllegalArgumentException("filters disagree on :" + name);
                }
            });
        }
        return Map.entry("SELECT " + String.join(", ", columns) + " FROM device d"
                + " LEFT JOIN certificate c ON c.device_id = d.id AND c.serial = d.current_serial", binds);
    }

    /** @return the bindings of {@link #count()} */
    Map<String, Object> countBinds() {
        return new LinkedHashMap<>(filterBinds);
    }

    /**
     * The total, when the page itself tells it: a first page, or a non-empty OFFSET page, with no next page.
     *
     * @param rows devices on the page
     * @param more whether there is a next page
     * @return the total, or empty if it takes a count
     */
    Optional<Long> totalFromPage(int rows, boolean more) {
        if (more || keyset() || (offset > 0 && rows == 0)) {
            return Optional.empty();
        }
        return Optional.of((long) offset + rows);
    }

    private String where(boolean paging) {
        List<String> conditions = new ArrayList<>(deviceConditions);
        boolean cursor = paging && after.isPresent();
        if (cursor) {
            conditions.add("d.id > :after");
        }
        if (!certificateConditions.isEmpty()) {
            // the current certificate only; the redundant bound on c.device_id lets PostgreSQL start its scan of
            // certificate_device_idx at the cursor instead of at the first device
            conditions.add("EXISTS (SELECT 1 FROM certificate c WHERE c.device_id = d.id AND c.serial = d.current_serial"
                    + " AND " + String.join(" AND ", certificateConditions)
                    + (cursor ? " AND c.device_id > :after" : "") + ")");
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }
}
