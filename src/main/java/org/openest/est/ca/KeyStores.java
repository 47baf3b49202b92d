package org.openest.est.ca;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/** Builds PKCS#12 key stores and trust stores (the JDK's {@code PKCS12} type) as bytes ready to write. */
public final class KeyStores {
    private KeyStores() {
    }

    /**
     * @param alias the key entry alias
     * @param key the private key
     * @param chain its certificate first, then the issuers
     * @param password the store and key password
     * @return the encoded PKCS#12 key store
     * @throws GeneralSecurityException if the entry cannot be stored
     */
    public static byte[] keyStore(String alias, PrivateKey key, List<X509Certificate> chain, char[] password)
            throws GeneralSecurityException {
        KeyStore store = empty();
        store.setKeyEntry(alias, key, password, chain.toArray(new Certificate[0]));
        return encode(store, password);
    }

    /**
     * @param trusted trusted certificates by alias, in insertion order
     * @param password the store password
     * @return the encoded PKCS#12 trust store
     * @throws GeneralSecurityException if an entry cannot be stored
     */
    public static byte[] trustStore(Map<String, X509Certificate> trusted, char[] password)
            throws GeneralSecurityException {
        KeyStore store = empty();
        for (Map.Entry<String, X509Certificate> entry : trusted.entrySet()) {
            store.setCertificateEntry(entry.getKey(), entry.getValue());
        }
        return encode(store, password);
    }

    private static KeyStore empty() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("Cannot create a PKCS#12 store", e);
        }
        return store;
    }

    private static byte[] encode(KeyStore store, char[] password) throws GeneralSecurityException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            store.store(buffer, password);
        } catch (IOException e) {
            throw new GeneralSecurityException("Cannot encode the PKCS#12 store", e);
        }
        return buffer.toByteArray();
    }
}
