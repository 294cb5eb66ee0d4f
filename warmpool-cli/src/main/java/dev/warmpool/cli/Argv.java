package dev.warmpool.cli;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Shows a command line to a person the way a shell would need it typed, so its words stay apart. */
final class Argv {
    /** Words a POSIX shell takes as they are: nothing to quote. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private Argv() {
    }

    /**
     * @param argv a program and its arguments
     * @return them joined by spaces, each word that a shell would split or interpret in single
     *     quotes: {@code bash -c 'echo hi >&2'}
     */
    static String display(List<String> argv) {
        return argv.stream().map(Argv::quote).collect(Collectors.joining(" "));
    }

    private static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
