package org.openest.est.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openest.est.cli.Cli.s;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EstAdminTest {
    @TempDir
    Path dir;

    static Stream<String> commands() {
        return Stream.of("ca create", "ca create-intermediate", "ca import", "tls server", "ra issue",
                "password hash", "chain export", "chain list", "dev-setup");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandHasHelp(String command) {
        Cli.Result result = Cli.run((command + " --help").split(" "));

        assertThat(result.exit()).isZero();
        assertThat(result.out()).startsWith("Usage: est-admin " + command);
        assertThat(result.err()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpWinsOverOtherwiseBadOptions(String command) {
        Cli.Result result = Cli.run((command + " --no-such-thing -h").split(" "));

        assertThat(result.exit()).isZero();
        assertThat(result.out()).startsWith("Usage: est-admin " + command);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void anUnknownOptionIsAUsageErrorNamingIt(String command) {
        Cli.Result result = Cli.run((command + " --frobnicate 3").split(" "));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("est-admin " + command + ": unknown option --frobnicate (see est-admin "
                + command + " --help)" + System.lineSeparator());
        assertThat(result.out()).isEmpty();
    }

    @Test
    void overviewAndGroupHelp() {
        Cli.Result overview = Cli.run("--help");
        assertThat(overview.exit()).isZero();
        commands().forEach(command -> assertThat(overview.out()).contains("  " + command + " "));

        assertThat(Cli.run().exit()).isEqualTo(2);
        assertThat(Cli.run("ca", "--help").out()).contains("ca create-intermediate");
        assertThat(Cli.run("ca").exit()).isEqualTo(2);

        Cli.Result unknown = Cli.run("frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'frobnicate'");
        Cli.Result unknownSub = Cli.run("ca", "destroy");
        assertThat(unknownSub.exit()).isEqualTo(2);
        assertThat(unknownSub.err()).contains("unknown command 'destroy'");
    }

    @Test
    void usageErrorsNameTheProblem() {
        assertThat(Cli.run("ca", "create").err()).contains("--out is required");
        assertThat(Cli.run("ca", "create", "--out").err()).contains("--out needs a value");
        assertThat(Cli.run("ca", "create", "--out", "a", "--out", "b").err()).contains("--out given more than once");
        assertThat(Cli.run("ca", "create", "--out", "a", "stray").err()).contains("unexpected argument 'stray'");
        assertThat(Cli.run("ca", "create", "--out", "a", "--key", "dsa-1024").err()).contains("--key must be one of");
        assertThat(Cli.run("ca", "create", "--out", "a", "--days", "-1").err()).contains("--days must be");
        assertThat(Cli.run("ca", "create", "--out", "a", "--subject", "no dn").err()).contains("--subject 'no dn'");
        assertThat(Cli.run("ca", "create", "--out", "a", "--force=yes").err()).contains("--force takes no value");
    }

    @Test
    void failuresAreOneLineUnlessDebug() {
        String[] args = {"ca", "import", "--cert", s(dir.resolve("missing.pem")), "--key", "k", "--out", s(dir)};
        Cli.Result plain = Cli.run(args);
        assertThat(plain.exit()).isEqualTo(1);
        assertThat(plain.err()).isEqualTo("est-admin ca import: no such file: " + dir.resolve("missing.pem")
                + System.lineSeparator());

        String[] debugArgs = Stream.concat(Stream.of("--debug"), Stream.of(args)).toArray(String[]::new);
        Cli.Result debug = Cli.run(debugArgs);
        assertThat(debug.exit()).isEqualTo(1);
        assertThat(debug.err()).contains("NoSuchFileException", "\tat ");
    }

    @Test
    void devSetupStillWorks() {
        Cli.Result result = Cli.run("dev-setup", "--home", s(dir), "--ip", "192.0.2.1");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(dir.resolve("tls/server.p12")).exists();
        assertThat(Cli.run("dev-setup", "--home", s(dir)).out()).startsWith("Using existing development CA");
    }
}
