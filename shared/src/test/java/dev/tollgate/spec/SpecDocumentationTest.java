package dev.tollgate.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The examples in {@code docs/spec.md} are what the validator does: the complete example is valid
 * and the refused one is refused with the message the page shows, so the page cannot rot.
 */
class SpecDocumentationTest {

    // Surefire runs in the module directory (shared/); the page is at the repository root.
    private static final Path PAGE = Path.of("..", "docs", "spec.md");

    private static String block(String marker) throws IOException {
        assertTrue(Files.exists(PAGE), "docs/spec.md not found from " + Path.of("").toAbsolutePath());
        Matcher block = Pattern.compile("<!-- spec: " + Pattern.quote(marker) + " -->\\s*```\\w*\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(PAGE));
        assertTrue(block.find(), "no block marked '" + marker + "' in docs/spec.md");
        return block.group(1);
    }

    @Test
    void theCompleteExampleIsValid() throws IOException {
        DeploymentSpec spec = new SpecValidator().validate(Json.tree(block("valid")));

        assertEquals(4, spec.steps().size());
    }

    @Test
    void theRefusedExampleFailsWithTheDocumentedMessage() throws IOException {
        String documented = block("refusal message").strip().replace(";\n", "; ");

        String message = SpecFixtures.refusal(Json.tree(block("refused"))).getMessage();

        assertEquals(documented, message);
    }
}
