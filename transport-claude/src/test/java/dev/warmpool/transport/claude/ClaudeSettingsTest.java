package dev.warmpool.transport.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.warmpool.transport.claude.ClaudeSettings.Reset;
import dev.warmpool.transport.claude.ClaudeSettings.ResetMode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaudeSettingsTest {
    @Test
    void defaults() {
        ClaudeSettings s = ClaudeSettings.parse(Map.of());

        assertEquals("/{handler} {event}", s.promptTemplate());
        assertEquals(Reset.CLEAR, s.reset());
        assertEquals(true, s.handshake());
        assertEquals(Map.of(), s.passThrough());
        assertEquals(ClaudeSettings.DEFAULTS, s);
    }

    @Test
    void everySetting() {
        ClaudeSettings s = ClaudeSettings.parse(Map.of("prompt-template", "Handle {event} with {handler}",
                "reset", " Recycle:25 ", "ready", "started", "processGroup", "FALSE"));

        assertEquals("Handle {event} with {handler}", s.promptTemplate());
        assertEquals(new Reset(ResetMode.RECYCLE, 25), s.reset());
        assertFalse(s.handshake());
        assertEquals(Map.of("processGroup", "false"), s.passThrough());
        assertEquals(Reset.KEEP, ClaudeSettings.parse(Map.of("reset", "keep")).reset());
        assertEquals(s, ClaudeSettings.parse(s.asMap()));
    }

    @Test
    void aSpecsSettingsOverrideTheTransports() {
        ClaudeSettings s = ClaudeSettings.parse(Map.of("reset", "keep", "prompt-template", "/{handler}"));

        ClaudeSettings merged = s.with(Map.of("reset", "recycle:3"));

        assertEquals(new Reset(ResetMode.RECYCLE, 3), merged.reset());
        assertEquals("/{handler}", merged.promptTemplate());
        assertEquals(s, s.with(Map.of()));
    }

    @Test
    void badValuesAreEchoedWithTheValidOnes() {
        assertMessage("setting reset is 'sometimes', but must be one of: clear, keep, recycle:N (N a whole number "
                + "of turns, at least 1)", Map.of("reset", "sometimes"));
        assertMessage("setting reset is 'recycle:0', but must be one of: clear, keep, recycle:N (N a whole number "
                + "of turns, at least 1)", Map.of("reset", "recycle:0"));
        assertMessage("setting ready is 'soon', but must be one of: initialize, started", Map.of("ready", "soon"));
        assertMessage("setting prompt-template is ' ', but must be a non-blank text such as '/{handler} {event}'",
                Map.of("prompt-template", " "));
        assertMessage("setting processGroup is 'yes', but must be true or false", Map.of("processGroup", "yes"));
    }

    @Test
    void anUnknownSettingNamesTheKnownOnes() {
        assertMessage("unknown setting 'model' (value 'sonnet') for the claude transport; known settings: "
                + "processGroup, prompt-template, ready, reset. CLI options such as --model go into the pool's "
                + "command, after the claude program", Map.of("model", "sonnet"));
    }

    private static void assertMessage(String expected, Map<String, String> settings) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> ClaudeSettings.parse(settings))
                .getMessage());
    }
}
