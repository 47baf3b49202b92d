/**
 * The certificate authority: {@link org.openest.est.ca.CertificateAuthority} and its local implementation on Bouncy
 * Castle, loading CA material from PKCS#12 or PEM, and the development PKI generator. The CA private key never
 * leaves this package and is never logged.
 */
package org.openest.est.ca;
