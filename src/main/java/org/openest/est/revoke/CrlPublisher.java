package org.openest.est.revoke;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.security.auth.x500.X500Principal;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.openest.est.ca.CertificateAuthority;
import org.openest.est.store.Fleet;
import org.openest.est.store.RevokedEntry;

/**
 * The CRL of one CA (RFC 5280 section 5): every revoked certificate of the registry, signed by the CA, with a CRL
 * number shared across nodes. The signed CRL is cached and rebuilt when the number of revocations in the database
 * changes (so a revocation on another node shows at once), when {@link #refresh} is called after a local revocation,
 * and on a schedule before nextUpdate. Thread-safe.
 */
public final class CrlPublisher {
    private static final Logger LOG = LogManager.getLogger(CrlPublisher.class);

    private final String name;
    private final CertificateAuthority ca;
    private final Fleet fleet;
    private final Duration validity;
    private final String issuer;
    private final AtomicReference<Published> current = new AtomicReference<>();

    private record Published(byte[] der, long revokedCount, Instant nextUpdate) {
    }

    /**
     * @param name the CA's configured name (used in the CRL URL)
     * @param ca the CA
     * @param fleet registry access
     * @param validity time from thisUpdate to nextUpdate
     */
    public CrlPublisher(String name, CertificateAuthority ca, Fleet fleet, Duration validity) {
        this.name = name;
        this.ca = ca;
        this.fleet = fleet;
        this.validity = validity;
        this.issuer = ca.certificate().getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    /** @return the CA's configured name */
    public String name() {
        return name;
    }

    /**
     * @return DER of the current CRL, rebuilt first if revocations changed or it is more than half-way to nextUpdate
     */
    public byte[] crl() {
        Published published = current.get();
        long count = fleet.countRevoked(issuer);
        Instant now = Instant.now();
        if (published == null || published.revokedCount() != count
                || now.isAfter(published.nextUpdate().minus(validity.dividedBy(2)))) {
            published = rebuild();
        }
        return published.der();
    }

    /** Rebuilds and re-signs the CRL from the database (after a revocation, and on the schedule). */
    public void refresh() {
        rebuild();
    }

    private synchronized Published rebuild() {
        List<RevokedEntry> revoked = fleet.revoked(issuer);
        Instant now = Instant.now();
        Instant nextUpdate = now.plus(validity);
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), Date.from(now));
        builder.setNextUpdate(Date.from(nextUpdate));
        for (RevokedEntry entry : revoked) {
            builder.addCRLEntry(new BigInteger(entry.serial(), 16), Date.from(entry.revokedAt()),
                    entry.revocationReason());
        }
        try {
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
            builder.addExtension(Extension.cRLNumber, false,
                    new CRLNumber(BigInteger.valueOf(fleet.nextCrlNumber(issuer))));
            Published published = new Published(ca.signCrl(builder).getEncoded(), revoked.size(), nextUpdate);
            current.set(published);
            LOG.debug("CRL of CA '{}' rebuilt: {} entries", name, revoked.size());
            return published;
        } catch (IOException | CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot build CRL", e);
        }
    }
}
