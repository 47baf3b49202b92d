package org.openest.est.ca;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilePermissionsTest {
    @TempDir
    Path dir;

    private Path keyWithMode(String mode) throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path file = dir.resolve("ca-key-" + mode.replace('-', '_') + ".pem");
        Files.writeString(file, "key");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void ownerOnlyAndGroupReadableAreAccepted() throws Exception {
        assertThatCode(() -> KeyFilePermissions.check(keyWithMode("rw-------"), "CA key file"))
                .doesNotThrowAnyException();
        assertThatCode(() -> KeyFilePermissions.check(keyWithMode("rw-r-----"), "CA key file"))
                .doesNotThrowAnyException();
    }

    @Test
    void worldReadableOrWritableIsRefusedNamingTheFileAndTheFix() throws Exception {
        Path readable = keyWithMode("rw-r--r--");
        assertThatThrownBy(() -> KeyFilePermissions.check(readable, "CA key file"))
                .hasMessageContaining(readable.toString()).hasMessageContaining("readable by every user")
                .hasMessageContaining("chmod 600 " + readable);
        Path writable = keyWithMode("rw-----w-");
        assertThatThrownBy(() -> KeyFilePermissions.check(writable, "CA keystore"))
                .hasMessageContaining("CA keystore " + writable).hasMessageContaining("writable by every user");
    }
}
