package dev.warmpool.transport.hosts;

/** A host could not be reached or used; the message names the host. Internal: starts turn it into a start failure. */
final class HostFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HostFailure(Host host, String what) {
        super("host " + host.uri() + ": " + what);
    }
}
