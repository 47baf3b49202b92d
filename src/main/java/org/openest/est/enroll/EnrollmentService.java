package org.openest.est.enroll;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.x500.X500Principal;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.openest.est.ca.CertificateAuthority;
import org.openest.est.ca.Crypto;
import org.openest.est.ca.DevPki;
import org.openest.est.ca.IssueRequest;
import org.openest.est.config.EstConfig;
import org.openest.est.protocol.CsrDecoder;
import org.openest.est.protocol.CsrNames;
import org.openest.est.protocol.EstError;
import org.openest.est.protocol.EstException;
import org.openest.est.store.CertificateRecord;
import org.openest.est.store.DuplicateCertificateException;
import org.openest.est.store.PendingRequest;
import org.openest.est.store.Registry;
import org.openest.est.store.RevokedCertificateException;

/**
 * Enrollment, re-enrollment, bootstrap and server-side key generation: authorise, check proof of possession and
 * policy, hold for approval if the profile says so, sign, record, respond. A certificate is committed to the registry
 * before it is returned; if recording fails, nothing is returned. Every issuance, refusal and approval decision is
 * written to the audit log ({@code est.audit}). Thread-safe.
 */
public final class EnrollmentService {
    private static final Logger AUDIT = LogManager.getLogger("est.audit");
    private static final Logger LOG = LogManager.getLogger(EnrollmentService.class);

    /** Verified (certificate, issuing CA) pairs kept at most; then the memory starts over. */
    static final int VERIFIED_ISSUES = 4096;

    private final Registry registry;
    private final CsrDecoder decoder;
    private final EstConfig.Auth auth;
    /**
     * Client certificates whose signature by a CA has been verified. A signature check is a pure function of the two
     * certificates' DER (equality of X509Certificate is DER equality), so a positive answer stays true; validity
     * dates and revocation are still checked on every request. Saves one ECDSA/RSA verification per request of
     * certificate-authenticated clients (RA gateways, re-enrolling devices). The value holds what else is read from
     * the certificate on every request (whether it carries id-kp-cmcRA): the JDK hands every connection that presents
     * the same certificate the same object, whose extension getters take that object's lock, and 32 connections of
     * one gateway queued on it (JFR: waits of 14-36 ms whenever the holder was preempted).
     */
    private final Map<VerifiedIssue, IssueFacts> verifiedIssues = new ConcurrentHashMap<>();

    private record VerifiedIssue(X509Certificate certificate, X509Certificate ca) {
    }

    /** What a CA-issued client certificate says, read once when its signature was verified. */
    private record IssueFacts(boolean raEku) {
    }

    /**
     * @param registry the device registry
     * @param decoder CSR decoder (for proof of possession)
     * @param auth authorisation settings
     */
    public EnrollmentService(Registry registry, CsrDecoder decoder, EstConfig.Auth auth) {
        this.registry = registry;
        this.decoder = decoder;
        this.auth = auth;
    }

    /**
     * {@code /simpleenroll} (RFC 7030 section 4.2.1) and the non-standard {@code /bootstrap}. A Basic user with the
     * enrolling role, or an RA certificate, may enroll any subject the profile allows; any other client certificate
     * only its own subject and SAN. {@code /bootstrap} accepts HTTP Basic only.
     *
     * @param caller the authenticated caller
     * @param csr the decoded CSR
     * @param profile the profile of the label
     * @param operation "simpleenroll" or "bootstrap"
     * @return the issued certificate, already recorded
     * @throws EstException if refused, pending (202) or the registry is unavailable
     */
    public X509Certificate enroll(Caller caller, PKCS10CertificationRequest csr, EnrollmentProfile profile,
                                  String operation) throws EstException {
        try {
            authorizeEnrollment(caller, csr, profile, operation.equals("bootstrap"));
            // Policy before proof of possession: it refuses oversized keys and absurd exponents cheaply, before the
            // signature check spends seconds on them (a 16384-bit modulus with a 16k-bit exponent: 10 s of CPU).
            IssueRequest request = profile.policy().apply(csr);
            decoder.verifyProofOfPossession(csr);
            Optional<PendingRequest> approved = holdIfManual(caller, csr, profile, operation);
            if (approved.isPresent() && approved.get().status().equals(PendingRequest.ISSUED)) {
                return reissued(profile, approved.get());
            }
            X509Certificate issued = issue(caller, request, profile, operation, null, duplicateRule(profile),
                    revocable(caller, profile));
            approved.ifPresent(held -> registry.markIssued(held.id(), serialOf(issued)));
            return issued;
        } catch (EstException e) {
            refused(caller, csr, profile, operation, e);
            throw e;
        }
    }

    /**
     * {@code /simplereenroll} (RFC 7030 section 4.2.2): the client certificate must be issued by this profile's CA,
     * currently valid and not revoked (checked in the database, never a cache, in the transaction that records the
     * new certificate), and the CSR's subject and SAN must equal it. An RA certificate may instead renew a device's
     * current certificate on its behalf.
     *
     * @param caller the authenticated caller
     * @param csr the decoded CSR
     * @param profile the profile of the label
     * @return the new certificate, recorded as the renewal of the old one
     * @throws EstException if refused
     */
    public X509Certificate reenroll(Caller caller, PKCS10CertificationRequest csr, EnrollmentProfile profile)
            throws EstException {
        String operation = "simplereenroll";
        try {
            X509Certificate client = caller.certificate()
                    .orElseThrow(() -> new EstException(EstError.CLIENT_CERT_REQUIRED));
            checkUsable(client, profile.ca());
            X509Certificate renewed = client;
            if (!CsrNames.sameNames(csr, client)) {
                if (!isRa(client, profile.ca())) {
                    throw new EstException(EstError.SUBJECT_MISMATCH);
                }
                // RA renewing a device: the device's current certificate is the one renewed.
                renewed = currentCertificateOf(csr, profile.ca());
                if (!CsrNames.sameNames(csr, renewed)) {
                    throw new EstException(EstError.SUBJECT_MISMATCH, "of the device's current certificate");
                }
            }
            IssueRequest request = profile.policy().apply(csr); // before proof of possession, see enroll()
            decoder.verifyProofOfPossession(csr);
            return issue(caller, request, profile, operation, serialOf(renewed), Registry.OnDuplicate.ALLOW,
                    serialOf(client));
        } catch (EstException e) {
            refused(caller, csr, profile, operation, e);
            throw e;
        }
    }

    /**
     * {@code /serverkeygen} (RFC 7030 section 4.4): same authorisation and policy as simpleenroll, but the server
     * generates the key; the CSR's own key and signature are ignored. The key is never stored or logged.
     *
     * @param caller the authenticated caller
     * @param csr the decoded CSR (names only)
     * @param profile the profile of the label
     * @return the key and its certificate
     * @throws EstException if refused
     */
    public ServerGeneratedKey serverKeyGen(Caller caller, PKCS10CertificationRequest csr, EnrollmentProfile profile)
            throws EstException {
        String operation = "serverkeygen";
        try {
            authorizeEnrollment(caller, csr, profile, false);
            KeyPair keys = ServerKeys.generate(profile.settings().serverKeyGen().keyType());
            IssueRequest request = profile.policy().apply(csr,
                    SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
            X509Certificate issued = issue(caller, request, profile, operation, null, duplicateRule(profile),
                    revocable(caller, profile));
            return new ServerGeneratedKey(PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded()), issued);
        } catch (EstException e) {
            refused(caller, csr, profile, operation, e);
            throw e;
        }
    }

    /** @return requests waiting for approval, oldest first */
    public List<PendingRequest> pendingRequests() {
        return registry.pendingByStatus(PendingRequest.PENDING);
    }

    /**
     * Approves or rejects a held request; the client's next retry with the same CSR gets the certificate or a 403.
     *
     * @param id request id
     * @param approve true to approve
     * @param admin who decides
     * @return false if there is no such pending request
     */
    public boolean decide(long id, boolean approve, String admin) {
        boolean decided = registry.decide(id, approve, admin);
        if (decided) {
            PendingRequest request = registry.findPending(id).orElseThrow();
            AUDIT.info("{} pending={} profile={} subject=\"{}\" requested_by=\"{}\" admin=\"{}\"",
                    approve ? "APPROVED" : "REJECTED", id, request.profile(), request.subject(), request.principal(),
                    admin);
        }
        return decided;
    }

    private void authorizeEnrollment(Caller caller, PKCS10CertificationRequest csr, EnrollmentProfile profile,
                                     boolean bootstrap) throws EstException {
        EstConfig.Enroll rules = profile.settings().enroll();
        if (bootstrap) {
            requirePassword(caller);
            return;
        }
        switch (caller.method()) {
            case NONE -> throw new EstException(EstError.AUTHENTICATION_REQUIRED);
            case PASSWORD -> {
                if (!rules.passwordAuth()) {
                    throw new EstException(EstError.METHOD_NOT_ACCEPTED, "password");
                }
                requirePassword(caller);
            }
            case CERTIFICATE -> {
                if (!rules.certificateAuth()) {
                    throw rules.passwordAuth() ? new EstException(EstError.AUTHENTICATION_REQUIRED,
                            "this label accepts passwords only") : new EstException(EstError.METHOD_NOT_ACCEPTED,
                            "certificate");
                }
                if (rules.httpAuthWithCert()) {
                    throw new EstException(EstError.AUTHENTICATION_REQUIRED, "HTTP authentication is also required");
                }
                X509Certificate client = caller.certificate().orElseThrow();
                if (rules.manualApproval() && issuedBy(client, profile.ca())) {
                    // A held request is recorded before anything is issued: refuse a revoked client before that.
                    // (Otherwise revocation is checked where the certificate is recorded, see revocable.)
                    checkNotRevoked(client, profile.ca());
                }
                if (!isRa(client, profile.ca()) && !CsrNames.sameNames(csr, client)) {
                    throw new EstException(EstError.FORBIDDEN, "a device certificate may only enroll its own subject");
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private void requirePassword(Caller caller) throws EstException {
        if (caller.method() != Caller.AuthMethod.PASSWORD) {
            throw new EstException(EstError.AUTHENTICATION_REQUIRED);
        }
        if (!caller.enrollRole()) {
            throw new EstException(EstError.FORBIDDEN, "user lacks role " + auth.enrollRole());
        }
    }

    /** @return empty for auto approval; else the held request, which is APPROVED or ISSUED */
    private Optional<PendingRequest> holdIfManual(Caller caller, PKCS10CertificationRequest csr,
                                                  EnrollmentProfile profile, String operation) throws EstException {
        if (!profile.settings().enroll().manualApproval()) {
            return Optional.empty();
        }
        PendingRequest held;
        try {
            byte[] der = csr.getEncoded();
            held = registry.holdRequest(new PendingRequest(0, profile.name(),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)),
                    DevPki.pem(csr), CsrNames.rfc2253(csr.getSubject()), operation, caller.principal(),
                    caller.method().name(), caller.clientIp(), PendingRequest.PENDING, Instant.now(), null, null,
                    null));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            LOG.error("Registry write failed while holding a request", e);
            throw new EstException(EstError.UNAVAILABLE, "registry unavailable");
        }
        return switch (held.status()) {
            case PendingRequest.PENDING -> {
                AUDIT.info("HELD pending={} profile={} subject=\"{}\" principal=\"{}\" ip={}", held.id(),
                        profile.name(), held.subject(), caller.principal(), caller.clientIp());
                throw new EstException(EstError.PENDING);
            }
            case PendingRequest.REJECTED -> throw new EstException(EstError.REJECTED);
            default -> Optional.of(held);
        };
    }

    private X509Certificate reissued(EnrollmentProfile profile, PendingRequest held) throws EstException {
        CertificateRecord record = lookup(profile.ca().certificate(), held.serial())
                .orElseThrow(() -> new EstException(EstError.UNAVAILABLE, "issued certificate not found"));
        return parsePem(record.pem());
    }

    /**
     * The client certificate to check for revocation when the new certificate is recorded: the container checked its
     * chain and dates, but revocation lives in the registry (without this, a revoked device could enroll its own
     * subject again). Checked in the recording transaction rather than ahead of it, where the read cost as much as a
     * commit: in embedded HSQLDB every statement waits while another session's commit syncs the log.
     *
     * @return the serial of the caller's certificate if it authenticated the request and this profile's CA issued it
     */
    private String revocable(Caller caller, EnrollmentProfile profile) {
        return caller.method() == Caller.AuthMethod.CERTIFICATE
                ? caller.certificate().filter(client -> issuedBy(client, profile.ca())).map(EnrollmentService::serialOf)
                        .orElse(null)
                : null;
    }

    /**
     * Signs and records a certificate.
     *
     * @param presentedBy serial of a client certificate of this CA that must not be revoked, else null; when it is,
     *     the signed certificate is discarded (neither recorded nor returned)
     */
    private X509Certificate issue(Caller caller, IssueRequest request, EnrollmentProfile profile, String operation,
                                  String renewalOf, Registry.OnDuplicate onDuplicate, String presentedBy)
            throws EstException {
        String subject = CsrNames.rfc2253(request.subject());
        String issuer = issuerName(profile.ca());
        if (onDuplicate == Registry.OnDuplicate.REJECT && currentValid(subject, issuer).isPresent()) {
            throw new EstException(EstError.DUPLICATE); // cheap pre-check; the transaction below decides
        }
        X509Certificate certificate = profile.ca().issue(request);
        CertificateRecord record = record(new CertificateRecord(serialOf(certificate), issuer, 0,
                certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                CsrNames.describe(request.subjectAltName()), certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(), DevPki.pem(certificate), caller.principal(),
                caller.method().name(), caller.clientIp(), profile.label(), operation, Instant.now(), renewalOf,
                CertificateRecord.VALID, null, null), onDuplicate, presentedBy);
        AUDIT.info("ISSUED op={} label={} principal=\"{}\" auth={} ip={} subject=\"{}\" san=\"{}\" serial={}{}",
                operation, profile.label(), caller.principal(), caller.method(), caller.clientIp(), record.subject(),
                record.san(), record.serial(), renewalOf == null ? "" : " renewal_of=" + renewalOf);
        return certificate;
    }

    private CertificateRecord record(CertificateRecord certificate, Registry.OnDuplicate onDuplicate,
                                     String presentedBy) throws EstException {
        try {
            return registry.recordIssued(certificate, onDuplicate, presentedBy);
        } catch (DuplicateCertificateException e) {
            throw new EstException(EstError.DUPLICATE);
        } catch (RevokedCertificateException e) {
            throw new EstException(EstError.CERT_NOT_USABLE, "revoked");
        } catch (RuntimeException e) {
            // Not recorded means not returned: the signed certificate is discarded.
            LOG.error("Registry write failed; certificate {} discarded", certificate.serial(), e);
            throw new EstException(EstError.UNAVAILABLE, "registry unavailable");
        }
    }

    private Optional<CertificateRecord> currentValid(String subject, String issuer) throws EstException {
        try {
            return registry.currentValid(subject, issuer, Instant.now());
        } catch (RuntimeException e) {
            LOG.error("Registry read failed", e);
            throw new EstException(EstError.UNAVAILABLE, "registry unavailable");
        }
    }

    private Optional<CertificateRecord> lookup(X509Certificate ca, String serial) throws EstException {
        try {
            return registry.findCertificate(ca.getSubjectX500Principal().getName(X500Principal.RFC2253), serial);
        } catch (RuntimeException e) {
            LOG.error("Registry read failed", e);
            throw new EstException(EstError.UNAVAILABLE, "registry unavailable");
        }
    }

    private X509Certificate currentCertificateOf(PKCS10CertificationRequest csr, CertificateAuthority ca)
            throws EstException {
        String issuer = issuerName(ca);
        CertificateRecord current = currentValid(CsrNames.rfc2253(csr.getSubject()), issuer)
                .orElseThrow(() -> new EstException(EstError.FORBIDDEN, "no valid certificate to renew for subject"));
        return parsePem(current.pem());
    }

    /** Issued by the profile's CA and currently valid (revocation is checked where the renewal is recorded). */
    private void checkUsable(X509Certificate client, CertificateAuthority ca) throws EstException {
        if (!issuedBy(client, ca)) {
            throw new EstException(EstError.CERT_NOT_USABLE, "not issued by this CA");
        }
        try {
            client.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new EstException(EstError.CERT_NOT_USABLE, "not currently valid");
        }
    }

    /** Not revoked in the registry (read from the database, never a cache), for a request held for approval. */
    private void checkNotRevoked(X509Certificate client, CertificateAuthority ca) throws EstException {
        boolean revoked;
        try {
            revoked = registry.isRevoked(issuerName(ca), serialOf(client));
        } catch (RuntimeException e) {
            LOG.error("Registry read failed", e);
            throw new EstException(EstError.UNAVAILABLE, "registry unavailable");
        }
        if (revoked) {
            throw new EstException(EstError.CERT_NOT_USABLE, "revoked");
        }
    }

    private void refused(Caller caller, PKCS10CertificationRequest csr, EnrollmentProfile profile, String operation,
                         EstException e) {
        if (e.error() == EstError.PENDING) {
            return; // audited as HELD
        }
        AUDIT.warn("REFUSED op={} label={} principal=\"{}\" auth={} ip={} subject=\"{}\" status={} reason=\"{}\"",
                operation, profile.label(), caller.principal(), caller.method(), caller.clientIp(), safeSubject(csr),
                e.error().status(), e.getMessage());
    }

    /**
     * An RA is a client certificate that carries id-kp-cmcRA and was issued by the profile's CA (when enabled), or
     * whose subject matches the configured pattern and, if configured, whose issuer is the configured RA issuer
     * (RFC 7030 section 3.7).
     *
     * @param certificate a verified client certificate
     * @param ca the profile's CA
     * @return true if it is an RA
     */
    public boolean isRa(X509Certificate certificate, CertificateAuthority ca) {
        if (auth.raSubjectPattern().isPresent() && auth.raSubjectPattern().get()
                .matcher(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253)).matches()
                && auth.raIssuer().map(issuer -> X500Name.getInstance(certificate.getIssuerX500Principal()
                .getEncoded()).equals(new X500Name(issuer))).orElse(true)) {
            return true;
        }
        if (!auth.raByEku()) {
            return false;
        }
        IssueFacts issue = verifiedIssue(certificate, ca);
        return issue != null && issue.raEku();
    }

    private static Registry.OnDuplicate duplicateRule(EnrollmentProfile profile) {
        return switch (profile.settings().enroll().duplicate()) {
            case ALLOW -> Registry.OnDuplicate.ALLOW;
            case REJECT -> Registry.OnDuplicate.REJECT;
            case REPLACE -> Registry.OnDuplicate.REPLACE;
        };
    }

    private boolean issuedBy(X509Certificate certificate, CertificateAuthority ca) {
        return verifiedIssue(certificate, ca) != null;
    }

    /**
     * @return what the certificate says, if {@code ca} issued it to an end entity (signature verified once, then
     *     remembered); null if not
     */
    private IssueFacts verifiedIssue(X509Certificate certificate, CertificateAuthority ca) {
        // Remembered only after every check below passed, and both certificates are immutable: a hit needs no other.
        VerifiedIssue key = new VerifiedIssue(certificate, ca.certificate());
        IssueFacts known = verifiedIssues.get(key);
        if (known != null) {
            return known;
        }
        X500Name caSubject = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        if (!X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded()).equals(caSubject)
                || certificate.getBasicConstraints() >= 0) {
            return null;
        }
        try {
            certificate.verify(ca.certificate().getPublicKey(), Crypto.provider());
        } catch (GeneralSecurityException e) {
            return null;
        }
        boolean raEku;
        try {
            List<String> eku = certificate.getExtendedKeyUsage();
            raEku = eku != null && eku.contains(KeyPurposeId.id_kp_cmcRA.getId());
        } catch (java.security.cert.CertificateParsingException e) {
            raEku = false;
        }
        IssueFacts facts = new IssueFacts(raEku);
        if (verifiedIssues.size() >= VERIFIED_ISSUES) {
            verifiedIssues.clear();
        }
        verifiedIssues.put(key, facts);
        return facts;
    }

    /** @return the CA's subject as the registry stores issuers (RFC 2253) */
    private static String issuerName(CertificateAuthority ca) {
        return ca.certificate().getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    /**
     * @param certificate a certificate
     * @return its serial as upper-case hex
     */
    public static String serialOf(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
    }

    private static X509Certificate parsePem(String pem) {
        try {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(
                    new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored certificate cannot be parsed", e);
        }
    }

    private static String safeSubject(PKCS10CertificationRequest csr) {
        if (csr == null) {
            return "";
        }
        String subject = csr.getSubject().toString();
        return subject.length() > 200 ? subject.substring(0, 200) + "..." : subject;
    }
}
