package dev.warmpool.cli;

import dev.warmpool.api.PoolConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The help text of {@code warmpool run} that is written from the code's own lists rather than
 * typed twice: the error kinds ({@link Failure.Kind}), the variables workers inherit
 * ({@link PoolConfig#DEFAULT_INHERITED_ENVIRONMENT}), the signals and the shutdown grace. Picocli
 * takes annotation text as constants, so these sections are set on the parsed command model.
 * {@code docs/command.md} carries the same lists; a test checks that they agree.
 */
final class RunHelp {
    private static final int WIDTH = 100;
    /** Stands for a space that {@link #wrap} must not break at ("30 s"). */
    private static final char KEEP = '\u00a0';

    private RunHelp() {
    }

    /** @return the variables a worker inherits by default, comma-separated, in the code's order */
    static String inheritedVariables() {
        return String.join(", ", PoolConfig.DEFAULT_INHERITED_ENVIRONMENT);
    }

    /** @return how long a signal lets the requests already read finish: the pool's default shutdown grace */
    static Duration shutdownGrace() {
        return PoolConfig.builder().command("warmpool").build().shutdownGrace();
    }

    /**
     * Sets the generated sections on the command model: the {@code run} footer, and the
     * {@code --inherit-env} description of every command that has it.
     *
     * @param root the {@code warmpool} command line
     */
    static void apply(CommandLine root) {
        for (CommandLine sub : root.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            List<OptionSpec> options = new ArrayList<>(spec.options());
            int at = options.indexOf(spec.findOption("--inherit-env"));
            if (at >= 0) {
                // re-added in their order, so the option keeps its place in the help
                List<OptionSpec> tail = options.subList(at, options.size());
                tail.forEach(spec::remove);
                spec.addOption(OptionSpec.builder(tail.get(0)).description(inheritEnvDescription()).build());
                tail.subList(1, tail.size()).forEach(spec::addOption);
            }
        }
        CommandSpec run = root.getSubcommands().get("run").getCommandSpec();
        List<String> footer = new ArrayList<>(kinds());
        footer.addAll(signals());
        footer.addAll(List.of(run.usageMessage().footer()));
        run.usageMessage().footer(footer.toArray(String[]::new));
    }

    private static String inheritEnvDescription() {
        return "Give the workers this process's whole environment. By default they get only these of its "
                + "variables, so secrets stay here: " + inheritedVariables() + ".";
    }

    /** @return the answer kinds, one per line, as the footer shows them */
    static List<String> kinds() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Error kinds (\"kind\" in an error answer):");
        for (Failure.Kind k : Failure.Kind.values()) {
            lines.addAll(wrap(String.format(Locale.ROOT, "  %-14s", k.label()), k.meaning()));
        }
        return lines;
    }

    private static List<String> signals() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.addAll(wrap("Signals: ", "SIGTERM or Ctrl-C (SIGINT) stops reading input and gives the requests "
                + "already read up to " + seconds(shutdownGrace()).replace(' ', KEEP) + " (the "
                + "shutdown grace) to finish; any still running then is answered rejected. A second signal "
                + "stops at once: the workers are killed and every request not yet answered is answered "
                + "rejected. Every request read is answered either way. Exit status after a signal: 128 + its "
                + "number (130 for Ctrl-C, 143 for SIGTERM)."));
        lines.addAll(wrap("Workers' environment: ", "only " + inheritedVariables() + " of this process's variables "
                + "(--inherit-env: all of them; -e NAME=VALUE sets one)."));
        return lines;
    }

    /**
     * @param d a duration
     * @return it for a person: {@code 30 s}, {@code 1.5 s}
     */
    static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        return (s == Math.rint(s) ? String.format(Locale.ROOT, "%.0f", s) : String.valueOf(s)) + " s";
    }

    /** Wraps {@code text} to the help width after {@code lead}, indenting the following lines to match it. */
    private static List<String> wrap(String lead, String text) {
        List<String> lines = new ArrayList<>();
        String indent = " ".repeat(lead.length());
        StringBuilder line = new StringBuilder(lead);
        for (String word : text.split(" ")) {
            if (line.length() > lead.length() && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length() && !line.toString().endsWith(" ")) {
                line.append(' ');
            }
            line.append(word.replace("%", "%%").replace(KEEP, ' '));
        }
        lines.add(line.toString());
        return lines;
    }
}
