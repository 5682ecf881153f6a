package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code tollgate plan} on the local stack's traffic: the demo's live version, as the traffic simulator plays it. */
class PlanIT {

    private static final Pattern HEALTHY = Pattern.compile("(?m)^  healthy\\s+(\\d+)%\\s+(\\d+)%\\s+(\\d+)%");
    private static final Pattern ERRORS_X2 = Pattern.compile("(?m)^  errors x2\\s+(\\d+)%\\s+(\\d+)%");

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = SharedLocalStack.get();
    }

    @Test
    void plansTheDemoSpecFromTheLiveVersionsMeasuredTraffic() throws Exception {
        Path file = Files.createTempFile("plan-spec", ".json");
        try (ScenarioRun.Release release = new ScenarioRun(stack, new PrintStream(new ByteArrayOutputStream()))
                .prepare(Scenario.GOOD, "plan-svc", 9)) {
            Files.writeString(file, Json.write(release.spec()));
            // Enough of the live version's periods (5 s each) to draw from.
            Thread.sleep(20 * DemoSpecs.PERIOD_SECONDS * 1000L);
        }
        TollgateCli.Run plan = TollgateCli.run(
                stack.moto().endpoint().toString(),
                "plan",
                "--spec",
                file.toString(),
                "--lookback-minutes",
                "10",
                "--runs",
                "60",
                "--target-minutes",
                "5");
        System.out.println(plan.out());

        assertEquals(0, plan.exitCode(), plan.err());
        String printed = plan.out();
        assertTrue(printed.contains("step 1 at 10 %") && printed.contains("step 2 at 50 %"), printed);
        Matcher healthy = HEALTHY.matcher(printed);
        assertTrue(healthy.find(), printed);
        assertTrue(
                Integer.parseInt(healthy.group(1)) >= 80,
                "the demo's healthy release passes its first step: " + healthy.group());
        Matcher errors = ERRORS_X2.matcher(printed);
        assertTrue(errors.find(), printed);
        assertTrue(
                Integer.parseInt(errors.group(2)) > Integer.parseInt(healthy.group(2)),
                "doubled errors fail more often: " + printed);
        assertTrue(printed.contains("suggested schedule: 10 % for"), printed);
    }
}
