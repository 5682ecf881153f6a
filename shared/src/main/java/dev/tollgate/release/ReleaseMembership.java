package dev.tollgate.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Nullable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The release a deployment runs for, as the release state machine starts its child: the release, the wave, and the
 * task token the parent waits on, which the child answers when its rollback window opens (promoted) and Step Functions'
 * status event answers when it ends otherwise. All empty for a deployment on its own. A token is an opaque handle to
 * the parent's waiting task, not a secret of the team's.
 */
public record ReleaseMembership(
        @Nullable String releaseId,
        @Nullable Integer wave,
        @Nullable String taskToken) {

    public static final ReleaseMembership NONE = new ReleaseMembership(null, null, null);
    /** The field Step Functions' console links a child execution to its parent by. */
    static final String STARTED_BY = "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID";
    /** Step Functions' task tokens are at most 1,024 characters (SendTaskSuccess, taskToken). */
    static final int MAX_TOKEN_CHARACTERS = 1024;

    public boolean inRelease() {
        return taskToken != null;
    }

    /** The membership of a child's request {@code {"spec": {...}, "release": {...}}}; every problem listed. */
    public static ReleaseMembership of(JsonNode request) {
        List<Violation> violations = new ArrayList<>();
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("spec") && !name.equals("release") && !name.equals(STARTED_BY)) {
                violations.add(
                        new Violation("$." + name, "unknown field beside a release's target", "spec and release only"));
            }
        }
        if (!request.path("spec").isObject()) {
            violations.add(new Violation("$.spec", "a release's target needs its deployment spec", "an object"));
        }
        JsonNode release = request.get("release");
        String releaseId = text(release, "releaseId", 64, violations);
        String token = text(release, "taskToken", MAX_TOKEN_CHARACTERS, violations);
        JsonNode wave = release == null ? null : release.get("wave");
        if (wave == null || !wave.canConvertToInt() || wave.asInt() < 1) {
            violations.add(new Violation("$.release.wave", "missing or not a wave number", "1 or more"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
        return new ReleaseMembership(releaseId, wave.asInt(), token);
    }

    private static String text(JsonNode release, String field, int maxCharacters, List<Violation> violations) {
        JsonNode value = release == null ? null : release.get(field);
        if (value == null
                || !value.isTextual()
                || value.asText().isBlank()
                || value.asText().length() > maxCharacters) {
            violations.add(new Violation(
                    "$.release." + field,
                    "missing, blank or longer than " + maxCharacters + " characters",
                    "a string set by the release state machine"));
            return null;
        }
        return value.asText();
    }
}
