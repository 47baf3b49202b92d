package org.openest.est.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class VerifiedCredentialsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final VerifiedCredentials cache = new VerifiedCredentials(60, now::get);

    @Test
    void remembersOnlyTheExactUserAndPassword() {
        cache.remember("gw", "secret", "gw", true);
        assertThat(cache.lookup("gw", "secret")).hasValueSatisfying(v -> {
            assertThat(v.principal()).isEqualTo("gw");
            assertThat(v.enrollRole()).isTrue();
        });
        assertThat(cache.lookup("gw", "secret2")).isEmpty();
        assertThat(cache.lookup("gw", "Secret")).isEmpty();
        assertThat(cache.lookup("gw2", "secret")).isEmpty();
        // user/password boundary: "a" + "b:c" must not equal "a:b" + "c"
        cache.remember("a", "b:c", "a", true);
        assertThat(cache.lookup("a:b", "c")).isEmpty();
    }

    @Test
    void expiresAfterTheTtl() {
        cache.remember("gw", "secret", "gw", true);
        now.addAndGet(59_999_999_999L);
        assertThat(cache.lookup("gw", "secret")).isPresent();
        now.addAndGet(1);
        assertThat(cache.lookup("gw", "secret")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aFailedLoginForgetsTheUser() {
        cache.remember("gw", "secret", "gw", true);
        cache.remember("other", "pw", "other", true);
        cache.failed("gw");
        assertThat(cache.lookup("gw", "secret")).isEmpty();
        assertThat(cache.lookup("other", "pw")).isPresent();
    }

    @Test
    void isBounded() {
        for (int i = 0; i < VerifiedCredentials.MAX_ENTRIES * 3; i++) {
            cache.remember("user" + i, "pw", "user" + i, false);
            assertThat(cache.size()).isLessThanOrEqualTo(VerifiedCredentials.MAX_ENTRIES);
        }
    }

    @Test
    void zeroTtlDisablesIt() {
        VerifiedCredentials off = new VerifiedCredentials(0, now::get);
        off.remember("gw", "secret", "gw", true);
        assertThat(off.lookup("gw", "secret")).isEmpty();
        assertThat(off.size()).isZero();
    }
}
