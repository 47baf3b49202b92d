package org.openest.est.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording's execution samples: where the server's CPU went, by category (a sample counts for the
 * first category whose marker appears anywhere in its stack, most specific first) and by top (self) method.
 * Usage: JfrTop FILE.jfr [TOP]
 */
public final class JfrTop {
    /** Category -> stack-frame markers (class or method name substrings), checked in this order. */
    private static final Map<String, List<String>> CATEGORIES = new LinkedHashMap<>();

    static {
        CATEGORIES.put("password hashing (PBKDF2, container realm)", List.of("PBKDF2", "CredentialHandler"));
        CATEGORIES.put("TLS handshake", List.of("sun.security.ssl.SSLEngineImpl.beginHandshake",
                "sun.security.ssl.TransportContext.kickstart", "Handshake", "sun.security.ssl.CertificateVerify",
                "sun.security.ssl.ClientHello", "sun.security.ssl.ServerHello", "KeyShare"));
        CATEGORIES.put("CSR signature verify (proof of possession)", List.of("CsrDecoder.verifyProofOfPossession"));
        CATEGORIES.put("certificate build + CA signature", List.of("LocalCa.issue"));
        CATEGORIES.put("client certificate checks (issuedBy/isRa)", List.of("EnrollmentService.isRa",
                "EnrollmentService.issuedBy", "EnrollmentService.checkUsable"));
        CATEGORIES.put("registry (JDBI/JDBC/DB)", List.of("org.openest.est.store", "org.jdbi", "org.hsqldb",
                "org.postgresql", "com.zaxxer"));
        // Not "org.apache.logging" or "AccessLogValve" alone: Log4jServletFilter and AccessLogValve.invoke wrap every
        // request; only the logging calls themselves count.
        CATEGORIES.put("logging", List.of("org.apache.logging.log4j.core.", "org.apache.logging.log4j.spi.",
                "AbstractAccessLogValve.log", "org.apache.juli.FileHandler"));
        CATEGORIES.put("certs-only PKCS#7 + PEM", List.of("CertsOnly", "DevPki.pem"));
        CATEGORIES.put("CSR decode / policy", List.of("CsrDecoder", "IssuancePolicy", "CsrNames"));
        CATEGORIES.put("TLS records (encrypt/decrypt)", List.of("sun.security.ssl", "com.sun.crypto.provider"));
        CATEGORIES.put("Tomcat HTTP/servlet", List.of("org.apache.coyote", "org.apache.catalina", "org.apache.tomcat"));
        CATEGORIES.put("GC/JIT/other threads", List.of(""));
    }

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        Map<String, Integer> categories = new LinkedHashMap<>();
        CATEGORIES.keySet().forEach(c -> categories.put(c, 0));
        Map<String, Integer> methods = new LinkedHashMap<>();
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            total++;
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            StringBuilder stack = new StringBuilder();
            for (RecordedFrame frame : frames) {
                stack.append(frame.getMethod().getType().getName()).append('.').append(frame.getMethod().getName())
                        .append('\n');
            }
            String text = stack.toString();
            for (Map.Entry<String, List<String>> category : CATEGORIES.entrySet()) {
                if (category.getValue().stream().anyMatch(text::contains)) {
                    categories.merge(category.getKey(), 1, Integer::sum);
                    break;
                }
            }
            if (!frames.isEmpty()) {
                RecordedFrame self = frames.get(0);
                methods.merge(self.getMethod().getType().getName() + "." + self.getMethod().getName(), 1,
                        Integer::sum);
            }
        }
        int samples = Math.max(1, total);
        System.out.printf("%d execution samples (Java threads on CPU)%n", total);
        System.out.println("| where (inclusive, first match) | share |");
        System.out.println("|---|---|");
        categories.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> System.out.printf(Locale.ROOT, "| %s | %.0f %% |%n", e.getKey(),
                        100.0 * e.getValue() / samples));
        System.out.println();
        System.out.println("| top self method | share |");
        System.out.println("|---|---|");
        methods.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .collect(Collectors.toList())
                .forEach(e -> System.out.printf(Locale.ROOT, "| `%s` | %.1f %% |%n", e.getKey(),
                        100.0 * e.getValue() / samples));
    }
}
