package org.openest.est.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openest.est.ca.Crypto;
import org.openest.est.config.EstConfig;
import org.openest.est.enroll.IssuancePolicy;
import org.openest.est.protocol.CsrDecoder;
import org.openest.est.protocol.EstError;
import org.openest.est.protocol.EstException;

/**
 * The server bugs the hostile corpus found, one row per representative case, with the refusal each now gets from the
 * in-process pipeline in the server's order (decode, issuance policy, proof of possession). Before the fixes these
 * were 500s, resource exhaustion, or certificates issued for garbage.
 */
class FindingsTest {
    static Map<String, HostileCase> corpus;

    @BeforeAll
    static void generate() {
        corpus = HostileCorpus.generate().stream().collect(Collectors.toMap(HostileCase::id, Function.identity()));
    }

    static IssuancePolicy defaultPolicy() {
        return new IssuancePolicy(new EstConfig.Issuance(365, List.of("clientAuth"), List.of("auto"), true, 2048,
                8192, Set.of("P-256", "P-384"), true, Optional.empty()));
    }

    /** @return the error and detail the pipeline refuses the case with, or "accepted" */
    static String refusal(String id) {
        CsrDecoder decoder = new CsrDecoder(Crypto.provider());
        assertThat(corpus).containsKey(id);
        try {
            PKCS10CertificationRequest csr = decoder.decode(corpus.get(id).body());
            defaultPolicy().apply(csr);
            decoder.verifyProofOfPossession(csr);
            return "accepted";
        } catch (EstException e) {
            return e.error() + ": " + e.getMessage();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // PKCS#10 v1 is version 0; other versions were issued
        "shape/version-1                    | MALFORMED_CSR | unsupported version",
        "shape/version-2^200                | MALFORMED_CSR | unsupported version",
        // lazily parsed subjects threw IllegalArgumentException later (500, even in the refusal's audit line)
        "mutation/bitflip/ec-der#4@40.6     | MALFORMED_CSR | subject cannot be decoded",
        "subject/invalid-utf8-cn            | MALFORMED_CSR | subject cannot be decoded",
        "subject/overlong-utf8-nul          | MALFORMED_CSR | subject cannot be decoded",
        "subject/attribute-without-value    | MALFORMED_CSR | subject cannot be decoded",
        "subject/attribute-type-integer     | MALFORMED_CSR | subject cannot be decoded",
        // the PSS salt length sized BC's buffers: OutOfMemoryError (500), or a gigabyte and 6 s per request
        "alg/rsa-pss-bad-parameters-0       | BAD_CSR_SIGNATURE | salt length out of range",
        "alg/rsa-pss-bad-parameters-1       | BAD_CSR_SIGNATURE | salt length out of range",
        "alg/rsa-pss-bad-parameters-2       | BAD_CSR_SIGNATURE | salt length out of range",
        "alg/rsa-pss-bad-parameters-3       | BAD_CSR_SIGNATURE | salt length out of range",
        "alg/rsa-pss-bad-parameters-6       | BAD_CSR_SIGNATURE | salt length out of range",
        "alg/rsa-pss-bad-parameters-7       | BAD_CSR_SIGNATURE | parameters cannot be decoded",
        // extension requests: unknown critical extensions, two values, a repeated (merged!) SAN were issued
        "ext/unknown-critical               | FORBIDDEN_EXTENSION | unsupported critical extension",
        "ext/unknown-critical-among-allowed | FORBIDDEN_EXTENSION | unsupported critical extension",
        "ext/policy-constraints-critical    | FORBIDDEN_EXTENSION | unsupported critical extension 2.5.29.36",
        "oid/critical-extension-1000-digit-arc | FORBIDDEN_EXTENSION | 1.2.99999",
        "ext/extension-request-two-values   | MALFORMED_CSR | exactly one value",
        "ext/two-subject-alt-names          | MALFORMED_CSR | cannot be decoded",
        // keys: e = 1 made the forged signature valid (issued); hybrid EC points were issued; huge RSA keys were
        // refused only after seconds of signature checking
        "rsa/exponent-1-forged-signature    | WEAK_OR_UNSUPPORTED_KEY | public exponent",
        "rsa/exponent-even-65536            | WEAK_OR_UNSUPPORTED_KEY | public exponent",
        "rsa/modulus-8192-exponent-8184-bits | WEAK_OR_UNSUPPORTED_KEY | public exponent",
        "rsa/modulus-16384-exponent-16376-bits | WEAK_OR_UNSUPPORTED_KEY | RSA 16384 bits",
        "ec-point/hybrid-form               | WEAK_OR_UNSUPPORTED_KEY | point encoding",
        // names copied into certificates: NUL, CR/LF, ESC, DEL, non-strings, empty values, bad SANs were issued
        "subject/nul-in-utf8-cn             | INVALID_SUBJECT | control character",
        "subject/nul-in-bmp-cn              | INVALID_SUBJECT | control character",
        "subject/crlf-in-cn                 | INVALID_SUBJECT | control character",
        "subject/escape-sequence-in-cn      | INVALID_SUBJECT | control character",
        "subject/printable-with-forbidden-chars | INVALID_SUBJECT | character set",
        "subject/cn-is-integer              | INVALID_SUBJECT | not a string",
        "subject/cn-is-null                 | INVALID_SUBJECT | not a string",
        "subject/empty-rdn-set              | INVALID_SUBJECT | empty relative distinguished name",
        "subject/empty-cn-only              | INVALID_SUBJECT | empty attribute value",
        "san/dns-with-nul                   | INVALID_SUBJECT_ALT_NAME | printable ASCII",
        "san/uri-with-crlf                  | INVALID_SUBJECT_ALT_NAME | printable ASCII",
        "san/dns-with-utf8                  | INVALID_SUBJECT_ALT_NAME | printable ASCII",
        "san/ip-5-bytes                     | INVALID_SUBJECT_ALT_NAME | 5 octets",
        "san/other-name-without-value       | INVALID_SUBJECT_ALT_NAME | cannot be decoded",
        "san/empty-general-names            | INVALID_SUBJECT_ALT_NAME | no names",
        "san/empty-subject-and-empty-san    | INVALID_SUBJECT_ALT_NAME | no names",
    })
    void isRefused(String id, EstError error, String detail) {
        assertThat(refusal(id)).startsWith(error.name()).contains(detail);
    }
}
