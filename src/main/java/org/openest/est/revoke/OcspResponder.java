package org.openest.est.revoke;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.openest.est.ca.CertificateAuthority;
import org.openest.est.ca.Crypto;
import org.openest.est.store.CertificateRecord;
import org.openest.est.store.Registry;

/**
 * OCSP responder (RFC 6960) answering from the registry, for every configured CA: good (issued by us, recorded,
 * not revoked), revoked (with time and reason), or unknown (not ours, or no record). Each CA signs the answers about
 * its own certificates; the nonce of the request is echoed. Thread-safe.
 */
public final class OcspResponder {
    private static final Logger LOG = LogManager.getLogger(OcspResponder.class);
    private static final Duration NEXT_UPDATE = Duration.ofHours(1);

    private final List<CertificateAuthority> cas;
    private final Registry registry;
    private final DigestCalculatorProvider digests;

    /**
     * @param cas the CAs answered for
     * @param registry the registry
     */
    public OcspResponder(List<CertificateAuthority> cas, Registry registry) {
        this.cas = List.copyOf(cas);
        this.registry = registry;
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.provider()).build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param request DER of an OCSPRequest
     * @return DER of the OCSPResponse (malformedRequest / unauthorized status responses included; never throws for
     *         bad input)
     */
    public byte[] respond(byte[] request) {
        try {
            OCSPReq ocspReq;
            try {
                ocspReq = new OCSPReq(request);
            } catch (IOException | RuntimeException | StackOverflowError e) {
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            Req[] requests = ocspReq.getRequestList();
            if (requests.length == 0 || requests.length > 20) {
                return status(OCSPRespBuilder.MALFORMED_REQUEST);
            }
            Optional<CertificateAuthority> signer = Optional.empty();
            for (CertificateAuthority ca : cas) {
                if (requests[0].getCertID().matchesIssuer(holder(ca), digests)) {
                    signer = Optional.of(ca);
                }
            }
            if (signer.isEmpty()) {
                return status(OCSPRespBuilder.UNAUTHORIZED); // RFC 6960 2.3: we are not authoritative
            }
            CertificateAuthority ca = signer.get();
            X509CertificateHolder caHolder = holder(ca);
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(
                    caHolder.getSubjectPublicKeyInfo(), digests.get(CertificateID.HASH_SHA1)));
            Instant now = Instant.now();
            String issuer = ca.certificate().getSubjectX500Principal().getName(X500Principal.RFC2253);
            for (Req req : requests) {
                CertificateID id = req.getCertID();
                CertificateStatus status = id.matchesIssuer(caHolder, digests)
                        ? statusOf(issuer, id) : new UnknownStatus();
                builder.addResponse(id, status, Date.from(now), Date.from(now.plus(NEXT_UPDATE)), null);
            }
            Extension nonce = ocspReq.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) {
                builder.setResponseExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
                        false, new DEROctetString(nonce.getExtnValue().getOctets()))));
            }
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, ca.signOcsp(builder, Date.from(now)))
                    .getEncoded();
        } catch (OCSPException | IOException | CertificateEncodingException | OperatorCreationException e) {
            LOG.error("OCSP response failed", e);
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        } catch (RuntimeException e) {
            LOG.error("OCSP response failed", e);
            return status(OCSPRespBuilder.TRY_LATER);
        }
    }

    private CertificateStatus statusOf(String issuer, CertificateID id) {
        String serial = id.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        Optional<CertificateRecord> record = registry.findCertificate(issuer, serial);
        if (record.isEmpty()) {
            return new UnknownStatus();
        }
        if (record.get().revoked()) {
            Integer reason = record.get().revocationReason();
            return new RevokedStatus(Date.from(record.get().revokedAt()),
                    reason == null ? CRLReason.unspecified : reason);
        }
        return CertificateStatus.GOOD;
    }

    private static X509CertificateHolder holder(CertificateAuthority ca) throws CertificateEncodingException {
        try {
            return new X509CertificateHolder(ca.certificate().getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] status(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
