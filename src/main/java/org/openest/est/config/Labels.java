package org.openest.est.config;

import java.util.Set;
import java.util.regex.Pattern;

/** RFC 7030 section 3.2.2 label rules, checked at startup. */
public final class Labels {
    /** Operation names a label must not equal (RFC 7030 plus our non-standard bootstrap). */
    public static final Set<String> OPERATIONS = Set.of("cacerts", "simpleenroll", "simplereenroll", "fullcmc",
            "serverkeygen", "csrattrs", "bootstrap");
    /** One URI segment of the characters Bouncy Castle's client accepts. */
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-Za-z_.~!$&'()*+,;:=-]+");

    private Labels() {
    }

    /**
     * @param label a label
     * @param key the configuration key it came from (for the message)
     * @throws ConfigException if it is empty, not one segment, or an operation name
     */
    public static void validate(String label, String key) {
        if (label.isEmpty()) {
            throw new ConfigException(key + " is required");
        }
        if (!SEGMENT.matcher(label).matches() || label.equals(".") || label.equals("..")) {
            throw new ConfigException(key + ": label '" + label + "' must be one URI segment of [0-9A-Za-z_.~!$&'()*+,;:=-]");
        }
        if (OPERATIONS.contains(label)) {
            throw new ConfigException(key + ": label '" + label + "' is an EST operation name");
        }
    }
}
