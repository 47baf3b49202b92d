package org.openest.est.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openest.est.ca.DevPki;

/**
 * The files one command writes into its {@code --out} directory. All of them are checked before the first is
 * written: an existing one stops the command unless {@code --force}. Secret files are created owner-only.
 */
final class Outputs {
    private final Path dir;
    private final boolean force;
    private final List<Path> planned = new ArrayList<>();
    private final Map<Path, String> written = new LinkedHashMap<>();

    private Outputs(Path dir, boolean force) {
        this.dir = dir.toAbsolutePath().normalize();
        this.force = force;
    }

    /**
     * @param options options with {@code --out DIR} and the {@code --force} flag
     * @return the output plan
     * @throws UsageException if {@code --out} is missing
     */
    static Outputs of(Options options) throws UsageException {
        return new Outputs(options.requiredPath("--out"), options.has("--force"));
    }

    /**
     * @param name a file name
     * @return its path in the output directory, now planned
     */
    Path file(String name) {
        Path file = dir.resolve(name);
        planned.add(file);
        return file;
    }

    /**
     * Creates the directory and checks that no planned file exists (unless forced).
     *
     * @throws IOException if the directory cannot be created
     * @throws CliException if a planned file exists and {@code --force} was not given
     */
    void prepare() throws IOException, CliException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CliException(dir + " is not a directory");
        }
        List<String> existing = new ArrayList<>();
        for (Path file : planned) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                existing.add(file.toString());
            }
        }
        if (!existing.isEmpty() && !force) {
            throw new CliException(String.join(", ", existing) + (existing.size() == 1 ? " already exists" :
                    " already exist") + "; use --force to replace " + (existing.size() == 1 ? "it" : "them"));
        }
        Files.createDirectories(dir);
    }

    /**
     * @param file a planned file
     * @param text its content (ASCII)
     * @param what a short description for the summary
     * @throws IOException on failure
     */
    void writePublic(Path file, String text, String what) throws IOException {
        writePublic(file, text.getBytes(StandardCharsets.US_ASCII), what);
    }

    /**
     * @param file a planned file
     * @param bytes its content
     * @param what a short description for the summary
     * @throws IOException on failure
     */
    void writePublic(Path file, byte[] bytes, String what) throws IOException {
        Files.deleteIfExists(file);
        Files.write(file, bytes);
        written.put(file, what);
    }

    /**
     * Writes a file readable by its owner only (mode 600 from creation on).
     *
     * @param file a planned file
     * @param text its content (ASCII)
     * @param what a short description for the summary
     * @throws IOException on failure
     */
    void writeSecret(Path file, String text, String what) throws IOException {
        writeSecret(file, text.getBytes(StandardCharsets.US_ASCII), what);
    }

    /**
     * @param file a planned file
     * @param bytes its content
     * @param what a short description for the summary
     * @throws IOException on failure
     */
    void writeSecret(Path file, byte[] bytes, String what) throws IOException {
        DevPki.writeOwnerOnly(file, bytes);
        written.put(file, what + ", mode 600");
    }

    /**
     * Prints one line per written file.
     *
     * @param out where to
     */
    void printSummary(PrintStream out) {
        int width = written.keySet().stream().mapToInt(file -> file.toString().length()).max().orElse(0);
        written.forEach((file, what) -> out.println("  " + pad(file.toString(), width) + "  " + what));
    }

    /**
     * @param key a property key
     * @param file a file
     * @return {@code key=/absolute/file} with backslashes escaped for a properties file
     */
    static String property(String key, Path file) {
        return key + "=" + file.toAbsolutePath().normalize().toString().replace("\\", "\\\\");
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
