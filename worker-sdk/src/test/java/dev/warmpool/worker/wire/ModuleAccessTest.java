package dev.warmpool.worker.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The opens line to add, from what the JDK and Jackson say when a package is closed to Jackson. */
class ModuleAccessTest {
    @Test
    void aPackageNotExportedToJacksonNamesTheOpensLineAndTheModule() {
        // as Jackson 2.22 reports a record in a package its module neither exports nor opens
        IllegalArgumentException cause = new IllegalArgumentException("Failed to call `setAccess()` on Constructor "
                + "'app.hidden.Greeting' (of class `app.hidden.Greeting`) due to "
                + "`java.lang.reflect.InaccessibleObjectException`, problem: Unable to make public "
                + "app.hidden.Greeting(java.lang.String,int) accessible: module demo.app does not \"exports app.hidden\" "
                + "to module com.fasterxml.jackson.databind");
        RuntimeException wrapped = new RuntimeException("Invalid type definition for type `app.hidden.Greeting`", cause);
        assertEquals(Optional.of("add 'opens app.hidden to com.fasterxml.jackson.databind;' to the module-info.java of "
                + "module demo.app"), ModuleAccess.advice(wrapped));
    }

    @Test
    void aPackageExportedButNotOpenedNamesTheSameLine() {
        assertEquals(Optional.of("add 'opens app.model to com.fasterxml.jackson.databind;' to the module-info.java of "
                + "module app"), ModuleAccess.advice(new IllegalStateException("Unable to make field private final "
                + "java.lang.String app.model.Pet.name accessible: module app does not \"opens app.model\" to module "
                + "com.fasterxml.jackson.databind")));
    }

    @Test
    void otherFailuresGiveNoAdvice() {
        assertEquals(Optional.empty(), ModuleAccess.advice(new IllegalArgumentException(
                "Cannot deserialize value of type `java.lang.Integer` from Object value")));
        assertEquals(Optional.empty(), ModuleAccess.advice(new RuntimeException((String) null)));
    }
}
