package org.openest.est.tools;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.openest.est.ca.DevPki;
import org.openest.est.testing.TestPki;

/**
 * Crash-durability driver for {@code .ci/crash-durability.sh}, against a real server over TLS.
 *
 * <pre>
 * burst  URL CA_PEM OUT_PEM CLIENTS KILL_AFTER PID RA_P12   (TLS client auth with the RA keystore, password
 *                                                         from env EST_BURST_P12_PASSWORD)
 * verify URL CA_PEM IN_PEM
 * </pre>
 *
 * <p>{@code burst} starts CLIENTS enrollments at once, SIGKILLs the server process PID once KILL_AFTER certificates
 * have been received, and writes every certificate a client fully received to OUT_PEM. {@code verify} asks the
 * restarted server's OCSP responder about each of them: every one must be known (good), which proves it was
 * recorded before it was sent, and no serial may repeat. Prints "N passed, M failed".
 */
public final class BurstClient {
    private BurstClient() {
    }

    /**
     * @param args see the class comment
     * @throws Exception on set-up failure
     */
    public static void main(String[] args) throws Exception {
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(Path.of(args[2]))));
        KeyStore clientKeys = null;
        if (args[0].equals("burst")) {
            clientKeys = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(Path.of(args[7]))) {
                clientKeys.load(in, System.getenv("EST_BURST_P12_PASSWORD").toCharArray());
            }
        }
        // Generous timeouts: on a loaded 2-core machine 200 simultaneous TLS handshakes queue for a while.
        HttpClient client = HttpClient.newBuilder().sslContext(context(ca, clientKeys))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(60)).build();
        int code = switch (args[0]) {
            case "burst" -> burst(client, URI.create(args[1]), Path.of(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Long.parseLong(args[6]));
            case "verify" -> verify(client, URI.create(args[1]), ca, Path.of(args[3]));
            default -> 2;
        };
        System.exit(code);
    }

    private static int burst(HttpClient client, URI base, Path out, int clients, int killAfter, long pid)
            throws Exception {
        List<byte[]> csrs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            csrs.add(Base64.getEncoder().encode(TestPki.csr(TestPki.ec256(), "CN=burst-" + i).getEncoded()));
        }
        List<String> received = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (byte[] csr : csrs) {
            pool.submit(() -> {
                try {
                    start.await();
                    HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(base.resolve(
                            "/.well-known/est/simpleenroll")).timeout(Duration.ofSeconds(180))
                            .header("Content-Type", "application/pkcs10")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(csr)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() == 200) {
                        X509Certificate issued = TestPki.parseCertificates(
                                Base64.getMimeDecoder().decode(response.body())).get(0);
                        received.add(DevPki.pem(issued));
                        if (received.size() == killAfter) {
                            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
                            System.out.println("killed server pid " + pid + " after " + killAfter + " certificates");
                        }
                    } else {
                        failed.incrementAndGet();
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.MINUTES);
        Files.writeString(out, String.join("", received));
        System.out.println("burst: " + received.size() + " certificates received, " + failed.get()
                + " requests failed (expected: the server was killed)");
        return received.size() >= killAfter ? 0 : 1;
    }

    private static int verify(HttpClient client, URI base, X509Certificate ca, Path in) throws Exception {
        List<X509Certificate> certificates = TestPki.parseCertificates(Files.readAllBytes(in));
        int passed = 0;
        int failed = 0;
        Set<java.math.BigInteger> serials = new HashSet<>();
        JcaX509CertificateHolder issuer = new JcaX509CertificateHolder(ca);
        for (X509Certificate certificate : certificates) {
            if (!serials.add(certificate.getSerialNumber())) {
                System.out.println("FAIL  serial " + certificate.getSerialNumber().toString(16) + " issued twice");
                failed++;
                continue;
            }
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), issuer, certificate.getSerialNumber());
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(base.resolve("/ocsp"))
                    .header("Content-Type", "application/ocsp-request").POST(HttpRequest.BodyPublishers
                            .ofByteArray(new OCSPReqBuilder().addRequest(id).build().getEncoded())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            OCSPResp resp = new OCSPResp(response.body());
            boolean good = resp.getStatus() == 0 && ((BasicOCSPResp) resp.getResponseObject()).getResponses()[0]
                    .getCertStatus() == CertificateStatus.GOOD;
            if (good) {
                passed++;
            } else {
                failed++;
                System.out.println("FAIL  certificate " + certificate.getSubjectX500Principal()
                        + " was received by a client but is not in the registry");
            }
        }
        System.out.println("PASS  " + passed + " received certificates are recorded (OCSP good after restart)");
        System.out.println("crash-durability-verify: " + passed + " passed, " + failed + " failed");
        return failed == 0 && passed > 0 ? 0 : 1;
    }

    private static SSLContext context(X509Certificate ca, KeyStore clientKeys) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        javax.net.ssl.KeyManager[] keyManagers = null;
        if (clientKeys != null) {
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(clientKeys, System.getenv("EST_BURST_P12_PASSWORD").toCharArray());
            keyManagers = kmf.getKeyManagers();
        }
        context.init(keyManagers, tmf.getTrustManagers(), null);
        return context;
    }
}
