package org.openest.est.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openest.est.guard.EnrollmentGate;
import org.openest.est.protocol.EstError;
import org.openest.est.store.Registry;

/**
 * The server's Prometheus metrics, written in the text exposition format 0.0.4:
 * <ul>
 *   <li>{@code est_enrollments_total{label,operation,outcome}}: enrollment requests by profile label ("" for the
 *       unlabeled path), operation and outcome ({@link #ISSUED}, {@link #ERROR} or {@link #outcome(EstError)});</li>
 *   <li>{@code est_request_duration_seconds}: latency of EST requests (buckets 5 ms to 5 s);</li>
 *   <li>{@code est_auth_failures_total}: failed HTTP Basic logins;</li>
 *   <li>{@code est_certificates_expiring{days="30"}}: VALID certificates whose notAfter is within 30 days, counted
 *       in the registry at scrape time (no sample while the database is down);</li>
 *   <li>{@code est_up}: 1 if the health check passes (database and CA) at scrape time, else 0;</li>
 *   <li>{@code est_enrollments_in_progress} and {@code est_enrollments_queued}: enrollments holding an admission
 *       permit ({@code http.concurrent-enrollments}) and requests waiting for one, at scrape time.</li>
 * </ul>
 * Every label value comes from a bounded set (configured labels, operation names, outcomes), so a client cannot
 * create series. Uses its own registry, never Prometheus' static default (which would outlive a redeploy).
 * Thread-safe.
 */
public final class EstMetrics {
    private static final Logger LOG = LogManager.getLogger(EstMetrics.class);
    private static final int EXPIRY_DAYS = 30;
    /** Outcome of an enrollment answered with a certificate. */
    public static final String ISSUED = "issued";
    /** Outcome of an enrollment that failed unexpectedly. */
    public static final String ERROR = "error";

    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.builder()
            .setIncludeCreatedTimestamps(false).build();
    private final Counter enrollments;
    private final Counter authFailures;
    private final Histogram duration;
    private final Gauge expiring;
    private final Gauge up;
    private final Gauge inProgress;
    private final Gauge queued;
    private volatile EnrollmentGate gate;
    private final Registry registry;
    private final HealthCheck health;
    private final Clock clock;

    /**
     * @param registry the registry, for the expiry gauge
     * @param health the health check, for {@code est_up}
     * @param clock time for the expiry window
     */
    public EstMetrics(Registry registry, HealthCheck health, Clock clock) {
        // No exemplars (there is no tracing to link to): the exemplar sampler starts a static scheduler thread in the
        // webapp's class loader that nothing stops, so every undeploy or redeploy leaked it (Tomcat warned).
        enrollments = Counter.builder().name("est_enrollments_total").withoutExemplars()
                .help("EST enrollment requests by label, operation and outcome")
                .labelNames("label", "operation", "outcome").register(prometheus);
        authFailures = Counter.builder().name("est_auth_failures_total").withoutExemplars()
                .help("Failed HTTP Basic logins").register(prometheus);
        duration = Histogram.builder().name("est_request_duration_seconds").withoutExemplars()
                .help("Duration of EST requests in seconds").classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5).register(prometheus);
        expiring = Gauge.builder().name("est_certificates_expiring").withoutExemplars()
                .help("VALID certificates whose notAfter is within the given number of days")
                .labelNames("days").register(prometheus);
        up = Gauge.builder().name("est_up").withoutExemplars()
                .help("1 if the registry database and every CA are up, else 0").register(prometheus);
        inProgress = Gauge.builder().name("est_enrollments_in_progress").withoutExemplars()
                .help("Enrollments holding an admission permit (http.concurrent-enrollments)").register(prometheus);
        queued = Gauge.builder().name("est_enrollments_queued").withoutExemplars()
                .help("Enrollment requests waiting for an admission permit").register(prometheus);
        this.registry = registry;
        this.health = health;
        this.clock = clock;
    }

    /**
     * Maps a refusal to the {@code outcome} label.
     *
     * @param error why an enrollment request was not answered with a certificate
     * @return pending, unauthorized, locked_out, rate_limited, refused, unavailable or error
     */
    public static String outcome(EstError error) {
        return switch (error) {
            case PENDING -> "pending";
            case AUTHENTICATION_REQUIRED -> "unauthorized";
            case LOCKED_OUT -> "locked_out";
            case RATE_LIMITED -> "rate_limited";
            case UNAVAILABLE -> "unavailable";
            case INTERNAL -> ERROR;
            default -> error.status() >= 400 && error.status() < 500 ? "refused" : ERROR;
        };
    }

    /**
     * @param label the profile label ("" for the unlabeled path)
     * @param operation simpleenroll, simplereenroll, bootstrap or serverkeygen
     * @param outcome {@link #ISSUED}, {@link #ERROR} or one of {@link #outcome(EstError)}
     */
    public void enrollment(String label, String operation, String outcome) {
        enrollments.labelValues(label, operation, outcome).inc();
    }

    /** Counts one failed HTTP Basic login. */
    public void authFailure() {
        authFailures.inc();
    }

    /**
     * @param nanos how long an EST request took
     */
    public void requestDuration(long nanos) {
        duration.observe(nanos / 1e9);
    }

    /**
     * @param gate the admission queue whose figures {@code est_enrollments_in_progress} and
     *     {@code est_enrollments_queued} report (both 0 until it is set)
     */
    public void admission(EnrollmentGate gate) {
        this.gate = gate;
    }

    /** @return the Content-Type of {@link #write} */
    public String contentType() {
        return writer.getContentType();
    }

    /**
     * Collects (running the registry query and the health check) and writes every metric.
     *
     * @param out where to write
     * @throws IOException if writing fails
     */
    public void write(OutputStream out) throws IOException {
        HealthCheck.Health now = health.check();
        up.set(now.up() ? 1 : 0);
        EnrollmentGate admission = gate;
        inProgress.set(admission == null ? 0 : admission.inProgress());
        queued.set(admission == null ? 0 : admission.waiting());
        String days = Integer.toString(EXPIRY_DAYS);
        expiring.remove(days); // no sample rather than a stale one when it cannot be counted
        if (now.database()) {
            try {
                Instant from = clock.instant();
                expiring.labelValues(days).set(registry.countValidExpiring(from,
                        from.plus(Duration.ofDays(EXPIRY_DAYS))));
            } catch (RuntimeException e) {
                LOG.debug("est_certificates_expiring not available: {}", e.toString());
            }
        }
        writer.write(out, prometheus.scrape());
    }
}
