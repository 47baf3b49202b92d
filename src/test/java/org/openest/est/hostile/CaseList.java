package org.openest.est.hostile;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects cases, keeping ids unique and dropping byte-identical duplicates (first one wins). */
final class CaseList {
    private final List<HostileCase> cases = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();
    private final Set<String> bodies = new HashSet<>();

    /** Adds a case unless an identical body is already there. */
    void add(String id, HostileCase.Defect defect, byte[] body) {
        if (!ids.add(id)) {
            throw new IllegalArgumentException("duplicate case id " + id);
        }
        if (bodies.add(Base64.getEncoder().encodeToString(body))) {
            cases.add(new HostileCase(id, defect, body));
        }
    }

    /** Adds the DER as base64 (the normal EST form). */
    void b64(String id, HostileCase.Defect defect, byte[] der) {
        add(id, defect, Forge.b64(der));
    }

    List<HostileCase> cases() {
        return List.copyOf(cases);
    }
}
