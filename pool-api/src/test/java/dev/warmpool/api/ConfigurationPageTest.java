package dev.warmpool.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} true: its option table has one row per option, in the code's order,
 * with the builder method, the default and the environment variable the code has.
 */
class ConfigurationPageTest {
    private static final Path PAGE = Path.of("../docs/configuration.md");

    /** The option table's rows, by the accessor in their first cell; each row's cells without the backticks. */
    private static Map<String, List<String>> rows() throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(PAGE)) {
            if (line.startsWith("| `") && line.contains("()` |")) {
                List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
                        .map(String::strip).toList();
                rows.put(cells.get(0).replace("`", "").replace("()", ""), cells);
            }
        }
        return rows;
    }

    @Test
    void everyOptionHasARowInTheCodesOrder() throws IOException {
        assertEquals(ConfigOption.ALL.stream().map(ConfigOption::name).toList(), List.copyOf(rows().keySet()));
    }

    @Test
    void eachRowHasTheBuilderMethodDefaultAndVariableOfTheCode() throws IOException {
        Map<String, List<String>> rows = rows();
        for (ConfigOption<?> o : ConfigOption.ALL) {
            List<String> row = rows.get(o.name());
            assertTrue(row.get(1).contains("`" + o.setter() + "("), o + ": " + row);
            // command has no default: build() fails without it
            String fallback = o == ConfigOption.COMMAND ? "required" : ConfigOption.show(o.fallback());
            assertEquals(fallback, row.get(2), o.name());
            assertEquals(o.variable().map(v -> "`" + v + "`").orElse("—"), row.get(3), o.name());
        }
    }

    @Test
    void everyBuilderMethodIsOnThePage() throws IOException {
        String builderCells = rows().values().stream().map(r -> r.get(1)).collect(Collectors.joining(" "));
        TreeSet<String> missing = Arrays.stream(PoolConfig.Builder.class.getMethods())
                .filter(m -> m.getReturnType() == PoolConfig.Builder.class)
                .map(Method::getName)
                .filter(name -> !builderCells.contains("`" + name + "("))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(), missing);
    }

    @Test
    void everyVariableIsInTheVariablesTable() throws IOException {
        String page = Files.readString(PAGE);
        for (String v : List.of(PoolConfig.ENV_SIZE, PoolConfig.ENV_MIN, PoolConfig.ENV_MAX, PoolConfig.ENV_TIMEOUT,
                PoolConfig.ENV_HOSTS)) {
            assertTrue(page.contains("| `" + v + "` |"), v);
        }
    }
}
