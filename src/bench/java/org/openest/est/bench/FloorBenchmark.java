package org.openest.est.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.Crypto;
import org.openest.est.ca.DevPki;
import org.openest.est.ca.IssueRequest;
import org.openest.est.ca.LocalCa;
import org.openest.est.config.ConfigLoader;
import org.openest.est.protocol.CertsOnly;
import org.openest.est.protocol.CsrDecoder;
import org.openest.est.protocol.EstException;
import org.openest.est.store.CertificateRecord;
import org.openest.est.store.Database;
import org.openest.est.store.Registry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The physical floor of one enrollment on this machine: the work no EST server can skip, done with the project's own
 * classes and nothing else (no HTTP, no TLS, no authentication, no logging).
 * <ul>
 *   <li>{@code csrDecodeVerify}: base64 + PKCS#10 parse ({@link CsrDecoder#decode}) + proof-of-possession signature
 *       check ({@link CsrDecoder#verifyProofOfPossession}), P-256 device key;</li>
 *   <li>{@code issue}: certificate build + CA signature ({@link LocalCa#issue}) for a P-256 or RSA-2048 CA key;</li>
 *   <li>{@code certsOnly}: the certs-only PKCS#7 response, DER + RFC 8951 base64 ({@link CertsOnly});</li>
 *   <li>{@code durableInsert}: one committed registry transaction ({@link Registry#recordIssued}: find device,
 *       insert device, insert certificate, set current) in a file HSQLDB with write delay off (one fsync per commit),
 *       exactly the server's default database URL;</li>
 *   <li>{@code enrollment}: all of the above in sequence, plus the PEM encoding the registry stores. Run with 1 and
 *       with 2 threads; the 2-thread figure is the ceiling for the 2-core machine.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FloorBenchmark {
    private static final int CSRS = 2048;

    /** Pre-generated, base64-encoded P-256 CSRs with unique subjects. */
    @State(Scope.Benchmark)
    public static class Csrs {
        byte[][] bodies;
        final AtomicLong next = new AtomicLong();
        final CsrDecoder decoder = new CsrDecoder(Crypto.provider());

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            bodies = new byte[CSRS][];
            for (int i = 0; i < CSRS; i++) {
                bodies[i] = Csr.base64(Csr.p256("CN=floor-" + i + ",O=Bench"));
            }
        }

        byte[] nextBody() {
            return bodies[(int) (next.getAndIncrement() % CSRS)];
        }
    }

    /** The CA, with a P-256 or an RSA-2048 key, and a ready issue request. */
    @State(Scope.Benchmark)
    public static class Ca {
        @Param({"P256", "RSA2048"})
        public String caKey;
        LocalCa ca;
        IssueRequest request;
        String issuer;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            KeyPair pair = caKey.equals("P256") ? DevPki.generateEc() : rsa2048();
            X509Certificate certificate = DevPki.selfSignedCa(pair, "CN=Floor CA " + caKey + ",O=Bench");
            ca = new LocalCa(new CaMaterial(pair.getPrivate(), certificate, List.of(certificate)));
            issuer = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
            PKCS10CertificationRequest csr = Csr.p256("CN=floor-issue,O=Bench");
            request = issueRequest(csr);
        }

        private static KeyPair rsa2048() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
    }

    /** One issued certificate to encode. */
    @State(Scope.Benchmark)
    public static class Issued {
        X509Certificate certificate;

        @Setup(Level.Trial)
        public void setUp() {
            certificate = sampleCertificate();
        }
    }

    /** A file HSQLDB registry, durable, as the server opens it by default. */
    @State(Scope.Benchmark)
    public static class Db {
        Path dir;
        Database database;
        Registry registry;
        final AtomicLong next = new AtomicLong();
        String pem;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            dir = Files.createTempDirectory(Path.of(System.getProperty("bench.tmp", "target")).toAbsolutePath(),
                    "floor-db");
            String url = ConfigLoader.embeddedDatabaseUrl(dir.resolve("est"));
            database = Database.open("", url, "SA", new char[0], 16);
            registry = database.registry();
            pem = DevPki.pem(sampleCertificate());
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            database.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        static CertificateRecord record(String serial, String subject, String issuer, String pemText,
                                        Instant notAfter) {
            Instant now = Instant.now();
            return new CertificateRecord(serial, issuer, 0, subject, "", now, notAfter, pemText, "bench", "PASSWORD",
                    "127.0.0.1", "", "simpleenroll", now, null, CertificateRecord.VALID, null, null);
        }
    }

    static X509Certificate sampleCertificate() {
        KeyPair pair = DevPki.generateEc();
        X509Certificate caCert = DevPki.selfSignedCa(pair, "CN=Floor CA,O=Bench");
        LocalCa ca = new LocalCa(new CaMaterial(pair.getPrivate(), caCert, List.of(caCert)));
        return ca.issue(issueRequest(Csr.p256("CN=floor-encode,O=Bench")));
    }

    static IssueRequest issueRequest(PKCS10CertificationRequest csr) {
        return new IssueRequest(csr.getSubject(), csr.getSubjectPublicKeyInfo(), Optional.empty(),
                KeyUsage.digitalSignature, List.of(KeyPurposeId.id_kp_clientAuth.toOID()), Duration.ofDays(365));
    }

    @Benchmark
    public PKCS10CertificationRequest csrDecodeVerify(Csrs csrs) throws EstException {
        PKCS10CertificationRequest csr = csrs.decoder.decode(csrs.nextBody());
        csrs.decoder.verifyProofOfPossession(csr);
        return csr;
    }

    @Benchmark
    public X509Certificate issue(Ca ca) {
        return ca.ca.issue(ca.request);
    }

    @Benchmark
    public byte[] certsOnly(Issued issued) {
        return CertsOnly.base64(CertsOnly.encode(List.of(issued.certificate)));
    }

    @Benchmark
    public CertificateRecord durableInsert(Db db) {
        long n = db.next.getAndIncrement();
        return db.registry.recordIssued(Db.record(Long.toHexString(n).toUpperCase(Locale.ROOT) + "A",
                "CN=insert-" + n + ",O=Bench", "CN=Floor CA,O=Bench", db.pem, Instant.now().plusSeconds(86400)));
    }

    @Benchmark
    public byte[] enrollment(Csrs csrs, Ca ca, Db db) throws EstException {
        PKCS10CertificationRequest csr = csrs.decoder.decode(csrs.nextBody());
        csrs.decoder.verifyProofOfPossession(csr);
        X509Certificate certificate = ca.ca.issue(issueRequest(csr));
        String serial = certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        // Subjects repeat every CSRS requests; make the registry row unique so every op inserts a device.
        long n = db.next.getAndIncrement();
        db.registry.recordIssued(Db.record(serial, "CN=enroll-" + n + ",O=Bench", ca.issuer, DevPki.pem(certificate),
                certificate.getNotAfter().toInstant()));
        return CertsOnly.base64(CertsOnly.encode(List.of(certificate)));
    }

    /** CSR helpers shared with the load generator. */
    static final class Csr {
        private Csr() {
        }

        static PKCS10CertificationRequest p256(String subject) {
            return p256(subject, DevPki.generateEc());
        }

        static PKCS10CertificationRequest p256(String subject, KeyPair pair) {
            try {
                return new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                        new org.bouncycastle.asn1.x500.X500Name(subject), pair.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                                .setProvider(Crypto.provider()).build(pair.getPrivate()));
            } catch (org.bouncycastle.operator.OperatorCreationException e) {
                throw new IllegalStateException(e);
            }
        }

        static byte[] base64(PKCS10CertificationRequest csr) {
            try {
                return (java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(csr.getEncoded()) + "\n")
                        .getBytes(StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
