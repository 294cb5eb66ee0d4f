package dev.warmpool.api;

import java.io.Serial;
import java.util.List;

/**
 * A transport or scaling policy was asked for by a name that no available provider has. The message
 * names the module to add and lists the names that were found.
 */
public final class ProviderNotFoundException extends WorkerPoolException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String requested;
    private final List<String> available;

    /**
     * @param kind what was looked for, e.g. "transport"
     * @param requested the name asked for
     * @param available the names that were found, sorted
     * @param hint what to add, e.g. "add the dev.warmpool:transport-jsonrpc artifact"
     */
    public ProviderNotFoundException(String kind, String requested, List<String> available, String hint) {
        super("no " + kind + " named '" + requested + "' was found; found " + (available.isEmpty()
                ? "none" : String.join(", ", available)) + ". " + hint);
        this.requested = requested;
        this.available = List.copyOf(available);
    }

    /** @return the name that was asked for */
    public String requested() {
        return requested;
    }

    /** @return the names of the available providers, sorted */
    public List<String> available() {
        return available;
    }
}
