package org.openest.est.ca;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Refuses a CA private key file (PEM key or PKCS#12 keystore) that every local user may read or write: the CA key
 * is the most valuable secret of the installation, and a world-readable copy on a shared host is a compromised
 * CA. Group access is left to the administrator (e.g. a {@code tomcat} group). On a file system without POSIX
 * permissions the check is skipped with a warning.
 */
public final class KeyFilePermissions {
    private static final Logger LOG = LogManager.getLogger(KeyFilePermissions.class);

    private KeyFilePermissions() {
    }

    /**
     * @param file a CA key file or keystore
     * @param what what the file is, for the message (e.g. "CA key file")
     * @throws IllegalStateException if others may read or write it; the message names the file and the fix
     * @throws IOException if its permissions cannot be read
     */
    public static void check(Path file, String what) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            LOG.warn("Cannot check the permissions of {} {} (not a POSIX file system); make sure only the server's"
                    + " account can read it", what, file);
            return;
        }
        boolean readable = permissions.contains(PosixFilePermission.OTHERS_READ);
        boolean writable = permissions.contains(PosixFilePermission.OTHERS_WRITE);
        if (readable || writable) {
            throw new IllegalStateException(what + " " + file + " is " + (readable ? "readable" : "")
                    + (readable && writable ? " and " : "") + (writable ? "writable" : "") + " by every user (mode "
                    + PosixFilePermissions.toString(permissions) + "); restrict it to the server's account: chmod 600 "
                    + file);
        }
    }
}
