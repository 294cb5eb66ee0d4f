package dev.warmpool.worker.wire;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises Jackson failing to reach a type because its module keeps the package closed, and says
 * what to add. On the module path Jackson can only bind a record or bean whose package is opened (or
 * at least exported) to {@code com.fasterxml.jackson.databind}; the JDK then reports
 * {@code module app does not "opens app.model" to module com.fasterxml.jackson.databind}, deep in a
 * cause chain. Both ends of the protocol turn that into advice that names the line to add.
 *
 * <p>Thread-safe (stateless).
 */
public final class ModuleAccess {
    private static final Pattern CLOSED = Pattern.compile(
            "module (\\S+) does not \"(?:opens|exports) ([\\w.$]+)\" to module com\\.fasterxml\\.jackson\\.databind");

    private ModuleAccess() {
    }

    /**
     * Finds the {@code opens} line that a Jackson failure on the module path asks for.
     *
     * @param failure what Jackson threw
     * @return advice such as {@code add 'opens app.model to com.fasterxml.jackson.databind;' to the
     *     module-info.java of module app}, if the failure (or one of its causes) is a closed package
     */
    public static Optional<String> advice(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            Matcher m = CLOSED.matcher(message);
            if (m.find()) {
                return Optional.of("add 'opens " + m.group(2) + " to com.fasterxml.jackson.databind;' to the "
                        + "module-info.java of module " + m.group(1));
            }
        }
        return Optional.empty();
    }
}
