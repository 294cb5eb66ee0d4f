package dev.warmpool.benchmarks;

import dev.warmpool.worker.WorkerServer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The JVM worker of the JSON-RPC benchmarks: the worker SDK with one method, {@code echo}, that
 * answers with its params. Serves stdin and stdout until stdin reaches end-of-file.
 *
 * <p>With the argument {@code inline} the handlers run on the thread that reads stdin instead of a
 * new virtual thread per request (a diagnostic of {@link PathCostBenchmark}: what the SDK's hand-off
 * to the handler's thread costs; such a worker cannot see a cancellation while a handler runs).
 */
public final class JsonRpcEchoWorker {
    private JsonRpcEchoWorker() {
    }

    /**
     * @param args ignored
     * @throws IOException if stdin fails
     */
    public static void main(String[] args) throws IOException {
        WorkerServer.Builder b = WorkerServer.builder()
                .name("benchmarks-echo")
                .method(Programs.METHOD, (params, context) -> params);
        if (args.length > 0 && args[0].equals("inline")) {
            b.executor(new InlineExecutor());
        }
        b.build().serve();
    }

    /** Runs each task on the thread that submits it. */
    static final class InlineExecutor extends AbstractExecutorService {
        private volatile boolean shutdown;

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
