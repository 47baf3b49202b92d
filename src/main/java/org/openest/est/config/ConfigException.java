package org.openest.est.config;

/** A configuration value is unknown, missing or invalid; the message names the key. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the key
     */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the key
     * @param cause the underlying failure
     */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
