package dev.tollgate.bench.scenario;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads and writes scenario files: every {@code *.json} in a folder, in name order. */
public final class ScenarioFiles {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ScenarioFiles() {}

    public static List<Scenario> read(Path folder) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(file -> file.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list scenarios in " + folder, e);
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (Path file : files) {
            try {
                scenarios.add(MAPPER.readValue(file.toFile(), Scenario.class));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read scenario " + file, e);
            }
        }
        return scenarios;
    }

    public static void write(Path folder, Scenario scenario) {
        try {
            Files.createDirectories(folder);
            MAPPER.writeValue(folder.resolve(scenario.name() + ".json").toFile(), scenario);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write scenario " + scenario.name() + " to " + folder, e);
        }
    }
}
