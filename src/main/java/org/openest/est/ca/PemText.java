package org.openest.est.ca;

import java.io.IOException;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;

/** PEM encodings for files handed to administrators and other systems. */
public final class PemText {
    private PemText() {
    }

    /**
     * @param certificates certificates, in the order wanted
     * @return their concatenated PEM blocks ({@code -----BEGIN CERTIFICATE-----})
     */
    public static String certificates(List<X509Certificate> certificates) {
        StringBuilder text = new StringBuilder();
        certificates.forEach(certificate -> text.append(DevPki.pem(certificate)));
        return text.toString();
    }

    /**
     * @param key a private key
     * @return it as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), which every current tool reads
     */
    public static String privateKeyPkcs8(PrivateKey key) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        } catch (PemGenerationException e) {
            throw new IllegalArgumentException("Cannot encode the " + key.getAlgorithm() + " private key", e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }
}
