package org.openest.est.ca;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA whose key is held in this JVM, signing with Bouncy Castle. Thread-safe: no shared mutable state besides the
 * thread-safe {@link SecureRandom}; no lock around signing. (A {@link JcaX509ExtensionUtils} is not thread-safe: it
 * holds one SHA-1 MessageDigest, so each issue uses its own.)
 */
public final class LocalCa implements CertificateAuthority {
    /** Issued certificates start slightly in the past so devices with a lagging clock accept them. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final X509CertificateHolder certificateHolder;
    private final List<X509Certificate> chain;
    private final JcaContentSignerBuilder signerBuilder;
    private final org.bouncycastle.asn1.x509.AuthorityKeyIdentifier authorityKeyIdentifier;
    private final SecureRandom random = Crypto.random();
    private final List<String> crlUrls;
    private final List<String> ocspUrls;

    /**
     * @param material the CA key, certificate and chain
     */
    public LocalCa(CaMaterial material) {
        this(material, List.of(), List.of());
    }

    /**
     * @param material the CA key, certificate and chain
     * @param crlUrls CRL distribution point URLs put in every issued certificate (may be empty)
     * @param ocspUrls OCSP responder URLs put in every issued certificate's AIA (may be empty)
     */
    public LocalCa(CaMaterial material, List<String> crlUrls, List<String> ocspUrls) {
        this.crlUrls = List.copyOf(crlUrls);
        this.ocspUrls = List.copyOf(ocspUrls);
        this.key = material.privateKey();
        this.certificate = material.certificate();
        this.chain = List.copyOf(material.chain());
        try {
            this.certificateHolder = new X509CertificateHolder(certificate.getEncoded());
            this.authorityKeyIdentifier = new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate);
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("CA certificate cannot be encoded", e);
        }
        this.signerBuilder = new JcaContentSignerBuilder(Crypto.signatureAlgorithm(key)).setProvider(Crypto.provider())
                .setSecureRandom(random);
    }

    @Override
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public List<X509Certificate> chain() {
        return chain;
    }

    /**
     * Issues an end-entity certificate: basicConstraints CA:false (critical), the requested keyUsage (critical; never
     * keyCertSign or cRLSign), EKUs, SKI/AKI, and the SAN (critical when the subject is empty, RFC 5280 4.2.1.6).
     * The serial is positive and 16 bytes long: the issue time in milliseconds, then 80 random bits (RFC 5280
     * 4.1.2.2; the CA/B Forum asks for at least 64 random bits), see {@link #serial()}.
     */
    @Override
    public X509Certificate issue(IssueRequest request) {
        int keyUsage = request.keyUsageBits() & ~(KeyUsage.keyCertSign | KeyUsage.cRLSign);
        if (keyUsage == 0) {
            throw new IllegalArgumentException("an end-entity certificate needs at least one key usage");
        }
        Instant now = Instant.now();
        Date notBefore = Date.from(now.minus(BACKDATE));
        Date notAfter = Date.from(now.plus(request.validity()));
        if (notAfter.after(certificate.getNotAfter())) {
            notAfter = certificate.getNotAfter();
        }
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(certificateHolder.getSubject(), serial(),
                notBefore, notAfter, request.subject(), request.publicKey());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            if (!request.extendedKeyUsages().isEmpty()) {
                KeyPurposeId[] purposes = request.extendedKeyUsages().stream()
                        .map(KeyPurposeId::getInstance).toArray(KeyPurposeId[]::new);
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            }
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(request.publicKey()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
            if (request.subjectAltName().isPresent()) {
                boolean critical = request.subject().equals(new X500Name(new org.bouncycastle.asn1.x500.RDN[0]));
                builder.addExtension(Extension.subjectAlternativeName, critical, request.subjectAltName().get());
            }
            if (!crlUrls.isEmpty()) {
                DistributionPoint[] points = crlUrls.stream().map(url -> new DistributionPoint(
                        new DistributionPointName(new GeneralNames(new GeneralName(
                                GeneralName.uniformResourceIdentifier, url))), null, null))
                        .toArray(DistributionPoint[]::new);
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(points));
            }
            if (!ocspUrls.isEmpty()) {
                AccessDescription[] access = ocspUrls.stream().map(url -> new AccessDescription(
                        AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, url)))
                        .toArray(AccessDescription[]::new);
                builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(access));
            }
            ContentSigner signer = signerBuilder.build(key);
            return new JcaX509CertificateConverter().setProvider(Crypto.provider())
                    .getCertificate(builder.build(signer));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    @Override
    public X509CRLHolder signCrl(X509v2CRLBuilder builder) {
        try {
            return builder.build(signerBuilder.build(key));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("CRL signing failed", e);
        }
    }

    @Override
    public BasicOCSPResp signOcsp(BasicOCSPRespBuilder builder, Date producedAt) {
        try {
            return builder.build(signerBuilder.build(key), null, producedAt);
        } catch (OperatorCreationException | OCSPException e) {
            throw new IllegalStateException("OCSP signing failed", e);
        }
    }

    @Override
    public void selfTest() {
        try {
            certificate.checkValidity();
        } catch (CertificateException e) {
            throw new IllegalStateException("CA certificate " + certificate.getSubjectX500Principal()
                    + " is not currently valid", e);
        }
        try {
            CaMaterial.checkKeyMatches(key, certificate);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * A serial that is unpredictable and unique, yet grows with time: 0b01, the time in milliseconds (46 bits, good
     * until the year 4199), then 80 random bits; 16 DER bytes, positive, never zero.
     *
     * <p>Why time first: the registry indexes certificates by serial, and a random key puts every insert at a random
     * place in that index, so each enrollment rewrote rows all over the data file. Embedded HSQLDB copies every 16 KB
     * page of its data file to the {@code .backup} file (and syncs it) before the first write after a checkpoint: with
     * 127 random bits, 12 s of enrollment at 32 clients copied 525 MB there (40 KB per enrollment); with serials in
     * time order, 1.1 MB. The same holds for PostgreSQL's full-page writes after a checkpoint. Measured with
     * {@code bench/run.sh} on 2 cores, keep-alive, 32 clients: 1 245 / 1 447 / 999 -> 1 698 / 1 783 / 1 145
     * enrollments/s (Basic / RA certificate / re-enrollment), see BENCHMARKS.md.
     */
    private BigInteger serial() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        long millis = System.currentTimeMillis();
        for (int i = 5; i >= 0; i--, millis >>>= 8) {
            bytes[i] = (byte) millis;
        }
        bytes[0] = (byte) (bytes[0] & 0x3F | 0x40); // fixed length (16 DER bytes), positive, never zero
        return new BigInteger(1, bytes);
    }

    /**
     * @param oid an EKU name or dotted OID
     * @return the OID
     */
    public static ASN1ObjectIdentifier ekuOid(String oid) {
        return switch (oid) {
            case "clientAuth" -> KeyPurposeId.id_kp_clientAuth.toOID();
            case "serverAuth" -> KeyPurposeId.id_kp_serverAuth.toOID();
            case "emailProtection" -> KeyPurposeId.id_kp_emailProtection.toOID();
            case "codeSigning" -> KeyPurposeId.id_kp_codeSigning.toOID();
            case "timeStamping" -> KeyPurposeId.id_kp_timeStamping.toOID();
            case "cmcRA" -> KeyPurposeId.id_kp_cmcRA.toOID();
            default -> new ASN1ObjectIdentifier(oid);
        };
    }
}
