package org.openest.est.hostile;

import java.util.List;
import java.util.Random;

/**
 * Generates the hostile-input corpus at test time from a seed: nothing is taken from elsewhere, nothing is committed.
 * The same seed gives the same cases, with the same ids and bytes, so a failure report ("case
 * mutation/bitflip/ec-der#12@57.3") can be reproduced. The families:
 * <ul>
 *   <li>{@link MutationFamily}: seeded truncations, bit flips and splices of valid DER, base64 and PEM requests;</li>
 *   <li>{@link StructureFamily}: broken transport encodings, other ASN.1 types, CSR-shaped structures;</li>
 *   <li>{@link EncodingFamily}: nesting, indefinite lengths, 2^31-byte length claims, absurd tags and OIDs;</li>
 *   <li>{@link CryptoFamily}: weak and invalid keys, EC points and parameters, RSA values, algorithm mismatches;</li>
 *   <li>{@link NameFamily}: CA powers, critical and duplicated extensions, NULs, oversized and non-string
 *       subjects, malformed subjectAltNames.</li>
 * </ul>
 * None of the cases is a request a server may accept (mutants that still verify are dropped).
 */
public final class HostileCorpus {
    /** The seed used unless the system property {@code hostile.seed} says otherwise. */
    public static final long DEFAULT_SEED = 0x7030_8951L;

    private HostileCorpus() {
    }

    /** @return the corpus for {@code hostile.seed} or the default seed */
    public static List<HostileCase> generate() {
        return generate(Long.getLong("hostile.seed", DEFAULT_SEED));
    }

    /**
     * @param seed the seed
     * @return the cases, in a fixed order
     */
    public static List<HostileCase> generate(long seed) {
        Forge forge = new Forge(seed);
        Random random = new Random(seed);
        CaseList out = new CaseList();
        try {
            MutationFamily.add(out, forge, random);
            StructureFamily.add(out, forge, random);
            EncodingFamily.add(out, forge);
            CryptoFamily.add(out, forge);
            NameFamily.add(out, forge);
        } catch (Exception e) {
            throw new IllegalStateException("corpus generation failed", e);
        }
        return out.cases();
    }
}
