package org.openest.est.enroll;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.openest.est.ca.CertificateAuthority;
import org.openest.est.ca.DevPki;
import org.openest.est.ca.IssueRequest;
import org.openest.est.config.EstConfig;
import org.openest.est.protocol.CsrDecoder;
import org.openest.est.protocol.CsrNames;
import org.openest.est.protocol.EstError;
import org.openest.est.protocol.EstException;
import org.openest.est.store.CertificateRecord;
import org.openest.est.store.Registry;

/**
 * Enrollment and re-enrollment: authorise, check proof of possession and policy, sign, record, respond. The
 * certificate is committed to the registry before it is returned; if recording fails, nothing is returned.
 * Every issuance and every refusal is written to the audit log ({@code est.audit}). Thread-safe.
 */
public final class EnrollmentService {
    private static final Logger AUDIT = LogManager.getLogger("est.audit");
    private static final Logger LOG = LogManager.getLogger(EnrollmentService.class);

    private final CertificateAuthority ca;
    private final Registry registry;
    private final IssuancePolicy policy;
    private final CsrDecoder decoder;
    private final EstConfig.Auth auth;
    private final X500Name caSubject;

    /**
     * @param ca the issuing CA
     * @param registry the device registry
     * @param policy issuance policy
     * @param decoder CSR decoder (for proof of possession)
     * @param auth authorisation settings
     */
    public EnrollmentService(CertificateAuthority ca, Registry registry, IssuancePolicy policy, CsrDecoder decoder,
                             EstConfig.Auth auth) {
        this.ca = ca;
        this.registry = registry;
        this.policy = policy;
        this.decoder = decoder;
        this.auth = auth;
        this.caSubject = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    }

    /**
     * {@code /simpleenroll} (RFC 7030 section 4.2.1). A Basic user with the enrolling role, or an RA certificate, may
     * enroll any subject policy allows; any other client certificate only its own subject and SAN.
     *
     * @param caller the authenticated caller
     * @param csr the decoded CSR
     * @param label the EST label ("" for default)
     * @return the issued certificate, already recorded
     * @throws EstException if refused
     */
    public X509Certificate enroll(Caller caller, PKCS10CertificationRequest csr, String label) throws EstException {
        String operation = "simpleenroll";
        try {
            switch (caller.method()) {
                case NONE -> throw new EstException(EstError.AUTHENTICATION_REQUIRED);
                case PASSWORD -> {
                    if (!caller.enrollRole()) {
                        throw new EstException(EstError.FORBIDDEN, "user lacks role " + auth.enrollRole());
                    }
                }
                case CERTIFICATE -> {
                    X509Certificate client = caller.certificate().orElseThrow();
                    if (!isRa(client) && !CsrNames.sameNames(csr, client)) {
                        throw new EstException(EstError.FORBIDDEN,
                                "a device certificate may only enroll its own subject");
                    }
                }
                default -> throw new IllegalStateException();
            }
            return issue(caller, csr, label, operation, null);
        } catch (EstException e) {
            refused(caller, csr, label, operation, e);
            throw e;
        }
    }

    /**
     * {@code /simplereenroll} (RFC 7030 section 4.2.2): the client certificate must be issued by this CA, currently
     * valid and not revoked (checked in the database), and the CSR's subject and SAN must equal it.
     *
     * @param caller the authenticated caller
     * @param csr the decoded CSR
     * @param label the EST label
     * @return the new certificate, recorded as the renewal of the old one
     * @throws EstException if refused
     */
    public X509Certificate reenroll(Caller caller, PKCS10CertificationRequest csr, String label) throws EstException {
        String operation = "simplereenroll";
        try {
            X509Certificate current = caller.certificate()
                    .orElseThrow(() -> new EstException(EstError.CLIENT_CERT_REQUIRED));
            if (!issuedByUs(current)) {
                throw new EstException(EstError.CERT_NOT_USABLE, "not issued by this CA");
            }
            try {
                current.checkValidity();
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                throw new EstException(EstError.CERT_NOT_USABLE, "not currently valid");
            }
            String serial = serialOf(current);
            Optional<CertificateRecord> record = lookup(current);
            if (record.isPresent() && record.get().revoked()) {
                throw new EstException(EstError.CERT_NOT_USABLE, "revoked");
            }
            if (!CsrNames.sameNames(csr, current)) {
                throw new EstException(EstError.SUBJECT_MISMATCH);
            }
            return issue(caller, csr, label, operation, serial);
        } catch (EstException e) {
            refused(caller, csr, label, operation, e);
            throw e;
        }
    }

    private X509Certificate issue(Caller caller, PKCS10CertificationRequest csr, String label, String operation,
                                  String renewalOf) throws EstException {
        // 1. proof of possession (RFC 7030 section 3.4), 2. policy
        decoder.verifyProofOfPossession(csr);
        IssueRequest request = policy.apply(csr);
        // 3. sign
        X509Certificate certificate = ca.issue(request);
        // 4. record (commits) - only then 5. respond
        CertificateRecord record = record(new CertificateRecord(serialOf(certificate),
                issuerOf(certificate), 0, certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                CsrNames.describe(request.subjectAltName()), certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(), DevPki.pem(certificate), caller.principal(),
                caller.method().name(), caller.clientIp(), label, operation, Instant.now(), renewalOf,
                CertificateRecord.VALID, null, null));
        AUDIT.info("ISSUED op={} label={} principal=\"{}\" auth={} ip={} subject=\"{}\" san=\"{}\" serial={}{}",
                operation, label, caller.principal(), caller.method(), caller.clientIp(), record.subject(),
                record.san(), record.serial(), renewalOf == null ? "" : " renewal_of=" + renewalOf);
        return certificate;
    }

    private CertificateRecord record(CertificateRecord certificate) throws EstException {
        try {
            return registry.recordIssued(certificate);
        } catch (RuntimeException e) {
            // Not recorded means not returned: the signed certificate is discarded.
            LOG.error("Registry write failed; certificate {} discarded", certificate.serial(), e);
            throw new EstException(EstError.UNAVAILABLE, "registry unavailable");
        }
    }

    private Optional<CertificateRecord> lookup(X509Certificate certificate) throws EstException {
        try {
            return registry.findCertificate(issuerOf(certificate), serialOf(certificate));
        } catch (RuntimeException e) {
            LOG.error("Registry read failed", e);
            throw new EstException(EstError.UNAVAILABLE, "registry unavailable");
        }
    }

    private void refused(Caller caller, PKCS10CertificationRequest csr, String label, String operation,
                         EstException e) {
        AUDIT.warn("REFUSED op={} label={} principal=\"{}\" auth={} ip={} subject=\"{}\" status={} reason=\"{}\"",
                operation, label, caller.principal(), caller.method(), caller.clientIp(), safeSubject(csr),
                e.error().status(), e.getMessage());
    }

    /**
     * An RA is a client certificate that carries id-kp-cmcRA and was issued by this CA (when enabled), or whose
     * subject matches the configured pattern (RFC 7030 section 3.7).
     *
     * @param certificate a verified client certificate
     * @return true if it is an RA
     */
    public boolean isRa(X509Certificate certificate) {
        if (auth.raSubjectPattern().isPresent() && auth.raSubjectPattern().get()
                .matcher(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253)).matches()) {
            return true;
        }
        if (!auth.raByEku() || !issuedByUs(certificate)) {
            return false;
        }
        try {
            ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(
                    new X509CertificateHolder(certificate.getEncoded()).getExtensions());
            return eku != null && eku.hasKeyPurposeId(KeyPurposeId.id_kp_cmcRA);
        } catch (CertificateEncodingException | java.io.IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private boolean issuedByUs(X509Certificate certificate) {
        if (!X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded()).equals(caSubject)) {
            return false;
        }
        try {
            certificate.verify(ca.certificate().getPublicKey(), org.openest.est.ca.Crypto.provider());
            return certificate.getExtensionValue(Extension.basicConstraints.getId()) == null
                    || certificate.getBasicConstraints() < 0;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * @param certificate a certificate
     * @return its serial as upper-case hex
     */
    public static String serialOf(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
    }

    private static String issuerOf(X509Certificate certificate) {
        return certificate.getIssuerX500Principal().getName(X500Principal.RFC2253);
    }

    private static String safeSubject(PKCS10CertificationRequest csr) {
        if (csr == null) {
            return "";
        }
        String subject = csr.getSubject().toString();
        return subject.length() > 200 ? subject.substring(0, 200) + "..." : subject;
    }
}
