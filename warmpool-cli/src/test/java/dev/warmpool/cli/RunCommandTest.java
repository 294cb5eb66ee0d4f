package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code warmpool run}, started as a real process. */
class RunCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<JsonNode> answers(Cli.Result r) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.lines()) {
            try {
                out.add(MAPPER.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("stdout holds a line that is not JSON: " + line + "\n" + r, e);
            }
        }
        return out;
    }

    private static Map<String, JsonNode> byId(List<JsonNode> answers) {
        return answers.stream().collect(Collectors.toMap(a -> a.get("id").asText(), a -> a));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void lineTransportWithCatAnswersEveryLine() {
        Cli.Result r = Cli.run("hello\nworld\n\"a JSON string\"\n{\"id\":\"x\",\"params\":\"from params\"}\n",
                Cli.with(List.of("cat"), "run", "--transport", "line", "--size", "2"));

        assertEquals(0, r.exit(), r::toString);
        Map<String, JsonNode> a = byId(answers(r));
        assertEquals(4, a.size(), r::toString);
        assertEquals("hello", a.get("1").get("result").asText());
        assertEquals("world", a.get("2").get("result").asText());
        assertEquals("a JSON string", a.get("3").get("result").asText());
        assertEquals("from params", a.get("x").get("result").asText());
        assertTrue(r.stderr().contains("4 requests, 4 ok, 0 failed"), r::toString);
        assertTrue(r.stderr().contains("processes started: 2"), r::toString);
        assertTrue(r.stderr().contains("latency: p50"), r::toString);
        assertTrue(r.stderr().contains("throughput:"), r::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void jsonResultsEmbedTheProgramsJsonAnswers() {
        Cli.Result r = Cli.run("{\"id\":1,\"params\":{\"a\":[1,2]}}\nnot json\n",
                Cli.with(List.of("cat"), "run", "--transport", "line", "--json-results", "--size", "1", "--ordered"));

        assertEquals(1, r.exit(), r::toString);
        List<JsonNode> a = answers(r);
        assertEquals(2, a.get(0).get("result").get("a").get(1).asInt(), r::toString);
        assertEquals("protocol", a.get(1).get("error").get("kind").asText(), r::toString);
        assertTrue(a.get(1).get("error").get("message").asText().contains("the answer was: not json"), r::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void jsonRpcWithTheDemoHandlerWorker() {
        List<String> worker = List.of(Cli.JAVA, "-cp", Cli.CLASS_PATH, Main.class.getName(), "demo-worker");
        String input = """
                {"id":1,"method":"execute_handler","params":{"handler_name":"say-something-nice","event":{"type":"user.joined","actor":"zoe"}}}
                {"id":"two","method":"execute_handler","params":{"handler_name":"count-words","event":{"text":"one two three"}}}
                """;

        Cli.Result r = Cli.run(input, Cli.with(worker, "run", "--size", "1"));

        assertEquals(0, r.exit(), r::toString);
        Map<String, JsonNode> a = byId(answers(r));
        JsonNode nice = a.get("1").get("result");
        assertTrue(nice.get("success").asBoolean(), r::toString);
        assertTrue(nice.get("output").asText().contains("Zoe"), r::toString);
        assertTrue(nice.get("stderr").asText().startsWith("say-something-nice:"), r::toString);
        assertTrue(a.get("two").get("result").get("output").asText().startsWith("3 words"), r::toString);
        assertTrue(a.get("1").get("id").isNumber() && a.get("two").get("id").isTextual(), "ids keep their JSON type");
        assertTrue(r.stderr().contains("processes started: 1 (jsonrpc"), r::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void malformedLinesAreEachAnsweredAndTheRestServed() {
        String input = String.join("\n",
                "{\"id\":1,\"method\":\"echo\",\"params\":{\"n\":1}}",
                "this is not JSON",
                "[1,2,3]",
                "",
                "{\"id\":\"u\",\"text\":\"params not wrapped\"}",
                "{\"id\":6,\"method\":\"echo\",\"params\":\"a scalar\"}",
                "{\"id\":7,\"params\":{}}",
                "{\"id\":8,\"method\":\"no-such-method\"}",
                "{\"id\":9,\"method\":\"echo\",\"params\":[9]}") + "\n";

        Cli.Result r = Cli.run(input, Cli.with(Cli.testWorker(), "run", "--size", "1"));

        assertEquals(1, r.exit(), r::toString);
        Map<String, JsonNode> a = byId(answers(r));
        assertEquals(8, a.size(), "one answer per line but the blank one\n" + r);
        assertEquals(1, a.get("1").get("result").get("n").asInt());
        assertEquals(9, a.get("9").get("result").get(0).asInt());
        for (String id : List.of("2", "3", "u", "6", "7")) {
            JsonNode error = a.get(id).get("error");
            assertEquals("bad-input", error.get("kind").asText(), () -> id + "\n" + r);
            assertTrue(error.get("message").asText().startsWith("line "), () -> id + "\n" + r);
        }
        assertTrue(a.get("2").get("error").get("message").asText().contains("not valid JSON"), r::toString);
        assertTrue(a.get("u").get("error").get("message").asText().contains("\"text\""), r::toString);
        JsonNode unknown = a.get("8").get("error");
        assertEquals("worker-error", unknown.get("kind").asText(), r::toString);
        assertEquals(-32601, unknown.get("code").asInt(), r::toString);
        assertTrue(r.stderr().contains("8 requests, 2 ok, 6 failed (worker-error 1, bad-input 5)"), r::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void completionOrderByDefaultInputOrderWithOrdered() {
        String input = """
                {"id":1,"method":"sleep","params":{"ms":1000}}
                {"id":2,"method":"echo","params":{}}
                {"id":3,"method":"echo","params":{}}
                """;

        Cli.Result unordered = Cli.run(input, Cli.with(Cli.testWorker(), "run", "--size", "2"));
        Cli.Result ordered = Cli.run(input, Cli.with(Cli.testWorker(), "run", "--size", "2", "--ordered"));

        assertEquals(0, unordered.exit(), unordered::toString);
        assertEquals(0, ordered.exit(), ordered::toString);
        assertEquals("1", answers(unordered).getLast().get("id").asText(), "the slow one answers last\n" + unordered);
        assertEquals(List.of("1", "2", "3"), answers(ordered).stream().map(a -> a.get("id").asText()).toList(),
                ordered::toString);
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void timeoutsAndCrashesAreAnsweredWithTheirKind() {
        String input = """
                {"id":"slow","method":"sleep","params":{"ms":20000}}
                {"id":"dies","method":"exit","params":{"status":3}}
                """;

        Cli.Result r = Cli.run(input, Cli.with(Cli.testWorker(), "run", "--size", "2", "--timeout", "1s"));

        assertEquals(1, r.exit(), r::toString);
        Map<String, JsonNode> a = byId(answers(r));
        assertEquals("timeout", a.get("slow").get("error").get("kind").asText(), r::toString);
        JsonNode crash = a.get("dies").get("error");
        assertEquals("crashed", crash.get("kind").asText(), r::toString);
        assertEquals(3, crash.get("code").asInt(), r::toString);
        assertTrue(crash.get("message").asText().contains("exiting with status 3"), "the stderr tail\n" + r);
        assertTrue(r.stderr().contains("timeout 1") && r.stderr().contains("crashed 1"), r::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void readsInputFileAndHonoursTheSizeVariable(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("requests.txt");
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 300; i++) {
            lines.append("line ").append(i).append('\n');
        }
        Files.writeString(file, lines);

        Cli.Result r = Cli.run("", Map.of("HANDLER_POOL_SIZE", "2"),
                Cli.with(List.of("cat"), "run", "--transport", "line", "--ordered", "--input", file.toString()));

        assertEquals(0, r.exit(), r::toString);
        List<JsonNode> a = answers(r);
        assertEquals(300, a.size());
        for (int i = 0; i < 300; i++) {
            assertEquals(i + 1, a.get(i).get("id").asInt());
            assertEquals("line " + (i + 1), a.get(i).get("result").asText());
        }
        assertTrue(r.stderr().contains("processes started: 2 (line; pool size 2"), r::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void oneshotStartsAProcessPerRequest() {
        Cli.Result r = Cli.run("a\nb\nc\n", Cli.with(List.of("cat"), "run", "--transport", "oneshot"));

        assertEquals(0, r.exit(), r::toString);
        assertEquals(List.of("a", "b", "c"), answers(r).stream()
                .sorted((x, y) -> x.get("id").asInt() - y.get("id").asInt())
                .map(x -> x.get("result").asText()).toList());
        assertTrue(r.stderr().contains("processes started: 3 (oneshot: one per request"), r::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aProgramThatCannotStartFailsWithItsName() {
        Cli.Result r = Cli.run("x\n", Cli.with(List.of("/no/such/program"), "run", "--transport", "line", "--size", "1"));

        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.stderr().contains("cannot start the pool of /no/such/program"), r::toString);
        assertEquals("", r.stdout(), r::toString);
    }
}
