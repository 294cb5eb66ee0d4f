package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warmpool.api.PoolConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    void whenThePoolCannotStartEveryLineIsAnsweredWithTheStartFailureAndItsStderr() {
        List<String> program = List.of("bash", "-c", "echo 'boom: no config' >&2; exit 3");

        // jsonrpc: a worker is ready only after its handshake, so this one can never start
        Cli.Result r = Cli.run("{\"id\":1,\"method\":\"echo\"}\nnot json\n{\"id\":3,\"method\":\"echo\"}\n",
                Cli.with(program, "run", "--size", "1", "--ordered"));

        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.stderr().contains("cannot start the pool of bash -c 'echo '\\''boom: no config'\\'' >&2; exit 3'"),
                "the program shown as a shell would need it typed\n" + r);
        List<JsonNode> a = answers(r);
        assertEquals(List.of("rejected", "bad-input", "rejected"),
                a.stream().map(x -> x.path("error").path("kind").asText()).toList(), r::toString);
        for (JsonNode rejected : List.of(a.get(0), a.get(2))) {
            String message = rejected.path("error").path("message").asText();
            assertTrue(message.startsWith("not sent: the pool could not start: "), message);
            assertTrue(message.contains("code 3") && message.contains("boom: no config"),
                    "the start failure with the worker's stderr: " + message);
        }
        assertTrue(r.stderr().contains("3 requests, 0 ok, 3 failed (rejected 2, bad-input 1)"), r::toString);
        assertTrue(r.stderr().contains("the pool could not start: every request was answered rejected"), r::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void requestsOverTheFrameLimitAreBadInputInWords() {
        String big = "y".repeat(1500);
        // line 3 fits the input limit (1,024 bytes) but not as a frame, which adds the line break
        String input = "short\n" + big + "\n" + "z".repeat(1024) + "\nafter\n";

        Cli.Result r = Cli.run(input, Cli.with(List.of("cat"), "run", "--transport", "line", "--size", "1",
                "--max-frame-bytes", "1024"));

        assertEquals(1, r.exit(), r::toString);
        Map<String, JsonNode> a = byId(answers(r));
        assertEquals("short", a.get("1").get("result").asText(), r::toString);
        assertEquals("after", a.get("4").get("result").asText(), "the lines after an oversize one are served\n" + r);
        String skipped = a.get("2").path("error").path("message").asText();
        assertEquals("bad-input", a.get("2").path("error").path("kind").asText(), r::toString);
        assertEquals("line 2 is 1,500 bytes long, over the frame limit of 1,024 bytes (--max-frame-bytes, default "
                + "16 MiB); it was skipped unread", skipped);
        String framed = a.get("3").path("error").path("message").asText();
        assertEquals("bad-input", a.get("3").path("error").path("kind").asText(), r::toString);
        assertEquals("line 3: the request is 1,025 bytes as a line frame, over the frame limit of 1,024 bytes "
                + "(--max-frame-bytes, default 16 MiB); nothing was sent", framed);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aJsonRpcRequestOverTheFrameLimitIsBadInputNotInternal() {
        // the line (983 bytes) fits the limit, the frame with its "jsonrpc" member and the pool's id does not
        String input = "{\"id\":1,\"method\":\"echo\",\"params\":{\"t\":\"" + "q".repeat(940) + "\"}}\n"
                + "{\"id\":2,\"method\":\"echo\",\"params\":{\"t\":\"fits\"}}\n";

        Cli.Result r = Cli.run(input, Cli.with(Cli.testWorker(), "run", "--size", "1", "--max-frame-bytes", "1000"));

        assertEquals(1, r.exit(), r::toString);
        Map<String, JsonNode> a = byId(answers(r));
        JsonNode error = a.get("1").get("error");
        assertEquals("bad-input", error.get("kind").asText(), r::toString);
        assertTrue(error.get("message").asText().startsWith("line 1: the request is "), r::toString);
        assertTrue(error.get("message").asText().contains("bytes as a jsonrpc frame, over the frame limit of 1,000 bytes"),
                r::toString);
        assertEquals("fits", a.get("2").path("result").path("t").asText(), r::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void inputThatIsNotUtf8IsBadInputNotSilentlyReplaced() {
        byte[] input = concat("ok\n".getBytes(StandardCharsets.UTF_8),
                new byte[] {'a', (byte) 0xFF, 'b', '\n'},
                // an encoded UTF-16 surrogate: bytes a lenient decoder turns into U+FFFD or '?'
                new byte[] {'c', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'},
                "\"\\ud800 lone\"\n".getBytes(StandardCharsets.UTF_8),
                "caf\u00e9 \ud83d\ude00\r\n".getBytes(StandardCharsets.UTF_8));

        Cli.Result r = Cli.run(input, Map.of(), Cli.with(List.of("cat"), "run", "--transport", "line", "--size", "1"));

        assertEquals(1, r.exit(), r::toString);
        Map<String, JsonNode> a = byId(answers(r));
        assertEquals("ok", a.get("1").get("result").asText(), r::toString);
        assertEquals("line 2 is not valid UTF-8: the byte 0xFF at byte offset 1 forms no character (the input must "
                + "be UTF-8; nothing was replaced or sent)", a.get("2").path("error").path("message").asText());
        assertTrue(a.get("3").path("error").path("message").asText().startsWith("line 3 is not valid UTF-8: the bytes 0xED"),
                r::toString);
        assertEquals("bad-input", a.get("4").path("error").path("kind").asText(), r::toString);
        assertTrue(a.get("4").path("error").path("message").asText().contains("lone UTF-16 surrogate"), r::toString);
        assertEquals("caf\u00e9 \ud83d\ude00", a.get("5").get("result").asText(), "valid UTF-8 and CRLF are kept\n" + r);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void workersGetExactlyTheListedVariablesOfTheEnvironment() {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("WARMPOOL_TEST_SECRET", "do-not-leak");
        for (String name : PoolConfig.DEFAULT_INHERITED_ENVIRONMENT) {
            env.putIfAbsent(name, System.getenv().getOrDefault(name, "set-by-test"));
        }
        env.put("PATH", System.getenv("PATH"));

        Cli.Result r = Cli.run("x\n", env, Cli.with(List.of("env"), "run", "--transport", "oneshot", "-e", "GIVEN=1"));

        assertEquals(0, r.exit(), r::toString);
        java.util.Set<String> names = new java.util.TreeSet<>();
        answers(r).get(0).get("result").asText().lines().forEach(l -> names.add(l.substring(0, l.indexOf('='))));
        names.removeIf(n -> n.startsWith("WARMPOOL_"));
        java.util.Set<String> expected = new java.util.TreeSet<>(PoolConfig.DEFAULT_INHERITED_ENVIRONMENT);
        expected.add("GIVEN");
        assertEquals(expected, names, "the help's list is the code's list\n" + r);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theClaudeTransportIsInTheCommand() {
        Cli.Result r = Cli.run("{\"id\":1,\"method\":\"prompt\",\"params\":\"hi\"}\n",
                Cli.with(List.of("/no/such/claude"), "run", "--transport", "claude", "--size", "1"));

        assertEquals(1, r.exit(), r::toString);
        assertTrue(!r.stderr().contains("no transport named"), r::toString);
        assertTrue(r.stderr().contains("cannot start the pool of /no/such/claude"), r::toString);
        assertTrue(r.stderr().contains("npm install -g @anthropic-ai/claude-code"), "the claude transport says how to "
                + "install the CLI\n" + r);
        assertEquals("rejected", answers(r).get(0).path("error").path("kind").asText(), r::toString);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
