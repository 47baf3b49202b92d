package org.openest.est.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.commons.configuration2.Configuration;

/**
 * Typed, validated reads of one configuration scope: a profile's {@code profile.<name>.<key>} if set, else the
 * global {@code <key>}. Every error names the key that was actually read.
 */
final class Values {
    private final Configuration config;
    private final String prefix;

    private Values(Configuration config, String prefix) {
        this.config = config;
        this.prefix = prefix;
    }

    static Values of(Configuration config, String prefix) {
        return new Values(config, prefix);
    }

    /** @return the key actually read for {@code key} (the profile's override if present) */
    String key(String key) {
        return !prefix.isEmpty() && config.containsKey(prefix + key) ? prefix + key : key;
    }

    String get(String key) {
        String effective = key(key);
        try {
            String value = config.getString(effective);
            return value == null ? "" : value.trim();
        } catch (RuntimeException e) {
            throw new ConfigException("Configuration key '" + effective + "': " + e.getMessage(), e);
        }
    }

    Optional<String> optional(String key) {
        String value = get(key);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    Optional<Path> path(String key) {
        return optional(key).map(Path::of);
    }

    List<String> list(String key) {
        List<String> values = new ArrayList<>();
        for (String part : get(key).split(",")) {
            if (!part.isBlank()) {
                values.add(part.trim());
            }
        }
        return List.copyOf(values);
    }

    boolean bool(String key) {
        String value = get(key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException("Configuration key '" + key(key) + "' must be true or false, not '"
                    + value + "'");
        };
    }

    int intRange(String key, long min, long max) {
        String value = get(key);
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min || parsed > max) {
                throw new ConfigException("Configuration key '" + key(key) + "' must be between " + min + " and "
                        + max + ", not " + value);
            }
            return (int) parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException("Configuration key '" + key(key) + "' must be a number, not '" + value + "'");
        }
    }

    <E extends Enum<E>> E choice(String key, Class<E> type) {
        String value = get(key);
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigException("Configuration key '" + key(key) + "' must be one of " + allowed + ", not '"
                    + value + "'");
        }
    }
}
