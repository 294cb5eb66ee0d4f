package dev.warmpool.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HandlerModeTest {
    @Test
    void theVariableIsReadInAnyCaseWithBlanksAround() {
        assertEquals(HandlerMode.POOL, HandlerMode.parse("pool"));
        assertEquals(HandlerMode.SPAWN, HandlerMode.parse(" SPAWN "));
        assertEquals(HandlerMode.AUTO, HandlerMode.parse("Auto"));
    }

    @Test
    void aBadValueNamesTheVariableTheValueAndTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HandlerMode.parse("warm"));
        assertEquals("environment variable HANDLER_POOL_MODE is 'warm', but must be one of pool, spawn, auto", e.getMessage());
    }
}
