package dev.warmpool.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code warmpool} command: {@code run}, {@code bench}, {@code listen} and {@code demo}.
 *
 * <p>Exit status: 0 when every request succeeded, 1 when one did not (or the pool could not
 * start), 2 when the arguments or the {@code HANDLER_POOL_*} variables are bad — with a message on
 * stderr that says what is wrong — and 128 plus the signal's number when {@code run} was stopped
 * by SIGINT or SIGTERM.
 */
@Command(name = "warmpool",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        usageHelpWidth = 100,
        description = {
                "Keeps a pool of warm worker processes and sends them requests over stdin/stdout,",
                "instead of starting a process per request.",
                ""},
        subcommands = {RunCommand.class, BenchCommand.class, ListenCommand.class, DemoCommand.class, DemoWorkerCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"",
                "Examples:",
                "  ./warmpool demo",
                "  printf '%%s\\n' hello world | ./warmpool run --transport line -- cat",
                "  ./warmpool bench --requests 200 -- python3 -u examples/python/worker.py",
                "  ./warmpool listen --project /srv/my-project --events events.jsonl",
                "",
                "Exit status: 0 every request succeeded, 1 a request failed, 2 bad arguments, 128+N after",
                "signal N (run).",
                "Reference: docs/command.md."})
public final class Main implements Runnable {
    /** Exit status for bad arguments or bad environment variables. */
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    private Main(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** @return the environment the commands read the {@code HANDLER_POOL_*} variables from */
    Map<String, String> environment() {
        return environment;
    }

    /**
     * Runs the command and exits the JVM with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command without exiting.
     *
     * @param args the command line
     * @return the exit status
     */
    static int execute(String... args) {
        return execute(System.getenv(), new PrintWriter(System.out, true, System.out.charset()),
                new PrintWriter(System.err, true, System.err.charset()), args);
    }

    /**
     * Runs the command without exiting, with the given environment and writers for picocli's help
     * and error messages (the commands' own output still goes to {@code System.out} and
     * {@code System.err}).
     *
     * @param environment where the {@code HANDLER_POOL_*} variables are read
     * @param out receives help and version text
     * @param err receives usage errors
     * @param args the command line
     * @return the exit status
     */
    static int execute(Map<String, String> environment, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(new Main(environment));
        // everything after the program's name belongs to the program: run -- python3 -u w.py, or run cat -n
        cmd.setStopAtPositional(true);
        cmd.setParameterExceptionHandler(Main::badArguments);
        cmd.setExecutionExceptionHandler((e, line, parsed) -> {
            // in words first; the type of an unexpected exception comes after them
            line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + Failure.of(e).message());
            return 1;
        });
        RunHelp.apply(cmd);
        cmd.setOut(out);
        cmd.setErr(err);
        return cmd.execute(args);
    }

    private static int badArguments(ParameterException e, String[] args) {
        CommandLine line = e.getCommandLine();
        PrintWriter err = line.getErr();
        String name = line.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage());
        err.println("Try '" + name + " --help' for more.");
        err.flush();
        return EXIT_USAGE;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing the command: run, bench, listen or demo");
    }

    /** Reads the version the build wrote into {@code warmpool-cli.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/warmpool-cli.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"warmpool " + p.getProperty("version", "unknown"),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"};
        }
    }
}
