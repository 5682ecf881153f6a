package dev.tollgate.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.errors.InvalidSpecException.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvalidSpecExceptionTest {

    @Test
    void keepsAHugeReportWithinWhatStepFunctionsKeepsAndSaysHowMuchIsLeftOut() {
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            violations.add(new Violation(
                    "$.steps[" + i + "].bakeSecond", "unknown field", "one of approval, bakeSeconds, weight"));
        }

        InvalidSpecException invalid = new InvalidSpecException(violations);

        assertTrue(
                invalid.getMessage().length() <= InvalidSpecException.MAX_MESSAGE_CHARS + 40,
                "" + invalid.getMessage().length());
        assertTrue(invalid.getMessage()
                .startsWith("invalid deployment spec, 5000 problems: $.steps[0].bakeSecond: unknown field"));
        assertTrue(
                invalid.getMessage().matches(".*; \\.\\.\\. and \\d+ more$"),
                invalid.getMessage().substring(invalid.getMessage().length() - 60));
        assertEquals(5_000, invalid.violations().size(), "the full list stays available to callers");
    }
}
