package org.openest.est.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed options of one command. Options are {@code --name value} or {@code --name=value}; flags take no value;
 * repeatable options collect every value. Anything else (an unknown option, a stray argument, a missing value, a
 * single-valued option given twice) is a {@link UsageException} naming it.
 */
final class Options {
    private final Map<String, List<String>> values;
    private final boolean help;

    private Options(Map<String, List<String>> values, boolean help) {
        this.values = values;
        this.help = help;
    }

    /** @return true if {@code --help} or {@code -h} was given */
    boolean help() {
        return help;
    }

    /**
     * @param name an option name such as {@code --out}
     * @return true if given (for flags)
     */
    boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * @param name an option name
     * @return its value if given
     */
    Optional<String> get(String name) {
        List<String> list = values.get(name);
        return list == null ? Optional.empty() : Optional.of(list.get(0));
    }

    /**
     * @param name an option name
     * @return its value
     * @throws UsageException if it was not given
     */
    String required(String name) throws UsageException {
        return get(name).orElseThrow(() -> new UsageException(name + " is required"));
    }

    /**
     * @param name an option name
     * @return its value as a path, if given
     */
    Optional<Path> path(String name) {
        return get(name).map(Path::of);
    }

    /**
     * @param name an option name
     * @return its value as a path
     * @throws UsageException if it was not given
     */
    Path requiredPath(String name) throws UsageException {
        return Path.of(required(name));
    }

    /**
     * @param name a repeatable option name
     * @return every value, in command-line order (empty if none)
     */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Which options a command accepts. */
    static final class Spec {
        private enum Kind { FLAG, VALUE, REPEATED }

        private final Map<String, Kind> kinds = new LinkedHashMap<>();

        /**
         * @param names options that take one value
         * @return this
         */
        Spec value(String... names) {
            return add(Kind.VALUE, names);
        }

        /**
         * @param names options that take a value and may be repeated
         * @return this
         */
        Spec repeated(String... names) {
            return add(Kind.REPEATED, names);
        }

        /**
         * @param names options without a value
         * @return this
         */
        Spec flag(String... names) {
            return add(Kind.FLAG, names);
        }

        private Spec add(Kind kind, String... names) {
            for (String name : names) {
                kinds.put(name, kind);
            }
            return this;
        }

        /**
         * @param args the arguments after the command words
         * @return the options
         * @throws UsageException on anything not in this spec (unless {@code --help} was given too)
         */
        Options parse(List<String> args) throws UsageException {
            Map<String, List<String>> values = new LinkedHashMap<>();
            UsageException problem = null;
            boolean help = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals("--help") || arg.equals("-h")) {
                    help = true;
                    continue;
                }
                int equals = arg.indexOf('=');
                String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
                Kind kind = kinds.get(name);
                if (kind == null) {
                    if (problem == null) {
                        problem = new UsageException(arg.startsWith("-")
                                ? "unknown option " + name : "unexpected argument '" + arg + "'");
                    }
                    continue;
                }
                String value;
                if (kind == Kind.FLAG) {
                    if (!name.equals(arg)) {
                        problem = problem != null ? problem : new UsageException(name + " takes no value");
                        continue;
                    }
                    value = "";
                } else if (!name.equals(arg)) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.size() && !kinds.containsKey(args.get(i + 1))
                        && !args.get(i + 1).equals("--help") && !args.get(i + 1).equals("-h")) {
                    value = args.get(++i);
                } else {
                    problem = problem != null ? problem : new UsageException(name + " needs a value");
                    continue;
                }
                List<String> list = values.computeIfAbsent(name, key -> new ArrayList<>());
                if (kind != Kind.REPEATED && !list.isEmpty()) {
                    problem = problem != null ? problem : new UsageException(name + " given more than once");
                    continue;
                }
                list.add(value);
            }
            if (problem != null && !help) {
                throw problem;
            }
            return new Options(values, help);
        }
    }
}
