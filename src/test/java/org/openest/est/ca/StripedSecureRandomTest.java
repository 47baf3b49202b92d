package org.openest.est.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.junit.jupiter.api.Test;

class StripedSecureRandomTest {

    @Test
    void threadsOnDifferentStripesNeverRepeatEachOther() throws Exception {
        // Each thread id maps to a stripe; 16 threads over 4 stripes use every stripe. Identically seeded stripes would
        // hand two threads the same sequence, so the first values would collide.
        SecureRandom random = new StripedSecureRandom(4);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        int perThread = 2_000;
        for (int t = 0; t < 16; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    byte[] bytes = new byte[16];
                    random.nextBytes(bytes);
                    seen.add(HexFormat.of().formatHex(bytes));
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        assertThat(seen).hasSize(16 * perThread);
        assertThat(seen).doesNotContain("00".repeat(16));
    }

    @Test
    void worksWhereJdkAndBouncyCastleAskForRandomness() {
        SecureRandom random = new StripedSecureRandom(3);
        BigInteger a = new BigInteger(128, random);
        BigInteger b = new BigInteger(128, random);
        assertThat(a).isNotEqualTo(b);
        assertThat(random.nextInt(1000)).isBetween(0, 999);
        assertThat(random.generateSeed(8)).hasSize(8);
        assertThat(random.getAlgorithm()).isEqualTo("DRBG");
        assertThat(random.toString()).contains("4 x DRBG");
    }

    @Test
    void isBouncyCastlesDefaultOnceCryptoIsLoaded() {
        SecureRandom shared = Crypto.random();
        assertThat(shared).isInstanceOf(StripedSecureRandom.class);
        assertThat(CryptoServicesRegistrar.getSecureRandom()).isSameAs(shared);
    }
}
