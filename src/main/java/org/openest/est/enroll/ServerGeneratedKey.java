package org.openest.est.enroll;

import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The result of {@code /serverkeygen}: a key generated for the client and its certificate. The key is never stored.
 *
 * @param privateKey the PKCS#8 private key
 * @param certificate the certificate for its public key
 */
public record ServerGeneratedKey(PrivateKeyInfo privateKey, X509Certificate certificate) {
}
