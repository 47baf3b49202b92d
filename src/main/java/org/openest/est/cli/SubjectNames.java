package org.openest.est.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/** Checks DNS names and IP addresses for subjectAltName, without ever resolving a name. */
final class SubjectNames {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private SubjectNames() {
    }

    /**
     * @param name a DNS name, optionally with a leading {@code *.} wildcard label
     * @return it unchanged
     * @throws UsageException if it is not a valid host name, or is an IP address
     */
    static String dnsName(String name) throws UsageException {
        if (IPAddress.isValid(name)) {
            throw new UsageException("--dns " + name + " is an IP address; use --ip " + name
                    + " (clients check IP addresses against IP SANs only)");
        }
        String rest = name.startsWith("*.") ? name.substring(2) : name;
        String[] labels = rest.split("\\.", -1);
        boolean valid = name.length() <= 253 && !rest.isEmpty();
        for (String label : labels) {
            valid &= LABEL.matcher(label).matches();
        }
        if (!valid) {
            throw new UsageException("--dns '" + name + "' is not a valid DNS name");
        }
        return name;
    }

    /**
     * @param address an IPv4 or IPv6 literal
     * @return it unchanged
     * @throws UsageException if it is not one (host names are never looked up)
     */
    static String ipAddress(String address) throws UsageException {
        if (!IPAddress.isValidIPv4(address) && !IPAddress.isValidIPv6(address)) {
            throw new UsageException("--ip '" + address + "' is not an IPv4 or IPv6 address"
                    + (address.toLowerCase(Locale.ROOT).matches(".*[g-z].*") ? " (use --dns for host names)" : ""));
        }
        return address;
    }

    /**
     * @param dnsNames checked DNS names
     * @param ipAddresses checked IP addresses
     * @return the subjectAltName with the DNS names first, then the IP addresses, each in the order given
     */
    static GeneralNames subjectAltName(List<String> dnsNames, List<String> ipAddresses) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }
}
