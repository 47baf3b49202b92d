package org.openest.est.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.openest.est.ca.DevPki;
import org.openest.est.config.ConfigLoader;
import org.openest.est.store.CertificateRecord;
import org.openest.est.store.Database;
import org.openest.est.store.Registry;

/**
 * The registry alone under concurrent writers: {@link Registry#recordIssued} (the server's enrollment write, group
 * commit included) from N threads in a loop, against a file HSQLDB opened exactly as the server opens it by default
 * (durable: one fsync per commit). No TLS, no crypto: this isolates the database part of an enrollment, its throughput,
 * CPU per record and latency tail (HSQLDB's checkpoints show as the calls over 100 ms).
 *
 * <p>Usage: {@code RegistryLoad --writers 8,32 --seconds 10 --rounds 3 --dir target/bench [--db-options ";k=v"]};
 * the first round of each writer count is a warm-up and is not printed ({@code --db-options} is appended to the JDBC
 * URL, for trying HSQLDB settings). Prints a Markdown table.
 */
public final class RegistryLoad {
    private RegistryLoad() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> writers = List.of(8, 32);
        int seconds = 10;
        int rounds = 3;
        Path dir = Path.of("target", "bench");
        String dbOptions = "";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--writers" -> writers = Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--db-options" -> dbOptions = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String pem = DevPki.pem(FloorBenchmark.sampleCertificate());
        System.out.println("| writers | round | records | records/s | CPU ms/record | p50 ms | p99 ms | max ms"
                + " | calls > 100 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int count : writers) {
            Path home = Files.createTempDirectory(Files.createDirectories(dir.toAbsolutePath()), "registry-load");
            String url = ConfigLoader.embeddedDatabaseUrl(home.resolve("est")) + dbOptions;
            try (Database database = Database.open("", url, "SA", new char[0], 16)) {
                Registry registry = database.registry();
                AtomicLong serials = new AtomicLong();
                for (int round = 0; round < rounds; round++) {
                    String row = round(registry, count, seconds, serials, pem);
                    if (round > 0) {
                        System.out.println("| " + count + " | " + round + " | " + row + " |");
                    }
                }
            }
        }
    }

    /** One timed round; returns the table cells after "writers | round". */
    private static String round(Registry registry, int writers, int seconds, AtomicLong serials, String pem)
            throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<long[]>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            results.add(pool.submit(() -> {
                long[] latencies = new long[1024];
                int n = 0;
                while (System.nanoTime() < end) {
                    long serial = serials.incrementAndGet();
                    CertificateRecord record = FloorBenchmark.Db.record(
                            Long.toHexString(serial).toUpperCase(Locale.ROOT) + "B",
                            "CN=registry-load-" + serial + ",O=Bench", "CN=Floor CA,O=Bench", pem,
                            Instant.now().plusSeconds(86_400));
                    long t0 = System.nanoTime();
                    registry.recordIssued(record, Registry.OnDuplicate.REPLACE);
                    if (n == latencies.length) {
                        latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = System.nanoTime() - t0;
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        pool.shutdown();
        long[] all = new long[0];
        for (Future<long[]> result : results) {
            long[] mine = result.get();
            int offset = all.length;
            all = Arrays.copyOf(all, offset + mine.length);
            System.arraycopy(mine, 0, all, offset, mine.length);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
        Arrays.sort(all);
        long slow = Arrays.stream(all).filter(t -> t > 100_000_000L).count();
        return String.format(Locale.ROOT, "%d | %.0f | %.3f | %.1f | %.1f | %.1f | %d", all.length, all.length / wall,
                cpuMs / all.length, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
                all[all.length - 1] / 1e6, slow);
    }
}
