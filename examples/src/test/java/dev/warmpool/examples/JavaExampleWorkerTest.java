package dev.warmpool.examples;

import java.util.List;

/** {@link EchoWorker}, the Java example worker written with the SDK, served by a pool. */
class JavaExampleWorkerTest extends ExampleWorkerContract {
    @Override
    List<String> command() {
        return Processes.javaWorker();
    }
}
