package org.openest.est.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openest.est.cli.Cli.s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openest.est.ca.CaMaterial;
import org.openest.est.ca.DevPki;

class ChainCommandsTest {
    @TempDir
    Path dir;

    private X509Certificate root;
    private X509Certificate device;

    @BeforeEach
    void createChain() throws Exception {
        assertThat(Cli.run("ca", "create", "--out", s(dir.resolve("root")), "--subject", "CN=Chain Root").exit())
                .isZero();
        assertThat(Cli.run("ca", "create-intermediate", "--issuer-cert", s(dir.resolve("root/ca.pem")),
                "--issuer-key", s(dir.resolve("root/ca-key.pem")), "--out", s(dir.resolve("device")),
                "--subject", "CN=Chain Device CA").exit()).isZero();
        root = CaMaterial.readCertificates(dir.resolve("root/ca.pem")).get(0);
        device = CaMaterial.readCertificates(dir.resolve("device/ca.pem")).get(0);
    }

    @Test
    void exportsTheChainInOrderFromLooseFiles() throws Exception {
        Cli.Result printed = Cli.run("chain", "export", "--ca-cert", s(dir.resolve("device/ca.pem")), "--chain",
                s(dir.resolve("root/ca.pem")));
        assertThat(printed.exit()).as(printed.err()).isZero();
        assertThat(printed.out()).isEqualTo(DevPki.pem(device) + DevPki.pem(root));

        Path out = dir.resolve("export/chain.pem");
        Cli.Result written = Cli.run("chain", "export", "--ca-cert", s(dir.resolve("device/ca-chain.pem")),
                "--out", s(out));
        assertThat(written.exit()).as(written.err()).isZero();
        assertThat(CaMaterial.readCertificates(out)).containsExactly(device, root);

        Cli.Result again = Cli.run("chain", "export", "--ca-cert", s(dir.resolve("device/ca.pem")), "--out", s(out));
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");
    }

    @Test
    void listsSubjectIssuerSerialNotAfterAndFingerprint() throws Exception {
        Path reversed = Files.writeString(dir.resolve("reversed.pem"), DevPki.pem(root) + DevPki.pem(device));

        Cli.Result result = Cli.run("chain", "list", "--ca-cert", s(dir.resolve("device/ca.pem")), "--chain",
                s(reversed));

        assertThat(result.exit()).as(result.err()).isZero();
        String fingerprint = HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(device.getEncoded()));
        assertThat(result.out())
                .contains("subject:    CN=Chain Device CA", "issuer:     CN=Chain Root")
                .contains("serial:     " + device.getSerialNumber().toString(16).toUpperCase(Locale.ROOT))
                .contains("notAfter:   " + device.getNotAfter().toInstant().toString().replace(".000", ""))
                .contains("SHA-256:    " + fingerprint)
                .doesNotContain("not part of the chain", "does not end");
        assertThat(result.out().indexOf("subject:    CN=Chain Device CA"))
                .isLessThan(result.out().indexOf("subject:    CN=Chain Root"));
    }
}
