/**
 * warmpool's test kit: well- and badly-behaved worker programs and helpers to start them, for the
 * tests of the other modules. A main-scope jar so other modules can put it on their test class path;
 * nothing of it ships in the pool's own jars.
 *
 * <p>{@code requires transitive} the worker SDK because the workers are built on it (and use its
 * protocol constants), and the API because the helpers return its types ({@code WorkerSpec}). It
 * does not need the {@code jsonrpc} transport, so that transport's tests can use it.
 */
module dev.warmpool.testkit {
    requires transitive dev.warmpool.worker;
    requires transitive dev.warmpool.api;

    exports dev.warmpool.testkit;
    exports dev.warmpool.testkit.sshd;
}
