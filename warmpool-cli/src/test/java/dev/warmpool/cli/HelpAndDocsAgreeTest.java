package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.warmpool.api.PoolConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code run --help}, {@code docs/command.md} and the code tell the same story: one list of error
 * kinds ({@link Failure.Kind}), one list of inherited variables
 * ({@link PoolConfig#DEFAULT_INHERITED_ENVIRONMENT}), one grace and the same signals.
 */
class HelpAndDocsAgreeTest {
    private static final Path DOCS = Path.of("..", "docs", "command.md");

    private static String help(String command) {
        StringWriter out = new StringWriter();
        int exit = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                command, "--help");
        assertEquals(0, exit);
        return out.toString();
    }

    /** @return the text with every run of white space as one space, so wrapped help lines read as one */
    private static String flat(String s) {
        return s.replaceAll("\\s+", " ");
    }

    @Test
    void theDocsListExactlyTheErrorKindsOfTheCodeWithTheSameMeaning() throws IOException {
        String docs = Files.readString(DOCS);
        String section = docs.substring(docs.indexOf("### Error kinds"), docs.indexOf("### When the pool cannot start"));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z-]+)` \\| (.+) \\|$").matcher(section);
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }
        Map<String, String> code = new LinkedHashMap<>();
        for (Failure.Kind k : Failure.Kind.values()) {
            code.put(k.label(), k.meaning());
        }

        assertEquals(code, documented);
    }

    @Test
    void runHelpListsEveryErrorKindWithItsMeaning() {
        String help = flat(help("run"));

        for (Failure.Kind k : Failure.Kind.values()) {
            assertTrue(help.contains(k.label() + " " + flat(k.meaning())), k.label() + " in:\n" + help);
        }
    }

    @Test
    void helpDocsAndCodeNameTheSameInheritedVariables() throws IOException {
        String list = String.join(", ", PoolConfig.DEFAULT_INHERITED_ENVIRONMENT);
        assertEquals(list, RunHelp.inheritedVariables());

        assertTrue(Files.readString(DOCS).contains("only these of its variables: " + list + ".\n"), "docs/command.md");
        for (String command : new String[] {"run", "bench"}) {
            String help = flat(help(command));
            assertTrue(help.contains("--inherit-env Give the workers this process's whole environment. By default they "
                    + "get only these of its variables, so secrets stay here: " + list + "."), command + ":\n" + help);
        }
        assertTrue(flat(help("run")).contains("Workers' environment: only " + list + " of this process's variables"));
    }

    @Test
    void helpAndDocsDescribeTheSignalsAndTheGraceOfTheCode() throws IOException {
        String grace = RunHelp.seconds(RunHelp.shutdownGrace());
        assertEquals("30 s", grace, "the pool's default shutdown grace");
        String help = flat(help("run"));
        String docs = flat(Files.readString(DOCS));

        assertTrue(help.contains("SIGTERM or Ctrl-C (SIGINT) stops reading input and gives the requests already read "
                + "up to " + grace + " (the shutdown grace) to finish"), help);
        assertTrue(docs.contains("SIGTERM or Ctrl-C (SIGINT) stops reading input and gives the requests already read "
                + "up to " + grace + " (the pool's shutdown grace) to finish"), "docs/command.md");
        for (String text : new String[] {"A second signal", "130", "143"}) {
            assertTrue(help.contains(text), text + " in help");
            assertTrue(docs.contains(text), text + " in docs");
        }
        assertEquals(130, Signals.exitStatus("INT"));
        assertEquals(143, Signals.exitStatus("TERM"));
    }
}
