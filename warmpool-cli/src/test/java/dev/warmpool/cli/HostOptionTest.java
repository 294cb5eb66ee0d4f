package dev.warmpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --host} of {@code run} and {@code bench}, and {@code WARMPOOL_HOSTS}: the workers run through the hosts transport. */
class HostOptionTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<JsonNode> answers(Cli.Result r) throws Exception {
        return r.stdout().lines().map(l -> {
            try {
                return MAPPER.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void runWithHostLocalAndLineCatAnswersEveryLine() throws Exception {
        Cli.Result r = Cli.run("hello\nworld\n", Cli.with(List.of("cat"), "run", "--host", "local", "-t", "line",
                "--size", "2", "--ordered"));

        assertEquals(0, r.exit(), r::toString);
        List<JsonNode> a = answers(r);
        assertEquals(List.of("hello", "world"), a.stream().map(n -> n.get("result").asText()).toList(), r::toString);
        assertTrue(r.stderr().contains("2 requests, 2 ok, 0 failed"), r::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aWorkerOnALauncherHostIsNamedWithItsHostWhenItCrashes() throws Exception {
        // "env --" stands for docker exec -i CONTAINER; the crash message carries the id the hosts transport gave
        Cli.Result r = Cli.run("boom\n", Cli.with(List.of("sh", "-c", "read line; exit 3"), "run", "--host",
                "exec:env --", "-t", "line", "--size", "1"));

        assertEquals(1, r.exit(), r::toString);
        String message = answers(r).get(0).get("error").get("message").asText();
        assertTrue(message.contains("w-1@exec:env --"), r::toString);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void warmpoolHostsIsReadWhenNoHostIsGivenAndHostOverridesIt() throws Exception {
        Cli.Result fromVariable = Cli.run("a\n", Map.of("WARMPOOL_HOSTS", "local"),
                Cli.with(List.of("cat"), "run", "-t", "line", "--size", "1"));
        assertEquals(0, fromVariable.exit(), fromVariable::toString);
        assertEquals("a", answers(fromVariable).get(0).get("result").asText());

        Cli.Result overridden = Cli.run("b\n", Map.of("WARMPOOL_HOSTS", "nonsense"),
                Cli.with(List.of("cat"), "run", "--host", "local", "-t", "line", "--size", "1"));
        assertEquals(0, overridden.exit(), overridden::toString);
        assertEquals("b", answers(overridden).get(0).get("result").asText());
    }

    @Test
    void badHostsAreUsageErrorsEchoingTheValue() {
        Cli.Result shape = Cli.run(Cli.with(List.of("cat"), "run", "--host", "ftp://h1", "-t", "line")
                .toArray(String[]::new));
        assertEquals(2, shape.exit(), shape::toString);
        assertTrue(shape.stderr().contains("invalid value for option '--host': hosts: host 'ftp://h1' is not local"),
                shape::toString);

        Cli.Result port = Cli.run(Cli.with(List.of("cat"), "run", "--host", "ssh://h1:notaport", "-t", "line")
                .toArray(String[]::new));
        assertEquals(2, port.exit(), port::toString);
        assertTrue(port.stderr().contains("ssh://h1:notaport") && !port.stderr().contains("the sizes come from"),
                port::toString);

        Cli.Result variable = Cli.run("", Map.of("WARMPOOL_HOSTS", "local,ftp://h"),
                Cli.with(List.of("cat"), "run", "-t", "line"));
        assertEquals(2, variable.exit(), variable::toString);
        assertTrue(variable.stderr().contains("environment variable WARMPOOL_HOSTS: host 'ftp://h'"), variable::toString);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void benchWithHostsRunsColdAndWarmOnTheHosts() throws Exception {
        Cli.Result r = Cli.run("", Cli.with(List.of("cat"), "bench", "--json", "--host", "local", "--transport", "line",
                "--requests", "10", "--cold-requests", "2", "--concurrency", "1"));

        assertEquals(0, r.exit(), r::toString);
        JsonNode json = MAPPER.readTree(r.stdout());
        assertEquals("hosts", json.get("cold_transport").asText());
        assertEquals(List.of("local"), MAPPER.convertValue(json.get("hosts"), List.class));
        assertEquals(0, json.get("cold").get("errors").asInt(), r::toString);
        assertEquals(0, json.get("warm").get("errors").asInt(), r::toString);
        assertEquals(2, json.get("cold").get("processes_started").asInt(), "a process per cold request");
    }
}
