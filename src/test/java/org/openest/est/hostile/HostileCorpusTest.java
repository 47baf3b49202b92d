package org.openest.est.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openest.est.ca.Crypto;
import org.openest.est.config.EstConfig;
import org.openest.est.enroll.IssuancePolicy;
import org.openest.est.protocol.CsrDecoder;
import org.openest.est.protocol.EstException;

/**
 * The generator itself, and the corpus run in process through the server's decoding pipeline (decode, proof of
 * possession, issuance policy with the default settings): every case must end in an {@link EstException}, never in
 * another exception and never in an accepted request.
 */
class HostileCorpusTest {
    static List<HostileCase> corpus;

    @BeforeAll
    static void generate() {
        corpus = HostileCorpus.generate();
    }

    static IssuancePolicy defaultPolicy() {
        return new IssuancePolicy(new EstConfig.Issuance(365, List.of("clientAuth"), List.of("auto"), true, 2048,
                8192, Set.of("P-256", "P-384"), true, Optional.empty()));
    }

    @Test
    void hasSeveralHundredUniquelyNamedCasesOfEveryDefect() {
        assertThat(corpus).hasSizeGreaterThan(400);
        assertThat(corpus.stream().map(HostileCase::id).distinct().count()).isEqualTo(corpus.size());
        assertThat(corpus.stream().map(HostileCase::defect).distinct()).hasSize(3);
        assertThat(corpus).allSatisfy(c -> assertThat(c.body().length).as(c.id()).isLessThan(65_536));
    }

    @Test
    void sameSeedSameBytes() {
        List<HostileCase> again = HostileCorpus.generate(HostileCorpus.DEFAULT_SEED);
        assertThat(again).hasSameSizeAs(corpus);
        for (int i = 0; i < corpus.size(); i++) {
            assertThat(again.get(i).id()).isEqualTo(corpus.get(i).id());
            assertThat(again.get(i).body()).as(corpus.get(i).id()).isEqualTo(corpus.get(i).body());
        }
    }

    @Test
    void everyCaseIsRefusedWithATypedErrorInProcess() {
        CsrDecoder decoder = new CsrDecoder(Crypto.provider());
        IssuancePolicy policy = defaultPolicy();
        List<String> failures = new ArrayList<>();
        for (HostileCase c : corpus) {
            long start = System.nanoTime();
            try {
                PKCS10CertificationRequest csr = decoder.decode(c.body());
                policy.apply(csr);
                decoder.verifyProofOfPossession(csr);
                failures.add(c + ": accepted");
            } catch (EstException expected) {
                // a 4xx on the wire
            } catch (Throwable e) {
                failures.add(c + ": " + e);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (ms > 1_000) {
                failures.add(c + ": took " + ms + " ms");
            }
        }
        assertThat(failures).isEmpty();
    }
}
