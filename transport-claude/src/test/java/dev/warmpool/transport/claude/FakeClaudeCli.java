package dev.warmpool.transport.claude;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A stand-in for {@code claude -p --input-format stream-json --output-format stream-json --verbose},
 * speaking the lines recorded from the real CLI, for testing the worker's state machine where the
 * real CLI cannot be made to misbehave. Started as its own JVM by {@link FakeCli}.
 *
 * <p>What a user message's text does: {@code /clear} starts a new conversation; {@code error} ends
 * the turn like an API 500; {@code hang} answers only when interrupted; {@code garbage} prints a
 * non-JSON line first; {@code huge:N} prints a line of N bytes first; {@code die} exits with status 3
 * after a stderr line; {@code ask} sends a {@code can_use_tool} control request and reports the answer;
 * {@code /nosuch…} is an unknown command; anything else is answered with
 * {@code answer to: TEXT (turn N)}, N counting the turns since the last {@code /clear}. Every turn
 * costs 0.001 USD, reported as a running total like the real CLI. Environment {@code FAKE_START_MS}
 * delays the first read; {@code FAKE_CLEAR_MS} delays each {@code /clear}'s answer;
 * {@code FAKE_EXIT_AT_START} exits at once with status 2.
 */
public final class FakeClaudeCli {
    private static final ObjectMapper M = new ObjectMapper();
    private static final PrintStream OUT = new PrintStream(System.out, false, StandardCharsets.UTF_8);

    private static String session = UUID.randomUUID().toString();
    private static int conversationTurns;
    private static double cost;
    private static String hanging;

    private FakeClaudeCli() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getenv("FAKE_EXIT_AT_START") != null) {
            System.err.println("error: unknown option '--bogus'");
            System.exit(2);
        }
        String delay = System.getenv("FAKE_START_MS");
        if (delay != null) {
            Thread.sleep(Long.parseLong(delay));
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            JsonNode m = M.readTree(line);
            switch (m.path("type").asText()) {
                case "control_request" -> control(m);
                case "control_response" -> {
                    if (hanging != null && hanging.equals("ask")) {
                        hanging = null;
                        result(false, "success", "permission " + m.path("response").path("subtype").asText(), 1);
                    }
                }
                case "user" -> user(m.path("message").path("content").path(0).path("text").asText());
                default -> System.err.println("fake: ignored " + line);
            }
        }
        System.exit(0);
    }

    private static void control(JsonNode m) {
        String id = m.path("request_id").asText();
        String subtype = m.path("request").path("subtype").asText();
        ObjectNode r = M.createObjectNode();
        r.put("type", "control_response");
        ObjectNode resp = r.putObject("response");
        resp.put("request_id", id);
        switch (subtype) {
            case "initialize", "mcp_status", "interrupt" -> resp.put("subtype", "success");
            default -> resp.put("subtype", "error").put("error", "Unsupported control request subtype: " + subtype);
        }
        print(r);
        if (subtype.equals("interrupt") && hanging != null) {
            hanging = null;
            ObjectNode u = M.createObjectNode();
            u.put("type", "user");
            u.putObject("message").put("role", "user").putArray("content").addObject().put("type", "text")
                    .put("text", "[Request interrupted by user]");
            print(u);
            ObjectNode res = resultNode(true, "error_during_execution", null, 2);
            res.putArray("errors").add("[ede_diagnostic] result_type=user");
            print(res);
        }
    }

    private static void user(String text) throws IOException {
        ObjectNode init = M.createObjectNode();
        init.put("type", "system").put("subtype", "init").put("session_id", session).put("model", "fake");
        init.putObject("unknown_future_field").put("x", 1);
        if (text.equals("/clear")) {
            String slow = System.getenv("FAKE_CLEAR_MS");
            if (slow != null) {
                try {
                    Thread.sleep(Long.parseLong(slow));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            session = UUID.randomUUID().toString();
            conversationTurns = 0;
            init.put("session_id", session);
            print(init);
            assistant("(no content)");
            result(false, "success", "", 0);
            return;
        }
        print(init);
        if (text.startsWith("/nosuch")) {
            assistant("Unknown command: /nosuch");
            result(false, "success", "Unknown command: /nosuch", 0);
            return;
        }
        conversationTurns++;
        cost += 0.001;
        if (text.startsWith("huge:")) {
            OUT.println("{\"type\":\"assistant\",\"pad\":\"" + "x".repeat(Integer.parseInt(text.substring(5))) + "\"}");
            OUT.flush();
        }
        switch (text) {
            case "error" -> {
                ObjectNode retry = M.createObjectNode();
                retry.put("type", "system").put("subtype", "api_retry").put("attempt", 1).put("error_status", 500);
                print(retry);
                assistant("API Error: 500 boom");
                ObjectNode r = resultNode(true, "success", "API Error: 500 boom", 1);
                r.put("api_error_status", 500);
                print(r);
            }
            case "hang" -> hanging = "hang";
            case "ask" -> {
                hanging = "ask";
                ObjectNode q = M.createObjectNode();
                q.put("type", "control_request").put("request_id", "cli-1");
                q.putObject("request").put("subtype", "can_use_tool").put("tool_name", "Bash");
                print(q);
            }
            case "garbage" -> {
                OUT.println("this is not json");
                OUT.flush();
                answer(text);
            }
            case "die" -> {
                System.err.println("fake: dying on purpose");
                System.err.flush();
                System.exit(3);
            }
            default -> answer(text);
        }
    }

    private static void answer(String text) {
        String out = "answer to: " + text + " (turn " + conversationTurns + ")";
        assistant(out);
        result(false, "success", out, 1);
    }

    private static void assistant(String text) {
        ObjectNode a = M.createObjectNode();
        a.put("type", "assistant").put("session_id", session);
        ObjectNode msg = a.putObject("message");
        msg.put("role", "assistant");
        msg.putArray("content").addObject().put("type", "text").put("text", text);
        print(a);
    }

    private static void result(boolean isError, String subtype, String text, int numTurns) {
        print(resultNode(isError, subtype, text, numTurns));
    }

    private static ObjectNode resultNode(boolean isError, String subtype, String text, int numTurns) {
        ObjectNode r = M.createObjectNode();
        r.put("type", "result").put("subtype", subtype).put("is_error", isError).put("duration_ms", 12)
                .put("num_turns", numTurns);
        if (text != null) {
            r.put("result", text);
        }
        r.put("session_id", session).put("total_cost_usd", cost).put("brand_new_field", true);
        return r;
    }

    private static void print(JsonNode n) {
        OUT.println(n.toString());
        OUT.flush();
    }
}
