package org.openest.est.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.openest.est.revoke.RevocationReasons;
import org.openest.est.store.CertificateRecord;
import org.openest.est.store.DeviceView;
import org.openest.est.store.PendingRequest;

/** JSON shapes of the admin API (maps serialized by Jackson, never strings glued together). */
final class AdminViews {
    private AdminViews() {
    }

    static Map<String, Object> device(DeviceView device, Instant now, Instant soon) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", device.id());
        item.put("subject", device.subject());
        item.put("status", device.status());
        item.put("serial", device.currentSerial());
        item.put("label", device.label());
        item.put("notAfter", device.notAfter() == null ? null : device.notAfter().toString());
        item.put("certificateStatus", certificateStatus(device, now));
        item.put("expiringSoon", "VALID".equals(device.certificateStatus()) && device.notAfter() != null
                && device.notAfter().isAfter(now) && !device.notAfter().isAfter(soon));
        item.put("createdAt", device.createdAt().toString());
        item.put("updatedAt", device.updatedAt().toString());
        return item;
    }

    static String certificateStatus(DeviceView device, Instant now) {
        if (device.certificateStatus() == null) {
            return "NONE";
        }
        if ("VALID".equals(device.certificateStatus()) && device.notAfter() != null && !device.notAfter().isAfter(now)) {
            return "EXPIRED";
        }
        return device.certificateStatus();
    }

    static Map<String, Object> certificate(CertificateRecord c) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("serial", c.serial());
        item.put("issuer", c.issuer());
        item.put("subject", c.subject());
        item.put("san", c.san());
        item.put("notBefore", c.notBefore().toString());
        item.put("notAfter", c.notAfter().toString());
        item.put("status", c.status());
        item.put("revokedAt", c.revokedAt() == null ? null : c.revokedAt().toString());
        item.put("revocationReason", c.revocationReason() == null ? null : RevocationReasons.name(c.revocationReason()));
        item.put("label", c.label());
        item.put("operation", c.operation());
        item.put("principal", c.principal());
        item.put("authMethod", c.authMethod());
        item.put("clientIp", c.clientIp());
        item.put("issuedAt", c.issuedAt().toString());
        item.put("renewalOf", c.renewalOf());
        item.put("pem", c.pem());
        return item;
    }

    static Map<String, Object> pending(PendingRequest pending) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", pending.id());
        item.put("profile", pending.profile());
        item.put("subject", pending.subject());
        item.put("operation", pending.operation());
        item.put("requestedBy", pending.principal());
        item.put("authMethod", pending.authMethod());
        item.put("clientIp", pending.clientIp());
        item.put("createdAt", pending.createdAt().toString());
        return item;
    }
}
