package dev.warmpool.cli;

import dev.warmpool.api.PoolConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How {@code run} and {@code bench} start the user's worker program: transport, environment, directory. */
final class WorkerOptions {
    @Option(names = {"-t", "--transport"}, paramLabel = "NAME", defaultValue = "jsonrpc",
            description = {"How to talk to the program (default: ${DEFAULT-VALUE}):",
                    "  jsonrpc  JSON-RPC 2.0 frames, one per line: a warmpool worker;",
                    "  line     one line in, one line out: unmodified programs such as cat, jq --unbuffered -c .,"
                            + " python3 -u filter.py;",
                    "  oneshot  a new process per request: the line on stdin, all of stdout is the answer;",
                    "  claude   warm Claude Code CLIs (CMD is claude and its options): execute_handler or prompt."})
    String transport;

    @Option(names = "--host", paramLabel = "URI",
            description = {"Run the workers on this host (repeatable; default: $WARMPOOL_HOSTS, else this machine"
                    + " alone): local, ssh://[user@]host[:port] (?weight=N&max=N optional), or exec:WORDS, a launcher"
                    + " such as 'exec:docker exec -i box'. The workers are spread over the hosts; see docs/hosts.md."})
    List<String> hosts = new ArrayList<>();

    @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE",
            description = "Set a variable in the workers' environment (repeatable).")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--inherit-env",
            description = "Give the workers this process's whole environment. By default they get only a few "
                    + "of its variables (listed here at run time from the pool's own list), so secrets stay here.")
    boolean inheritEnv;

    @Option(names = {"-C", "--dir"}, paramLabel = "DIR", description = "The workers' working directory.")
    Path dir;

    /** @return whether requests are text lines ({@code line}, {@code oneshot}) rather than JSON-RPC calls */
    boolean lineProtocol() {
        return transport.equals("line") || transport.equals("oneshot");
    }

    /**
     * Sets the command, transport, environment and directory on {@code b}.
     *
     * @param spec the command, for error messages
     * @param b the builder
     * @param command the program and its arguments
     * @return {@code b}
     * @throws ParameterException if a value is bad
     */
    PoolConfig.Builder apply(CommandSpec spec, PoolConfig.Builder b, List<String> command) {
        if (command == null || command.isEmpty()) {
            throw new ParameterException(spec.commandLine(),
                    "missing the worker program: give it after --, e.g. -- python3 -u worker.py");
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "invalid value for option '--dir': '" + dir
                    + "' is not a directory");
        }
        try {
            b.command(command).transport(transport);
            env.forEach(b::environment);
            if (inheritEnv) {
                b.inheritAllEnvironment();
            }
            if (dir != null) {
                b.directory(dir);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return b;
    }
}
