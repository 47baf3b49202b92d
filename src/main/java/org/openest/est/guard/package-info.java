/**
 * Guards against abuse and spoofing, free of servlet types: failed-login lockouts and enrollment rate limits kept
 * in bounded memory, trusted-proxy address ranges, and client certificates forwarded by a TLS-terminating proxy
 * (RFC 9440), verified against our own CA certificates. Imports only the JDK, Bouncy Castle (through
 * {@code ca.Crypto}) and log4j; the {@code http} layer calls it with header values and addresses.
 */
package org.openest.est.guard;
