package dev.warmpool.api;

import java.util.List;

/** Renders a stderr tail for an exception message. */
final class StderrTail {
    private StderrTail() {
    }

    static String describe(List<String> tail) {
        if (tail.isEmpty()) {
            return "; its stderr was empty";
        }
        return "; last stderr lines:\n  " + String.join("\n  ", tail);
    }
}
