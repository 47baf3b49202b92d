package org.openest.est.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.cms.CMSSignedData;
import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.DevPki;
import org.openest.est.bench.FloorBenchmark.Csr;

/**
 * Load generator for a running EST server over TLS on loopback. Raw JSSE sockets with TCP_NODELAY and a minimal
 * hand-written HTTP/1.1 client, so that "keep-alive" and "new TLS connection per request" are both exactly what they
 * say (a new connection is a full handshake: the client session is invalidated after each one, so nothing resumes).
 *
 * <p>Scenarios ({@code --ops}): {@code enroll-basic} (simpleenroll, HTTP Basic), {@code enroll-cert} (simpleenroll,
 * RA client certificate), {@code reenroll} (simplereenroll with device certificates enrolled in an untimed round
 * before), {@code cacerts} (anonymous GET) and {@code cacerts-mtls} (GET with the RA certificate; with new connections
 * these two are the handshake-bound references). Every enrollment posts a pre-generated CSR (EC P-256, unique
 * subject) so every request is a real issuance. Each scenario runs until {@code --duration} seconds or
 * {@code --max} requests, after a warm-up. The server's CPU time and peak RSS come from /proc/PID.
 *
 * <p>Any error (connection failure, unexpected status, unparseable certificate) is counted; the run exits 1 if there
 * was any.
 */
public final class LoadGenerator {
    private final Map<String, String> options;
    private final String host;
    private final int port;
    private final long pid;
    private final long clkTck;
    private final X509Certificate caCert;
    private final SSLContext anonymous;
    private final SSLContext ra;
    private final String basic;
    private final PrintStream out = System.out;
    private final List<String> table = new ArrayList<>();
    private final List<String> tails = new ArrayList<>();
    private final Map<String, Double> rates = new LinkedHashMap<>();
    private final Map<String, double[]> latencies = new LinkedHashMap<>();
    private long totalErrors;

    // Fresh CSRs: pre-generated before each scenario, consumed once.
    private final List<byte[]> pool = new ArrayList<>();
    private int poolNext;
    private final AtomicLong subjectCounter = new AtomicLong();
    private final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

    // Devices for simplereenroll: their TLS context and a few rekey CSRs each.
    private final List<SSLContext> deviceContexts = new ArrayList<>();
    private final List<byte[][]> deviceCsrs = new ArrayList<>();

    private LoadGenerator(Map<String, String> options) throws Exception {
        this.options = options;
        host = options.getOrDefault("host", "localhost");
        port = Integer.parseInt(required("port"));
        pid = Long.parseLong(options.getOrDefault("pid", "0"));
        clkTck = Long.parseLong(options.getOrDefault("clk-tck", "100"));
        caCert = CaMaterial.readCertificates(Path.of(required("ca"))).get(0);
        anonymous = context(null, null);
        ra = options.containsKey("ra-cert") ? context(
                CaMaterial.readPrivateKey(Path.of(required("ra-key"))),
                CaMaterial.readCertificates(Path.of(required("ra-cert"))).get(0)) : null;
        basic = "Basic " + Base64.getEncoder().encodeToString(
                options.getOrDefault("user", "estuser:estpwd").getBytes(StandardCharsets.UTF_8));
    }

    private String required(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected " + args[i]);
            }
            options.put(args[i].substring(2), i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "true");
        }
        LoadGenerator generator = new LoadGenerator(options);
        int status = options.containsKey("admin") ? generator.scale() : generator.run();
        System.exit(status);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The scenario matrix

    private int run() throws Exception {
        List<String> ops = List.of(options.getOrDefault("ops", "cacerts,enroll-basic,enroll-cert,reenroll").split(","));
        List<Integer> clients = Arrays.stream(options.getOrDefault("clients", "1,8,32,128").split(","))
                .map(Integer::parseInt).toList();
        List<String> modes = List.of(options.getOrDefault("modes", "keepalive,newconn").split(","));
        double duration = Double.parseDouble(options.getOrDefault("duration", "10"));
        int max = Integer.parseInt(options.getOrDefault("max", "25000"));
        double warmup = Double.parseDouble(options.getOrDefault("warmup", "20"));
        List<String> jfr = List.of(options.getOrDefault("jfr-scenarios", "").split(","));

        out.printf("load: server %s:%d pid %d, ops %s, clients %s, modes %s, %.0f s or %d requests per scenario%n",
                host, port, pid, ops, clients, modes, duration, max);
        if (ops.contains("reenroll")) {
            enrollDevices(clients.stream().mapToInt(Integer::intValue).max().orElse(1));
        }
        warmUp(ops, modes, warmup, max);
        if (options.containsKey("warmup-only")) {
            return totalErrors > 0 ? 1 : 0;
        }
        for (String op : ops) {
            for (String mode : modes) {
                if (op.equals("cacerts-mtls") && mode.equals("keepalive")) {
                    continue; // only the handshake reference
                }
                for (int c : clients) {
                    runScenario(op, mode, c, duration, max, true, null);
                }
            }
        }
        // Profiles after all measurements, in passes of their own: starting a JFR recording deoptimises compiled
        // code (JDBI's JFR event class is retransformed), which costs the next seconds' throughput. So a first
        // recording starts (no file) 20 s before the recorded one and runs alongside it.
        for (String name : jfr) {
            String[] parts = name.split("/");
            if (parts.length == 3) {
                out.println("load: profiling " + name);
                jcmd("JFR.start", "name=prime", "settings=profile");
                runScenario(parts[0], parts[1], Integer.parseInt(parts[2]), 20, max, false, null);
                runScenario(parts[0], parts[1], Integer.parseInt(parts[2]), 20, max, false, name);
                jcmd("JFR.stop", "name=prime");
            }
        }
        printTable();
        printVerdicts(options.get("floor"));
        if (totalErrors > 0) {
            out.println("load: FAILED: " + totalErrors + " errors");
            return 1;
        }
        return 0;
    }

    /** The p99 target: the verdicts check it, and the tail table counts the requests over it. */
    private static final long P99_TARGET_MS = 50;
    /** Width of the windows in which the slow requests of a burst finish. */
    private static final long BURST_MS = 100;

    /**
     * One row of the tail table: the requests over {@link #P99_TARGET_MS}, and the share of them that finished in a burst
     * (a {@link #BURST_MS} window in which at least half of the clients had a slow request finish). Bursts mean that
     * everything in flight waited for one thing at once (a collection, a commit, a preempted lock holder); slow
     * requests outside bursts are individual ones (queueing, scheduling).
     */
    static String tail(String name, long[][] times, long[][] ends, int[] counts, long start) {
        long slowNanos = P99_TARGET_MS * 1_000_000L;
        long windowNanos = BURST_MS * 1_000_000L;
        TreeMap<Long, Integer> slowByWindow = new TreeMap<>();
        long total = 0;
        long slow = 0;
        for (int w = 0; w < counts.length; w++) {
            total += counts[w];
            for (int i = 0; i < counts[w]; i++) {
                if (times[w][i] > slowNanos) {
                    slow++;
                    slowByWindow.merge(Math.max(0, ends[w][i] - start) / windowNanos, 1, Integer::sum);
                }
            }
        }
        int burstSize = (counts.length + 1) / 2;
        List<Long> bursts = new ArrayList<>();
        long inBursts = 0;
        for (Map.Entry<Long, Integer> window : slowByWindow.entrySet()) {
            if (window.getValue() >= burstSize) {
                bursts.add(window.getKey());
                inBursts += window.getValue();
            }
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < bursts.size(); i++) {
            gaps.add(bursts.get(i) - bursts.get(i - 1));
        }
        Collections.sort(gaps);
        String gap = gaps.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f s",
                gaps.get(gaps.size() / 2) * BURST_MS / 1000.0);
        return String.format(Locale.ROOT, "| %s | %d | %.2f %% | %s | %d | %s |", name, slow,
                total == 0 ? 0.0 : 100.0 * slow / total,
                slow == 0 ? "-" : String.format(Locale.ROOT, "%.0f %%", 100.0 * inBursts / slow), bursts.size(), gap);
    }

    private void printTable() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("| scenario | auth | connection | clients | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms"
                + " | server CPU s | server CPU ms/req | server JIT % | client CPU s | server peak RSS MiB | load1 |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        lines.addAll(table);
        if (!tails.isEmpty()) {
            lines.add("");
            lines.add("Keep-alive requests over " + P99_TARGET_MS + " ms (the p99 target) and how many of them came in bursts:"
                    + " " + BURST_MS + " ms windows, by completion time, in which at least half of the clients had such"
                    + " a request finish (a stall of the whole server or machine, not one slow request).");
            lines.add("");
            lines.add("The last two columns: CPU that processes other than the server and the load generator used"
                    + " during the scenario (all cores), and the busiest of them. A kernel thread that takes a core for"
                    + " tens of milliseconds at a time (such as kdamond.0, see BENCHMARKS.md) stalls everything in"
                    + " flight.");
            lines.add("");
            lines.add("| scenario | requests over " + P99_TARGET_MS + " ms | share | of them in bursts | bursts"
                    + " | median time between bursts | other processes' CPU s | busiest other process |");
            lines.add("|---|---|---|---|---|---|---|---|");
            lines.addAll(tails);
        }
        out.println();
        lines.forEach(out::println);
        out.println();
        if (options.containsKey("out")) {
            Files.write(Path.of(options.get("out")), lines, StandardCharsets.UTF_8);
        }
    }

    /** Ratios to the JMH floor and the targets. */
    private void printVerdicts(String floorFile) throws IOException {
        if (floorFile == null) {
            return;
        }
        Floor floor = Floor.read(floorFile);
        List<String> lines = new ArrayList<>();
        double enroll2 = floor.score("enrollment", "P256", 2);
        lines.add(String.format(Locale.ROOT, "floor: enrollment pipeline (P-256 CA, HSQLDB durable), 2 threads: %.0f/s;"
                + " 1 thread: %.0f/s", enroll2, floor.score("enrollment", "P256", 1)));
        for (String op : List.of("enroll-cert", "enroll-basic", "reenroll")) {
            Double rate = rates.get(op + "/keepalive/32");
            if (rate != null && enroll2 > 0) {
                double[] lat = latencies.get(op + "/keepalive/32");
                boolean ok = rate >= 0.7 * enroll2 && lat[2] < P99_TARGET_MS;
                lines.add(String.format(Locale.ROOT, "target %s keep-alive 32 clients: %.0f/s = %.0f %% of the floor"
                        + " (target >= 70 %%), p99 %.1f ms (target < %d): %s", op, rate, 100 * rate / enroll2, lat[2],
                        P99_TARGET_MS, ok ? "MET" : "NOT MET"));
            }
            Double hsRate = rates.get((op.equals("enroll-basic") ? "cacerts" : "cacerts-mtls") + "/newconn/32");
            Double newRate = rates.get(op + "/newconn/32");
            if (hsRate != null && newRate != null && enroll2 > 0) {
                double bound = 1 / (1 / hsRate + 1 / enroll2);
                lines.add(String.format(Locale.ROOT, "target %s new connection per request, 32 clients: %.0f/s ="
                        + " %.0f %% of the handshake-bound rate %.0f/s (1 / (1/%.0f handshakes/s + 1/%.0f floor))"
                        + " (target >= 80 %%): %s", op, newRate, 100 * newRate / bound, bound, hsRate, enroll2,
                        newRate >= 0.8 * bound ? "MET" : "NOT MET"));
            }
        }
        out.println();
        lines.forEach(out::println);
        if (options.containsKey("out")) {
            List<String> all = new ArrayList<>(Files.readAllLines(Path.of(options.get("out"))));
            all.add("");
            all.addAll(lines);
            Files.write(Path.of(options.get("out")), all, StandardCharsets.UTF_8);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // PostgreSQL scale: enrollment latency and admin list latency at the current registry size

    private int scale() throws Exception {
        String label = options.getOrDefault("label", "?");
        double duration = Double.parseDouble(options.getOrDefault("duration", "10"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "32"));
        long devices = Long.parseLong(required("devices"));
        String admin = "Basic " + Base64.getEncoder().encodeToString(required("admin").getBytes(StandardCharsets.UTF_8));
        int samples = Integer.parseInt(options.getOrDefault("admin-requests", "40"));
        List<String> lines = new ArrayList<>();
        if (Boolean.parseBoolean(options.getOrDefault("header", "false"))) {
            lines.add("| devices | enroll req/s | enroll p50 ms | enroll p99 ms | errors | auth-only 404 p50 ms"
                    + " | list page 0 p50 ms | list middle page (after=) p50 ms | list last page (after=) p50 ms"
                    + " | list last page (page=, OFFSET) p50 ms | search q= p50 ms | search no match p50 ms"
                    + " | list p95 (worst) ms | load1 |");
            lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        }
        // The server is warmed up before the registry is loaded (--warmup-only); this warms up this process on the
        // same TLS and HTTP paths without enrolling (each warm-up enrollment would add a device to the registry).
        warmUp(List.of(options.getOrDefault("warmup-op", "cacerts-mtls")), List.of("keepalive"),
                Double.parseDouble(options.getOrDefault("warmup", "5")), 100_000);
        runScenario("enroll-cert", "keepalive", clients, duration, 200_000, true, null);
        String key = "enroll-cert/keepalive/" + clients;
        double[] enroll = latencies.get(key);
        long errors = totalErrors;
        String authorization = "\r\nAuthorization: " + admin;
        // the enrollments above added devices: the last page is where the registry ends now
        long registered = Math.max(devices, Long.parseLong(field(adminGet("/api/devices?size=1", authorization),
                TOTAL, "total")));
        long lastPage = Math.max(0, (registered - 1) / 50);
        String needle = options.getOrDefault("needle", "scale-0000777");
        // The middle and last pages as the dashboard reaches them: by keyset cursor (after= the next of the page
        // before, count=false: the dashboard counts only a filter's first page). The cursors are looked up once,
        // unmeasured, through the OFFSET form; the last page by OFFSET stays as a column of its own.
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("auth", "/api/devices/999999999999");
        paths.put("page0", "/api/devices?page=0&size=50");
        paths.put("middle", keysetPage(cursorBefore(lastPage / 2, authorization)));
        paths.put("last", keysetPage(cursorBefore(lastPage, authorization)));
        paths.put("lastOffset", "/api/devices?page=" + lastPage + "&size=50");
        paths.put("search", "/api/devices?q=" + needle + "&size=50");
        paths.put("nomatch", "/api/devices?q=no-such-device-xyz&size=50");
        Map<String, double[]> admins = new LinkedHashMap<>();
        Connection connection = null;
        try {
            for (Map.Entry<String, String> path : paths.entrySet()) {
                long[] times = new long[samples];
                for (int i = -3; i < samples; i++) { // 3 unmeasured
                    String request = "GET " + path.getValue() + " HTTP/1.1\r\nHost: " + host + ":" + port
                            + "\r\nAuthorization: " + admin + "\r\nAccept: application/json\r\n\r\n";
                    long start = System.nanoTime();
                    if (connection == null) {
                        connection = Connection.open(anonymous, host, port);
                    }
                    Response response = connection.exchange(request.getBytes(StandardCharsets.US_ASCII));
                    long took = System.nanoTime() - start;
                    int expected = path.getKey().equals("auth") ? 404 : 200;
                    boolean wrongEnd = path.getKey().equals("last") && !new String(response.body,
                            StandardCharsets.UTF_8).contains("\"next\":null"); // the last page has no next
                    if (response.status != expected || wrongEnd) {
                        errors++;
                        out.println("load: admin " + path.getValue() + " -> " + response.status + " "
                                + new String(response.body, 0, Math.min(200, response.body.length),
                                StandardCharsets.UTF_8));
                    }
                    if (response.close) {
                        connection.close();
                        connection = null;
                    }
                    if (i >= 0) {
                        times[i] = took;
                    }
                }
                admins.put(path.getKey(), percentiles(times, samples));
            }
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
        double worstP95 = admins.entrySet().stream().filter(e -> !e.getKey().equals("auth"))
                .mapToDouble(e -> e.getValue()[1]).max().orElse(0);
        lines.add(String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.1f | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f"
                        + " | %.1f | %.1f | %s |", label, rates.get(key), enroll[0], enroll[2], errors,
                admins.get("auth")[0], admins.get("page0")[0], admins.get("middle")[0], admins.get("last")[0],
                admins.get("lastOffset")[0], admins.get("search")[0], admins.get("nomatch")[0], worstP95,
                loadAverage()));
        lines.forEach(out::println);
        if (options.containsKey("out")) {
            Path file = Path.of(options.get("out"));
            List<String> all = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
            all.addAll(lines);
            Files.write(file, all, StandardCharsets.UTF_8);
        }
        return errors > 0 ? 1 : 0;
    }

    private static final Pattern NEXT = Pattern.compile("\"next\":(\\d+)");
    private static final Pattern TOTAL = Pattern.compile("\"total\":(\\d+)");

    /**
     * @param page a page number (50 devices a page)
     * @param authorization the admin's Authorization header line
     * @return the keyset cursor of that page (the {@code next} of the page before it), or null for page 0
     */
    private String cursorBefore(long page, String authorization) throws IOException {
        if (page == 0) {
            return null;
        }
        return field(adminGet("/api/devices?page=" + (page - 1) + "&size=50&count=false", authorization), NEXT,
                "next of page " + (page - 1));
    }

    /** One unmeasured admin GET on a connection of its own; the body, or an exception unless 200. */
    private String adminGet(String path, String authorization) throws IOException {
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + authorization
                + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n";
        Connection connection = Connection.open(anonymous, host, port);
        try {
            Response response = connection.exchange(request.getBytes(StandardCharsets.US_ASCII));
            if (response.status != 200) {
                throw new IOException(path + " -> HTTP " + response.status);
            }
            return new String(response.body, StandardCharsets.UTF_8);
        } finally {
            connection.close();
        }
    }

    private static String field(String json, Pattern pattern, String what) throws IOException {
        Matcher matcher = pattern.matcher(json);
        if (!matcher.find()) {
            throw new IOException("no " + what + " in " + json.substring(0, Math.min(200, json.length())));
        }
        return matcher.group(1);
    }

    private static String keysetPage(String cursor) {
        return cursor == null ? "/api/devices?size=50" : "/api/devices?size=50&count=false&after=" + cursor;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Warm-up

    /**
     * Untimed passes over every measured code path (8 clients each), until the JIT compilers are quiet: at least
     * {@code minSeconds}, then pass after pass while the compiler threads of the server or of this process still
     * used more than {@code --jit-quiet} percent (default 5) of that process's CPU, up to {@code --warmup-max} seconds (default
     * 600). On two cores under load the compiler threads compete with the request threads: measured on a 2 GHz
     * EPYC, the server's JIT still took a third of its CPU 60 s into a load run and settled after about 4 minutes.
     * Measuring before that would measure the JIT, not the steady state (JMH warms the floor up too).
     */
    private void warmUp(List<String> ops, List<String> modes, double minSeconds, int max) throws Exception {
        if (minSeconds <= 0) {
            return;
        }
        double maxSeconds = Math.max(minSeconds, Double.parseDouble(options.getOrDefault("warmup-max", "600")));
        double quiet = Double.parseDouble(options.getOrDefault("jit-quiet", "5"));
        double slice = Math.max(2, minSeconds / (ops.size() * modes.size()));
        long begin = System.nanoTime();
        out.printf(Locale.ROOT, "load: warm-up at least %.0f s, until the JIT uses under %.0f %% of the CPU (at most"
                + " %.0f s)%n", minSeconds, quiet, maxSeconds);
        for (int pass = 1;; pass++) {
            long[] cpu0 = {serverCpuTicks(), jitCpuTicks(pid), ownCpuTicks(), jitCpuTicks(0)};
            for (String op : ops) {
                for (String mode : modes) {
                    runScenario(op, mode, 8, slice, max, false, null);
                }
            }
            long server = serverCpuTicks() - cpu0[0];
            long serverJit = jitCpuTicks(pid) - cpu0[1];
            long own = ownCpuTicks() - cpu0[2];
            long ownJit = jitCpuTicks(0) - cpu0[3];
            double serverShare = 100.0 * serverJit / Math.max(1, server);
            double ownShare = 100.0 * ownJit / Math.max(1, own);
            double elapsed = (System.nanoTime() - begin) / 1e9;
            out.printf(Locale.ROOT, "load: warm-up pass %d (%.0f s in all): JIT %.1f %% of the server's CPU, %.1f %% of"
                    + " the load generator's%n", pass, elapsed, serverShare, ownShare);
            if (elapsed >= minSeconds && serverShare < quiet && ownShare < quiet) {
                return;
            }
            if (elapsed >= maxSeconds) {
                out.printf("load: warm-up stopped at --warmup-max with the JIT still busy%n");
                return;
            }
        }
    }

    /**
     * @param process a pid, or 0 for this process
     * @return CPU ticks of the process's JIT compiler threads (HotSpot's "C1/C2 CompilerThreadN"), 0 if unknown
     */
    private static long jitCpuTicks(long process) {
        Path tasks = Path.of("/proc/" + (process == 0 ? "self" : Long.toString(process)) + "/task");
        long ticks = 0;
        try (var threads = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) threads::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).contains("CompilerThre")) {
                        ticks += cpuTicks(task.resolve("stat"));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks;
    }

    // ---------------------------------------------------------------------------------------------------------
    // One scenario

    private void runScenario(String op, String mode, int clients, double seconds, int max, boolean measured,
                             String jfrName) throws Exception {
        boolean enroll = op.startsWith("enroll");
        if (enroll) {
            refillPool(max);
        }
        boolean newConnection = mode.equals("newconn");
        byte[][] requests = null;
        int poolStart = poolNext;
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        AtomicLong reconnects = new AtomicLong();
        long[][] times = new long[clients][];
        long[][] ends = new long[clients][];
        int[] counts = new int[clients];
        String name = op + "/" + mode + "/" + clients;
        // Keep-alive: every client opens its connection (a full TLS handshake) and sends its first request on it before
        // the clock starts, as wrk and h2load leave the connection setup out of the request latencies; handshakes are
        // what the new-connection scenarios measure. The slowest of these setups is printed apart. Also left out so:
        // a Basic entry of the server's credential cache that expired while the benchmark did other scenarios (one
        // realm check that the first requests all wait for; under steady load the entry is refreshed ahead of time).
        long[] connectNanos = new long[clients];
        CountDownLatch connected = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong deadlineNanos = new AtomicLong();

        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < clients; w++) {
            int worker = w;
            times[w] = new long[max];
            ends[w] = new long[max];
            futures.add(pool.submit(() -> {
                SSLContext context = switch (op) {
                    case "enroll-cert", "cacerts-mtls" -> ra;
                    case "reenroll" -> deviceContexts.get(worker % deviceContexts.size());
                    default -> anonymous;
                };
                Connection connection = null;
                int n = 0;
                try {
                    try {
                        if (!newConnection) {
                            long c0 = System.nanoTime();
                            connection = Connection.open(context, host, port);
                            Response first = connection.exchange(
                                    request(op, worker, next.getAndIncrement(), poolStart, false));
                            connectNanos[worker] = System.nanoTime() - c0;
                            if (first.status != 200) {
                                errors.incrementAndGet();
                                report(name, "HTTP " + first.status + " on the first request");
                            }
                            if (first.close) {
                                connection.close();
                                connection = null;
                            }
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                        report(name, "I/O on connect: " + e);
                    } finally {
                        connected.countDown();
                    }
                    go.await();
                    long deadline = deadlineNanos.get();
                    while (System.nanoTime() < deadline) {
                        int index = next.getAndIncrement();
                        if (index >= max) {
                            break;
                        }
                        byte[] request = request(op, worker, index, poolStart, newConnection);
                        long t0 = System.nanoTime();
                        Response response;
                        try {
                            if (connection == null) {
                                connection = Connection.open(context, host, port);
                            }
                            response = connection.exchange(request);
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            report(name, "I/O: " + e);
                            if (connection != null) {
                                connection.close();
                                connection = null;
                            }
                            continue;
                        }
                        if (newConnection || response.close) {
                            connection.close();
                            connection = null;
                            if (!newConnection) {
                                reconnects.incrementAndGet();
                            }
                        }
                        long took = System.nanoTime() - t0;
                        if (response.status != 200 || (n == 0 && !validResponse(op, response))) {
                            errors.incrementAndGet();
                            report(name, "HTTP " + response.status + " " + new String(response.body, 0,
                                    Math.min(200, response.body.length), StandardCharsets.UTF_8).trim());
                            continue;
                        }
                        ends[worker][n] = t0 + took;
                        times[worker][n++] = took;
                    }
                } finally {
                    counts[worker] = n;
                    if (connection != null) {
                        connection.close();
                    }
                }
                return null;
            }));
        }
        connected.await();

        if (jfrName != null) {
            jcmd("JFR.start", "name=bench", "settings=profile",
                    "filename=" + Path.of(options.getOrDefault("jfr-dir", "target/bench")).toAbsolutePath()
                            .resolve(jfrName.replace('/', '-') + ".jfr"));
        }
        long serverCpu0 = serverCpuTicks();
        long serverJit0 = measured ? jitCpuTicks(pid) : 0;
        long clientCpu0 = ownCpuTicks();
        boolean tailRow = measured && !newConnection; // the tail table covers the keep-alive scenarios
        Map<Long, OtherProcess> others0 = tailRow ? otherProcesses() : Map.of();
        boolean hwmReset = resetPeakRss();
        RssSampler rss = new RssSampler(pid);
        rss.start();
        long start = System.nanoTime();
        deadlineNanos.set(start + (long) (seconds * 1e9));
        go.countDown();
        for (Future<?> future : futures) {
            future.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        rss.stop();
        long serverCpu = serverCpuTicks() - serverCpu0;
        long serverJit = measured ? jitCpuTicks(pid) - serverJit0 : 0;
        long clientCpu = ownCpuTicks() - clientCpu0;
        String others = tailRow ? OtherProcess.busiest(others0, otherProcesses(), clkTck) : "";
        // VmHWM only if it was really reset for this scenario, else it is the peak since the server started.
        long peakRss = hwmReset ? Math.max(peakRss(), rss.max()) : rss.max();
        if (jfrName != null) {
            jcmd("JFR.stop", "name=bench");
        }
        if (enroll) {
            poolNext = Math.min(pool().size(), poolStart + Math.min(next.get(), max));
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int w = 0; w < clients; w++) {
            System.arraycopy(times[w], 0, all, at, counts[w]);
            at += counts[w];
        }
        double[] p = percentiles(all, total);
        double rate = total / elapsed;
        if (!measured) {
            if (errors.get() > 0) {
                totalErrors += errors.get();
                out.printf("load: warm-up %s: %d errors%n", name, errors.get());
            }
            return;
        }
        totalErrors += errors.get();
        rates.put(name, rate);
        latencies.put(name, p);
        String auth = switch (op) {
            case "enroll-basic" -> "Basic";
            case "enroll-cert", "cacerts-mtls" -> "RA cert";
            case "reenroll" -> "device cert";
            default -> "none";
        };
        String row = String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f"
                        + " | %s | %.0f | %.1f | %d | %s |", op, auth,
                newConnection ? "new TLS per request" : "keep-alive", clients, total, errors.get(), rate, p[0], p[1],
                p[2], p[3], serverCpu / (double) clkTck,
                total == 0 ? "-" : String.format(Locale.ROOT, "%.2f", serverCpu * 1000.0 / clkTck / total),
                100.0 * serverJit / Math.max(1, serverCpu), clientCpu / (double) clkTck, peakRss / 1024,
                loadAverage());
        table.add(row);
        if (!newConnection) {
            tails.add(tail(name, times, ends, counts, start) + others);
        }
        out.printf(Locale.ROOT, "load: %-32s %6d req %3d err %7.0f/s p50 %6.1f p99 %6.1f ms, server %.2f CPU-ms/req%s%s%n",
                name, total, errors.get(), rate, p[0], p[2], total == 0 ? 0 : serverCpu * 1000.0 / clkTck / total,
                newConnection ? "" : String.format(Locale.ROOT, ", %d connections opened and first requests"
                        + " answered before the clock in at most %.1f ms", clients,
                        Arrays.stream(connectNanos).max().orElse(0) / 1e6),
                reconnects.get() > 0 ? ", " + reconnects.get() + " server-side connection closes" : "");
    }

    private final Map<String, AtomicInteger> reported = new java.util.concurrent.ConcurrentHashMap<>();

    private void report(String scenario, String message) {
        if (reported.computeIfAbsent(scenario, k -> new AtomicInteger()).incrementAndGet() <= 5) {
            out.println("load: error in " + scenario + ": " + message);
        }
    }

    private List<byte[]> pool() {
        return pool;
    }

    private byte[] request(String op, int worker, int index, int poolStart, boolean newConnection) {
        String connectionHeader = newConnection ? "Connection: close\r\n" : "";
        String hostHeader = "Host: " + host + ":" + port + "\r\n";
        if (op.startsWith("cacerts")) {
            return ("GET /.well-known/est/cacerts HTTP/1.1\r\n" + hostHeader + connectionHeader + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        byte[] body;
        String path;
        String authorization = "";
        if (op.equals("reenroll")) {
            byte[][] ring = deviceCsrs.get(worker % deviceCsrs.size());
            body = ring[index % ring.length];
            path = "simplereenroll";
        } else {
            body = pool.get(poolStart + index);
            path = "simpleenroll";
            if (op.equals("enroll-basic")) {
                authorization = "Authorization: " + basic + "\r\n";
            }
        }
        return post(path, body, hostHeader + connectionHeader + authorization);
    }

    private static byte[] post(String path, byte[] body, String headers) {
        byte[] head = ("POST /.well-known/est/" + path + " HTTP/1.1\r\n" + headers
                + "Content-Type: application/pkcs10\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /** The first response of each worker is checked in depth: a PKCS#7 that holds at least one certificate. */
    private static boolean validResponse(String op, Response response) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(response.body);
            return !new CMSSignedData(der).getCertificates().getMatches(null).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** Tops the pool of fresh CSRs up to {@code needed} unused ones (untimed; both cores). */
    private void refillPool(int needed) throws Exception {
        int missing = needed - (pool.size() - poolNext);
        if (missing <= 0) {
            return;
        }
        long t0 = System.nanoTime();
        int threads = Runtime.getRuntime().availableProcessors();
        byte[][] fresh = new byte[missing][];
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            futures.add(executor.submit(() -> {
                for (int i = first; i < missing; i += threads) {
                    fresh[i] = Csr.base64(Csr.p256("CN=bench-" + runId + "-" + subjectCounter.incrementAndGet()
                            + ",O=EST Bench"));
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        executor.shutdown();
        // Drop the consumed ones, keep the unused rest.
        List<byte[]> rest = new ArrayList<>(pool.subList(poolNext, pool.size()));
        pool.clear();
        pool.addAll(rest);
        pool.addAll(Arrays.asList(fresh));
        poolNext = 0;
        out.printf("load: generated %d CSRs (EC P-256, unique subjects) in %.1f s%n", missing,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Enrolls {@code count} devices through the RA (untimed), for the simplereenroll scenarios. */
    private void enrollDevices(int count) throws Exception {
        Connection connection = Connection.open(ra, host, port);
        try {
            for (int i = 0; i < count; i++) {
                String subject = "CN=bench-device-" + runId + "-" + i + ",O=EST Bench";
                KeyPair pair = DevPki.generateEc();
                Response response = connection.exchange(post("simpleenroll", Csr.base64(Csr.p256(subject, pair)),
                        "Host: " + host + ":" + port + "\r\n"));
                if (response.status != 200) {
                    throw new IllegalStateException("device enrollment failed: HTTP " + response.status);
                }
                if (response.close) {
                    connection.close();
                    connection = Connection.open(ra, host, port);
                }
                CMSSignedData pkcs7 = new CMSSignedData(Base64.getMimeDecoder().decode(response.body));
                X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(
                                pkcs7.getCertificates().getMatches(null).iterator().next().getEncoded()));
                deviceContexts.add(context(pair.getPrivate(), certificate));
                byte[][] ring = new byte[4][];
                for (int r = 0; r < ring.length; r++) {
                    ring[r] = Csr.base64(Csr.p256(subject));
                }
                deviceCsrs.add(ring);
            }
        } finally {
            connection.close();
        }
        out.printf("load: enrolled %d devices for simplereenroll%n", count);
    }

    // ---------------------------------------------------------------------------------------------------------
    // TLS and HTTP/1.1

    private SSLContext context(PrivateKey key, X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", caCert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (key != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, "x".toCharArray(), new Certificate[] {certificate, caCert});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "x".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** One TLS connection with a minimal HTTP/1.1 client (Content-Length and chunked responses). */
    static final class Connection {
        private final SSLSocket socket;
        private final InputStream in;
        private final OutputStream out;

        private Connection(SSLSocket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 16384);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 16384);
        }

        static Connection open(SSLContext context, String host, int port) throws IOException {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
            socket.setTcpNoDelay(true); // without it Nagle + delayed ACK add ~40 ms per flight (perf-floor.md)
            socket.setSoTimeout(60_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(parameters);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.startHandshake();
            return new Connection(socket);
        }

        Response exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            if (status == null) {
                throw new IOException("connection closed by the server");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                String field = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (field) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> {
                    }
                }
            }
            byte[] body;
            if (chunked) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                for (;;) {
                    String size = line();
                    int chunk = Integer.parseInt(size.split(";")[0].trim(), 16);
                    if (chunk == 0) {
                        while (!line().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    buffer.write(in.readNBytes(chunk));
                    line();
                }
                body = buffer.toByteArray();
            } else if (length >= 0) {
                body = in.readNBytes((int) length);
                if (body.length != length) {
                    throw new IOException("short body");
                }
            } else {
                body = in.readAllBytes();
                close = true;
            }
            return new Response(code, body, close);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (;;) {
                int b = in.read();
                if (b < 0) {
                    return line.length() == 0 ? null : line.toString();
                }
                if (b == '\n') {
                    int last = line.length() - 1;
                    return last >= 0 && line.charAt(last) == '\r' ? line.substring(0, last) : line.toString();
                }
                line.append((char) b);
            }
        }

        void close() {
            // A new connection must be a full handshake: never resume this session.
            socket.getSession().invalidate();
            try {
                socket.close();
            } catch (IOException e) {
                // ignore
            }
        }
    }

    record Response(int status, byte[] body, boolean close) {
    }

    // ---------------------------------------------------------------------------------------------------------
    // Numbers

    /** @return p50, p95, p99, max in milliseconds */
    static double[] percentiles(long[] nanos, int count) {
        if (count == 0) {
            return new double[4];
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new double[] {at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted[count - 1] / 1e6};
    }

    private static double at(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private long serverCpuTicks() {
        return pid == 0 ? 0 : cpuTicks(Path.of("/proc/" + pid + "/stat"));
    }

    private static long ownCpuTicks() {
        return cpuTicks(Path.of("/proc/self/stat"));
    }

    private static long cpuTicks(Path stat) {
        try {
            return cpuTicks(Files.readString(stat));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** @return utime + stime (fields 14 and 15) of the text of a /proc/.../stat file */
    private static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * Resets the server's VmHWM through clear_refs. Some kernels and containers accept the write and ignore it, so the
     * reset is checked: right after it, VmHWM must be close to VmRSS.
     *
     * @return true if VmHWM now measures this scenario only
     */
    private boolean resetPeakRss() {
        if (pid == 0) {
            return false;
        }
        try {
            Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5"); // resets VmHWM
        } catch (IOException e) {
            return false; // not permitted: the sampler alone measures this scenario
        }
        long hwm = status(pid, "VmHWM:");
        long rss = status(pid, "VmRSS:");
        return hwm > 0 && hwm <= rss + rss / 50 + 1024;
    }

    /** @return VmHWM in KiB */
    private long peakRss() {
        return pid == 0 ? 0 : status(pid, "VmHWM:");
    }

    static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone
        }
        return 0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private void jcmd(String... args) {
        if (pid == 0) {
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(Long.toString(pid));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                out.println("load: jcmd failed: " + output);
            }
        } catch (IOException e) {
            out.println("load: jcmd failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return every process on the machine except the server and this load generator, by pid */
    private Map<Long, OtherProcess> otherProcesses() {
        long self = ProcessHandle.current().pid();
        Map<Long, OtherProcess> all = new HashMap<>();
        try (var entries = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) entries::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long other = Long.parseLong(name);
                if (other == pid || other == self) {
                    continue;
                }
                OtherProcess process = OtherProcess.read(dir.resolve("stat"));
                if (process != null) {
                    all.put(other, process);
                }
            }
        } catch (IOException e) {
            // no /proc: the columns stay empty
        }
        return all;
    }

    /** A process's name and CPU ticks (utime + stime of all its threads) from /proc/[pid]/stat. */
    record OtherProcess(String name, long ticks) {
        static OtherProcess read(Path stat) {
            try {
                String text = Files.readString(stat);
                String name = text.substring(text.indexOf('(') + 1, text.lastIndexOf(')'));
                return new OtherProcess(name, cpuTicks(text));
            } catch (IOException | RuntimeException e) {
                return null; // exited
            }
        }

        /**
         * @return the two tail-table cells: the CPU seconds all other processes used between the snapshots, and
         *     the busiest of them (name and CPU seconds)
         */
        static String busiest(Map<Long, OtherProcess> before, Map<Long, OtherProcess> after, long clkTck) {
            long total = 0;
            String top = "-";
            long topTicks = 0;
            for (Map.Entry<Long, OtherProcess> entry : after.entrySet()) {
                OtherProcess earlier = before.get(entry.getKey());
                long used = entry.getValue().ticks() - (earlier == null ? 0 : earlier.ticks());
                total += Math.max(0, used);
                if (used > topTicks) {
                    topTicks = used;
                    top = entry.getValue().name();
                }
            }
            return String.format(Locale.ROOT, " %.2f | %s |", total / (double) clkTck,
                    topTicks == 0 ? "-" : String.format(Locale.ROOT, "%s %.2f s", top, topTicks / (double) clkTck));
        }
    }

    /** Samples VmRSS every 100 ms: the scenario's peak RSS where VmHWM cannot be reset. */
    static final class RssSampler {
        private final long pid;
        private volatile boolean running = true;
        private volatile long max;
        private Thread thread;

        RssSampler(long pid) {
            this.pid = pid;
        }

        void start() {
            if (pid == 0) {
                return;
            }
            thread = new Thread(() -> {
                while (running) {
                    max = Math.max(max, status(pid, "VmRSS:"));
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread != null) {
                thread.join();
            }
        }

        long max() {
            return max;
        }
    }

    /** JMH JSON results of {@link FloorBenchmark} (one or more files, comma-separated). */
    record Floor(List<tools.jackson.databind.JsonNode> roots) {
        static Floor read(String files) {
            List<tools.jackson.databind.JsonNode> roots = new ArrayList<>();
            for (String file : files.split(",")) {
                if (Files.exists(Path.of(file))) {
                    roots.add(tools.jackson.databind.json.JsonMapper.builder().build().readTree(new java.io.File(file)));
                }
            }
            return new Floor(roots);
        }

        double score(String benchmark, String caKey, int threads) {
            for (tools.jackson.databind.JsonNode root : roots) {
                for (tools.jackson.databind.JsonNode result : root) {
                    if (result.path("benchmark").asString().endsWith("." + benchmark)
                            && result.path("threads").asInt() == threads
                            && (caKey == null || !result.path("params").has("caKey")
                            || result.path("params").path("caKey").asString().equals(caKey))) {
                        return result.path("primaryMetric").path("score").asDouble();
                    }
                }
            }
            return 0;
        }
    }
}
