package org.openest.est.revoke;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.x509.CRLReason;

/**
 * RFC 5280 section 5.3.1 reasons an admin may give. certificateHold and removeFromCRL are not offered (revocation
 * here is final), nor the CA/AA compromise reasons (those are not about a device).
 */
public final class RevocationReasons {
    private static final Map<String, Integer> BY_NAME = Map.of(
            "unspecified", CRLReason.unspecified,
            "keycompromise", CRLReason.keyCompromise,
            "affiliationchanged", CRLReason.affiliationChanged,
            "superseded", CRLReason.superseded,
            "cessationofoperation", CRLReason.cessationOfOperation,
            "privilegewithdrawn", CRLReason.privilegeWithdrawn);

    private RevocationReasons() {
    }

    /**
     * @param name a reason name such as {@code keyCompromise} (case-insensitive), or its code
     * @return the RFC 5280 code, if allowed
     */
    public static Optional<Integer> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (BY_NAME.containsKey(key)) {
            return Optional.of(BY_NAME.get(key));
        }
        try {
            int code = Integer.parseInt(key);
            return BY_NAME.containsValue(code) ? Optional.of(code) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * @param code an RFC 5280 code
     * @return its name
     */
    public static String name(int code) {
        return switch (code) {
            case CRLReason.unspecified -> "unspecified";
            case CRLReason.keyCompromise -> "keyCompromise";
            case CRLReason.cACompromise -> "cACompromise";
            case CRLReason.affiliationChanged -> "affiliationChanged";
            case CRLReason.superseded -> "superseded";
            case CRLReason.cessationOfOperation -> "cessationOfOperation";
            case CRLReason.certificateHold -> "certificateHold";
            case CRLReason.privilegeWithdrawn -> "privilegeWithdrawn";
            default -> "code" + code;
        };
    }
}
