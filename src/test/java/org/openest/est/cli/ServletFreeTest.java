package org.openest.est.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openest.est.cli.Cli.s;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/est-admin runs with WEB-INF/classes and WEB-INF/lib only, where the servlet API (provided by the container) is
 * absent. Every command runs here in a class loader that refuses jakarta.servlet classes.
 */
class ServletFreeTest {
    @TempDir
    Path dir;

    /** Loads this project's classes itself (so their references resolve through it) and hides the servlet API. */
    private static final class NoServletLoader extends ClassLoader {
        private final List<String> refused = new ArrayList<>();

        NoServletLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("jakarta.servlet")) {
                    refused.add(name);
                    throw new ClassNotFoundException(name + " is hidden from the CLI");
                }
                if (!name.startsWith("org.openest.est.")) {
                    return super.loadClass(name, resolve);
                }
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        loaded = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }

    @Test
    void everyCommandRunsWithoutTheServletApi() throws Exception {
        NoServletLoader loader = new NoServletLoader(getClass().getClassLoader());
        Class<?> admin = loader.loadClass(EstAdmin.class.getName());
        assertThat(admin.getClassLoader()).isSameAs(loader);
        Method run = admin.getMethod("run", String[].class, InputStream.class, PrintStream.class, PrintStream.class);
        Path root = dir.resolve("root");
        Path device = dir.resolve("device");
        Path ca = device.resolve("ca-chain.pem");
        Path key = device.resolve("ca-key.pem");
        List<String[]> commands = List.of(
                new String[] {"--help"},
                new String[] {"ca", "create", "--out", s(root)},
                new String[] {"ca", "create-intermediate", "--issuer-cert", s(root.resolve("ca.pem")),
                    "--issuer-key", s(root.resolve("ca-key.pem")), "--out", s(device)},
                new String[] {"ca", "import", "--cert", s(ca), "--key", s(key), "--out", s(dir.resolve("imported"))},
                new String[] {"tls", "server", "--ca-cert", s(ca), "--ca-key", s(key), "--out", s(dir.resolve("tls")),
                    "--dns", "localhost"},
                new String[] {"ra", "issue", "--ca-cert", s(ca), "--ca-key", s(key), "--subject", "CN=ra",
                    "--out", s(dir.resolve("ra"))},
                new String[] {"password", "hash"},
                new String[] {"chain", "list", "--ca-cert", s(ca)},
                new String[] {"chain", "export", "--ca-cert", s(ca)},
                new String[] {"dev-setup", "--home", s(dir.resolve("dev"))});
        for (String[] command : commands) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Object exit = run.invoke(null, command, new ByteArrayInputStream("pw\n".getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).as(String.join(" ", command) + ": " + err).isEqualTo(0);
        }
        assertThat(loader.refused).isEmpty();
        assertThat(Files.exists(dir.resolve("ra/ra.p12"))).isTrue();
    }
}
