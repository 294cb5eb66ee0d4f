package dev.warmpool.api;

import dev.warmpool.api.spi.PluginSettings;
import java.io.Serial;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A transport or scaling policy was asked for by a name that no available provider has. When a found
 * name is close to the one asked for, the message asks whether that was meant ("no transport named
 * 'jsonrcp'; did you mean 'jsonrpc'?"); otherwise it lists the names found and says what to add.
 */
public final class ProviderNotFoundException extends WorkerPoolException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The name asked for. */
    private final String requested;
    /** The names found, sorted. */
    private final List<String> available;
    /** The nearest found name, or null when none is close. */
    private final @Nullable String suggestion;

    /**
     * Creates the failure, suggesting the nearest found name when it looks like a typo of the requested one.
     *
     * @param kind what was looked for, e.g. "transport"
     * @param requested the name asked for
     * @param available the names that were found, sorted
     * @param hint what to add when no found name is close, e.g. "Add dev.warmpool:transport-claude to the class path."
     */
    public ProviderNotFoundException(String kind, String requested, List<String> available, String hint) {
        this(kind, requested, available, hint, PluginSettings.nearest(requested, available).orElse(null));
    }

    private ProviderNotFoundException(String kind, String requested, List<String> available, String hint,
                                      @Nullable String suggestion) {
        super(message(kind, requested, available, hint, suggestion));
        this.requested = requested;
        this.available = List.copyOf(available);
        this.suggestion = suggestion;
    }

    private static String message(String kind, String requested, List<String> available, String hint,
                                  @Nullable String suggestion) {
        String found = available.isEmpty() ? "none" : String.join(", ", available);
        return suggestion != null
                ? "no " + kind + " named '" + requested + "'; did you mean '" + suggestion + "'? (found " + found + ")"
                : "no " + kind + " named '" + requested + "' was found; found " + found + ". " + hint;
    }

    /** {@return the name that was asked for} */
    public String requested() {
        return requested;
    }

    /** {@return the names of the available providers, sorted} */
    public List<String> available() {
        return available;
    }

    /** {@return the available name closest to the requested one, if it is close enough to be a typo} */
    public Optional<String> suggestion() {
        return Optional.ofNullable(suggestion);
    }
}
