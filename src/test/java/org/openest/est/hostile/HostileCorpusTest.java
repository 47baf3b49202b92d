package org.openest.est.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The corpus generator: size, unique names, every defect class, determinism. */
class HostileCorpusTest {
    static List<HostileCase> corpus;

    @BeforeAll
    static void generate() {
        corpus = HostileCorpus.generate();
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
}
