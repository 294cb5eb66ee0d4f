package dev.warmpool.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The README's Java code is a copy of compiled regions of the examples; this keeps the copies in step. */
class ReadmeTest {

    @ParameterizedTest
    @CsvSource({"QuickStart.java, quickstart", "MinimalWorker.java, worker"})
    void theReadmeQuotesTheCompiledRegion(String file, String region) throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/warmpool/examples", file));
        String start = "// @start region=\"" + region + "\"";
        int from = source.indexOf(start);
        int to = source.indexOf("// @end", from);
        assertTrue(from >= 0 && to > from, "no region " + region + " in " + file);
        String body = source.substring(from + start.length(), to).lines()
                .filter(l -> !l.isBlank())
                .map(l -> l.startsWith("        ") ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("../README.md"));
        assertTrue(readme.contains("```java\n" + body + "\n```"),
                "README.md does not contain the " + region + " region of " + file + " verbatim:\n" + body);
    }

    @Test
    void theReadmeShowsWhatTheQuickStartPrints() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        assertTrue(readme.contains("```\n" + QuickStartTest.EXPECTED + "```"),
                "README.md does not show the quick start's output as QuickStartTest checks it:\n" + QuickStartTest.EXPECTED);
    }
}
