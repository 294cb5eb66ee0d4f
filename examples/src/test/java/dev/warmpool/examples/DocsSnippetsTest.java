package dev.warmpool.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Java snippet in the README and in {@code docs/} is a copy of code the build compiles: its
 * lines (indentation and blank lines aside) stand, in order and together, in some source file of
 * the repository (whole-line comments aside). A line {@code // ...} in a snippet elides code: the parts before and after it
 * must stand in that order in the same file. A snippet that was edited in the docs alone, or whose
 * code was changed or removed, fails here with the file and the snippet's first line.
 */
class DocsSnippetsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    record Snippet(String doc, int number, List<String> lines) {
        @Override
        public String toString() {
            return doc + " #" + number + " (" + (lines.isEmpty() ? "" : lines.get(0)) + ")";
        }
    }

    static List<Snippet> snippets() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<Snippet> all = new ArrayList<>();
        for (Path doc : docs) {
            Matcher m = JAVA_BLOCK.matcher(Files.readString(doc));
            int n = 0;
            while (m.find()) {
                all.add(new Snippet(ROOT.relativize(doc).toString(), ++n, normalized(m.group(1))));
            }
        }
        return all;
    }

    /** The code's lines without indentation, blank lines and whole-line comments (Javadoc included). */
    private static List<String> normalized(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty())
                .filter(l -> l.equals("// ...") || !(l.startsWith("//") || l.startsWith("/*") || l.startsWith("*")))
                .toList();
    }

    private static List<List<String>> sources() {
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .map(p -> {
                        try {
                            return normalized(Files.readString(p));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<List<String>> sources;

    @ParameterizedTest
    @MethodSource("snippets")
    void everyJavaSnippetIsCompiledCode(Snippet snippet) {
        assertFalse(snippet.lines().isEmpty(), snippet + " is empty");
        if (sources == null) {
            sources = sources();
        }
        List<List<String>> parts = parts(snippet.lines());
        boolean found = sources.stream().anyMatch(src -> containsInOrder(src, parts));
        assertTrue(found, snippet + " is not a copy of any compiled source file's lines:\n"
                + String.join("\n", snippet.lines()));
    }

    /** The snippet's runs of lines between {@code // ...} elisions. */
    private static List<List<String>> parts(List<String> lines) {
        List<List<String>> parts = new ArrayList<>();
        List<String> part = new ArrayList<>();
        for (String l : lines) {
            if (l.equals("// ...")) {
                if (!part.isEmpty()) {
                    parts.add(part);
                }
                part = new ArrayList<>();
            } else {
                part.add(l);
            }
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }

    private static boolean containsInOrder(List<String> source, List<List<String>> parts) {
        int from = 0;
        for (List<String> run : parts) {
            int at = indexOfRun(source, run, from);
            if (at < 0) {
                return false;
            }
            from = at + run.size();
        }
        return true;
    }

    private static int indexOfRun(List<String> source, List<String> run, int from) {
        outer:
        for (int i = from; i + run.size() <= source.size(); i++) {
            for (int j = 0; j < run.size(); j++) {
                if (!source.get(i + j).equals(run.get(j))) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
