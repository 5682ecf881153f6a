package dev.tollgate.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.json.Json;
import dev.tollgate.ops.ExecutionEvent;
import dev.tollgate.ops.TickOutputs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The analysis ticks a deployment's execution history holds, each with the step as it stood (the
 * {@code Decide} state's output), when it read its evidence (its verdict's {@code analysedAt}) and what
 * it decided: the Decide function's answer carries the verdict, the state's output the decision.
 */
public final class RecordedTicks {

    private RecordedTicks() {}

    public static List<ReplayTick> read(List<ExecutionEvent> history) {
        List<ReplayTick> ticks = new ArrayList<>();
        JsonNode verdict = null;
        for (ExecutionEvent event : history) {
            if (!TickOutputs.worthReading(event)) {
                continue;
            }
            JsonNode payload;
            try {
                payload = Json.tree(event.payload());
            } catch (RuntimeException notJson) {
                continue;
            }
            JsonNode tickVerdict = TickOutputs.verdict(event, payload);
            if (!tickVerdict.isMissingNode()) {
                verdict = tickVerdict;
            }
            JsonNode decision = TickOutputs.decision(event, payload);
            if (decision.isMissingNode() || verdict == null || !verdict.hasNonNull("analysedAt")) {
                continue;
            }
            StepProgress progress = Json.convert(payload.path("progress"), StepProgress.class);
            RecordedTick recorded = RecordedTick.of(
                    verdict,
                    decision.path("action").asText(),
                    decision.path("nextStepIndex").asInt(progress.stepIndex()));
            ticks.add(new ReplayTick(
                    progress,
                    Instant.parse(verdict.get("analysedAt").asText()),
                    "judge".equals(decision.path("decidedBy").asText("judge"))
                            ? Optional.of(recorded)
                            : Optional.empty()));
            verdict = null;
        }
        return ticks;
    }
}
