package dev.tollgate.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.json.Json;
import dev.tollgate.spec.SpecPage.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every example in {@code docs/spec.md} is what the validator does: each JSON block is marked and
 * checked (valid, a valid fragment of the complete example, refused with the message shown after it,
 * or the normalised form of the example before it), so the page cannot rot. Its field tables are
 * checked by {@link SpecFieldTablesTest}.
 */
class SpecDocumentationTest {

    private static final Set<String> JSON_MARKERS =
            Set.of("valid", "valid fragment", "refused", "normalised", "release");

    @Test
    void everyJsonBlockIsMarkedAndEveryMarkedBlockIsWhatTheValidatorDoes() {
        SpecPage page = SpecPage.read();
        SpecValidator validator = new SpecValidator();
        List<String> problems = new ArrayList<>();
        ObjectNode complete = null;
        ObjectNode previousValid = null;
        Block refused = null;
        for (Block block : page.blocks()) {
            String where = "docs/spec.md line " + block.line() + " (" + block.marker() + ")";
            if ("json".equals(block.language()) && !JSON_MARKERS.contains(block.marker())) {
                problems.add("docs/spec.md line " + block.line() + ": a JSON block needs one of the markers <!-- spec: "
                        + String.join(" | ", JSON_MARKERS) + " --> on the line before it, so the test checks it");
                continue;
            }
            if (block.marker() == null) {
                continue;
            }
            try {
                switch (block.marker()) {
                    case "valid" -> {
                        previousValid = (ObjectNode) Json.tree(block.text());
                        validator.validate(previousValid);
                        complete = complete == null ? previousValid : complete;
                    }
                    case "valid fragment" -> {
                        previousValid = SpecPage.merged(complete, block);
                        validator.validate(previousValid);
                    }
                    case "normalised" -> {
                        DeploymentSpec normalised = validator.validate(previousValid);
                        JsonNode shown = Json.tree(block.text());
                        assertEquals(
                                Json.tree(Json.write(normalised)),
                                shown,
                                where + ": the normalised form of the example before it");
                        assertEquals(
                                normalised,
                                validator.validate(shown),
                                where + ": a normalised spec validates to itself");
                    }
                    case "refused" -> refused = block;
                    case "release" -> new ReleaseValidator().validate(Json.tree(block.text()));
                    case "refusal message" -> {
                        String documented = block.text().strip().replace(";\n", "; ");
                        String message =
                                SpecFixtures.refusal(Json.tree(refused.text())).getMessage();
                        assertEquals(documented, message, where);
                        refused = null;
                    }
                    default -> problems.add(where + ": unknown marker");
                }
            } catch (InvalidSpecException invalid) {
                problems.add(where + ": refused by the validator: " + invalid.getMessage());
            } catch (AssertionError | RuntimeException wrong) {
                problems.add(where + ": " + wrong.getMessage());
            }
        }
        if (refused != null) {
            problems.add(
                    "docs/spec.md line " + refused.line() + ": a refused example needs its refusal message after it");
        }
        assertEquals(List.of(), problems, String.join("\n", problems));
        assertFalse(complete == null, "docs/spec.md shows no valid example");
    }
}
