package org.openest.est.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.DevPki;

/** {@code est-admin dev-setup}: the development CA and TLS stores in a data directory (idempotent). */
final class DevSetupCommand implements Command {

    @Override
    public String name() {
        return "dev-setup";
    }

    @Override
    public String summary() {
        return "create the development CA and TLS keystores in a data directory (idempotent)";
    }

    @Override
    public String help() {
        return """
                Usage: est-admin dev-setup --home DIR [--dns NAME]... [--ip ADDRESS]...

                Creates, if absent, in DIR: ca.pem + ca-key.pem (EC P-256 development CA),
                tls/server.p12 (server key and certificate, SAN DNS:localhost and IP:127.0.0.1 plus
                the names given) and tls/truststore.p12 (the CA). Keystore password: changeit.
                Existing files are kept. For development only.""";
    }

    @Override
    public Options.Spec options() {
        return new Options.Spec().value("--home").repeated("--dns", "--ip");
    }

    @Override
    public int run(Options options, Io io) throws UsageException, IOException {
        Path home = options.requiredPath("--home");
        List<String> dns = new ArrayList<>(List.of("localhost"));
        dns.addAll(options.all("--dns"));
        List<String> ips = new ArrayList<>(List.of("127.0.0.1"));
        for (String ip : options.all("--ip")) {
            ips.add(SubjectNames.ipAddress(ip));
        }
        DevPki pki = new DevPki(home);
        boolean existed = pki.hasCa();
        CaMaterial ca = pki.ensureCa();
        pki.ensureTls(ca, dns, ips);
        io.out().println((existed ? "Using existing" : "Created") + " development CA " + pki.caCertificate());
        io.out().println("TLS keystore " + pki.serverKeystore() + ", truststore " + pki.truststore());
        return 0;
    }
}
