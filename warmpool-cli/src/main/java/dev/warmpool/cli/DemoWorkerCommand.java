package dev.warmpool.cli;

import dev.warmpool.cli.demo.HandlerWorker;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code warmpool demo-worker}: serves the demo's handlers as a JSON-RPC worker on stdin and
 * stdout, so {@code run} and {@code bench} can use it like any other worker program.
 */
@Command(name = "demo-worker", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        usageHelpWidth = 100,
        header = "The demo's handler worker (JSON-RPC on stdin/stdout), to try run and bench on.",
        description = {
                "Serves execute_handler {\"handler_name\":..,\"event\":{..}} -> {\"success\":..,\"output\":..,\"stderr\":..}",
                "and list_handlers on stdin and stdout until stdin ends: the worker `warmpool demo` starts.",
                ""},
        footer = {"",
                "Examples:",
                "  echo '{\"id\":1,\"method\":\"list_handlers\"}' | ./warmpool run --size 1 -- ./warmpool demo-worker",
                "  ./warmpool bench --method execute_handler \\",
                "      --params '{\"handler_name\":\"count-words\",\"event\":{\"text\":\"a b c\"}}' -- ./warmpool demo-worker"})
final class DemoWorkerCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        HandlerWorker.main(new String[0]);
        return 0;
    }
}
