package org.openest.est.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.junit.jupiter.api.Test;

class PasswordHashCommandTest {

    /** What Tomcat's SecretKeyCredentialHandler computes for a stored hexsalt$iterations$hexkey. */
    private static String recompute(String password, String stored) throws Exception {
        String[] parts = stored.split("\\$");
        byte[] salt = HexFormat.of().parseHex(parts[0]);
        int iterations = Integer.parseInt(parts[1]);
        int keyBits = parts[2].length() / 2 * 8;
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, keyBits)).getEncoded();
        return HexFormat.of().formatHex(key);
    }

    @Test
    void printsATomcatSecretKeyCredentialHandlerHash() throws Exception {
        Cli.Result result = Cli.runWithInput("correct horse ä\nsecond line\n", "password", "hash");

        assertThat(result.exit()).as(result.err()).isZero();
        String hash = result.out().strip();
        assertThat(hash).matches("[0-9a-f]{32}\\$100000\\$[0-9a-f]{64}");
        assertThat(hash.split("\\$")[2]).isEqualTo(recompute("correct horse ä", hash));
        assertThat(hash.split("\\$")[2]).isNotEqualTo(recompute("correct horse", hash));
        assertThat(result.err()).isEmpty();
    }

    @Test
    void usesTheGivenIterationsAFreshSaltAndStripsCarriageReturns() throws Exception {
        String first = Cli.runWithInput("estpwd\r\n", "password", "hash", "--iterations", "20000").out().strip();
        String second = Cli.runWithInput("estpwd", "password", "hash", "--iterations=20000").out().strip();

        assertThat(first).matches("[0-9a-f]{32}\\$20000\\$[0-9a-f]{64}");
        assertThat(first.split("\\$")[2]).isEqualTo(recompute("estpwd", first));
        assertThat(second.split("\\$")[2]).isEqualTo(recompute("estpwd", second));
        assertThat(first.split("\\$")[0]).isNotEqualTo(second.split("\\$")[0]);
    }

    @Test
    void neverTakesThePasswordAsAnArgumentAndNeedsOne() {
        Cli.Result argument = Cli.runWithInput("", "password", "hash", "secret");
        assertThat(argument.exit()).isEqualTo(2);
        assertThat(argument.err()).contains("unexpected argument").doesNotContain("Exception");

        Cli.Result empty = Cli.runWithInput("", "password", "hash");
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.err()).contains("no password on standard input");

        Cli.Result blank = Cli.runWithInput("\n", "password", "hash");
        assertThat(blank.exit()).isEqualTo(1);
        assertThat(blank.err()).contains("empty");

        Cli.Result badIterations = Cli.runWithInput("x\n", "password", "hash", "--iterations", "many");
        assertThat(badIterations.exit()).isEqualTo(2);
        assertThat(badIterations.err()).contains("--iterations");
    }
}
