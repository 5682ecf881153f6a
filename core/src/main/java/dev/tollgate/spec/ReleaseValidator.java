package dev.tollgate.spec;

import static dev.tollgate.spec.Violations.child;
import static dev.tollgate.spec.Violations.element;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import dev.tollgate.spec.ReleaseSpec.OnFailure;
import dev.tollgate.spec.ReleaseSpec.OnLockHeld;
import dev.tollgate.spec.ReleaseSpec.Wave;
import dev.tollgate.spec.ReleaseSpec.WaveTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a release rolled out in waves against every rule at once, before anything moves, and returns
 * it normalised: each target's complete deployment spec, composed from the fields the release shares and
 * the target's own, and validated by {@link SpecValidator} like any single deployment (its problems
 * reported at the place of the release where they were written). Then the release as a whole must fit
 * the parent execution's quotas ({@link ReleaseBudget}). The rules are in {@code docs/spec.md}, "Waves".
 */
public final class ReleaseValidator {

    public static final int MAX_WAVES = 10;
    /** A Map state runs at most 40 iterations at once inline; a wave never waits on a second batch of its own targets. */
    public static final int MAX_TARGETS_PER_WAVE = 40;

    public static final int MAX_TARGETS = 100;
    public static final int DEFAULT_BAKE_BETWEEN_WAVES_SECONDS = 600;
    public static final int MAX_BAKE_BETWEEN_WAVES_SECONDS = 86_400;

    /** A child's deploymentId is the releaseId and {@code -w<wave>-<target>} (at most 7 characters more), within the 80 allowed. */
    private static final Pattern RELEASE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /** The fields every target shares; a target gives its own {@code service} and {@code target}, a wave its own {@code steps}. */
    private static final List<String> SHARED_FIELDS =
            List.of("service", "secrets", "migrations", "steps", "analysis", "override", "afterPromotion", "smokeTest");

    private static final Set<String> RELEASE_FIELDS = Set.of(
            "releaseId",
            "service",
            "secrets",
            "migrations",
            "steps",
            "analysis",
            "override",
            "afterPromotion",
            "smokeTest",
            "waves",
            "bakeBetweenWavesSeconds",
            "onFailure",
            "onLockHeld");
    private static final Set<String> WAVE_FIELDS = Set.of("targets", "steps");
    private static final Set<String> TARGET_FIELDS = Set.of("region", "roleArn", "service", "target");

    private final SpecValidator specValidator = new SpecValidator();

    /** Validates and normalises; throws {@link InvalidSpecException} listing every violation. */
    public ReleaseSpec validate(JsonNode request) {
        Violations violations = new Violations();
        if (request == null || !request.isObject()) {
            violations.add(
                    "$",
                    "the release must be a JSON object, found "
                            + (request == null ? "nothing" : Violations.describe(request)),
                    "an object; see docs/spec.md, \"Waves\"");
            throw new InvalidSpecException(violations.all());
        }
        String root = "$";
        violations.onlyKnownFields(request, root, RELEASE_FIELDS);
        Optional<String> releaseId = violations.string(
                request,
                "releaseId",
                root,
                true,
                RELEASE_ID,
                "1 to 64 letters, digits, '-' or '_', starting with a letter or digit (each target's deploymentId adds -w<wave>-<target>)");
        int bakeBetweenWaves = violations
                .integer(request, "bakeBetweenWavesSeconds", root, false, 0, MAX_BAKE_BETWEEN_WAVES_SECONDS, "seconds")
                .orElse((long) DEFAULT_BAKE_BETWEEN_WAVES_SECONDS)
                .intValue();
        OnFailure onFailure = violations
                .enumValue(request, "onFailure", root, false, OnFailure.class)
                .orElse(OnFailure.ROLLBACK_ALL);
        OnLockHeld onLockHeld = violations
                .enumValue(request, "onLockHeld", root, false, OnLockHeld.class)
                .orElse(OnLockHeld.FAIL);
        if (request.path("afterPromotion").has("rollbackWindowSeconds")) {
            violations.add(
                    "$.afterPromotion.rollbackWindowSeconds",
                    "a release keeps every promoted target's rollback window open "
                            + "until the whole release ends (that is how onFailure ROLLBACK_ALL sends an earlier wave back at once), "
                            + "and closes them all when it is promoted",
                    "no rollbackWindowSeconds in a release (watchSeconds is allowed)");
        }
        Optional<JsonNode> wavesNode = violations.array(request, "waves", root, true, 1, MAX_WAVES);

        Set<Violation> found = new LinkedHashSet<>(violations.all());
        List<Wave> waves = new ArrayList<>();
        if (wavesNode.isPresent()) {
            waves = waves(request, wavesNode.get(), releaseId.orElse("release"), bakeBetweenWaves, found);
        }
        if (!found.isEmpty()) {
            throw new InvalidSpecException(List.copyOf(found));
        }
        ReleaseSpec release = new ReleaseSpec(releaseId.orElseThrow(), waves, bakeBetweenWaves, onFailure, onLockHeld);
        List<Violation> overQuota = ReleaseBudget.of(release).overQuota();
        if (!overQuota.isEmpty()) {
            throw new InvalidSpecException(overQuota);
        }
        return release;
    }

    private List<Wave> waves(
            JsonNode request, JsonNode wavesNode, String releaseId, int bakeBetweenWaves, Set<Violation> found) {
        List<Wave> waves = new ArrayList<>();
        Map<String, String> placeOfServiceInRegion = new HashMap<>();
        int targetCount = 0;
        boolean valid = true;
        for (int waveIndex = 0; waveIndex < wavesNode.size(); waveIndex++) {
            String wavePath = element("$.waves", waveIndex);
            JsonNode waveNode = wavesNode.get(waveIndex);
            Violations violations = new Violations();
            if (!waveNode.isObject()) {
                violations.add(
                        wavePath, "must be an object, found " + Violations.describe(waveNode), "{\"targets\": [...]}");
                found.addAll(violations.all());
                valid = false;
                continue;
            }
            violations.onlyKnownFields(waveNode, wavePath, WAVE_FIELDS);
            JsonNode targetsValue = waveNode.get("targets");
            if (targetsValue != null && targetsValue.isArray() && targetsValue.isEmpty()) {
                violations.add(
                        child(wavePath, "targets"),
                        "the wave is empty: it would deploy nothing and prove nothing",
                        "1 to " + MAX_TARGETS_PER_WAVE + " targets");
            }
            Optional<JsonNode> targetsNode = targetsValue != null && targetsValue.isArray() && targetsValue.isEmpty()
                    ? Optional.empty()
                    : violations.array(waveNode, "targets", wavePath, true, 1, MAX_TARGETS_PER_WAVE);
            found.addAll(violations.all());
            if (targetsNode.isEmpty()) {
                valid = false;
                continue;
            }
            JsonNode steps = waveNode.hasNonNull("steps") ? waveNode.get("steps") : scheduleOfWave(request, waveIndex);
            boolean last = waveIndex == wavesNode.size() - 1;
            List<WaveTarget> targets = new ArrayList<>();
            for (int targetIndex = 0; targetIndex < targetsNode.get().size(); targetIndex++) {
                String targetPath = element(child(wavePath, "targets"), targetIndex);
                Place place = new Place(waveIndex, targetIndex, waveNode.hasNonNull("steps"));
                Optional<WaveTarget> target = target(
                        request,
                        targetsNode.get().get(targetIndex),
                        place,
                        targetPath,
                        steps,
                        releaseId,
                        placeOfServiceInRegion,
                        found);
                target.ifPresent(targets::add);
                valid &= target.isPresent();
            }
            targetCount += targets.size();
            waves.add(new Wave(waveIndex + 1, targets, last ? 0 : bakeBetweenWaves));
        }
        if (targetCount > MAX_TARGETS) {
            found.add(new Violation(
                    "$.waves",
                    "the release has " + targetCount + " targets",
                    "at most " + MAX_TARGETS + " targets over all waves"));
        }
        return valid ? waves : List.of();
    }

    /** Where a target sits, for the child's id and for reporting its spec's problems where they were written. */
    private record Place(int waveIndex, int targetIndex, boolean waveHasSteps) {

        String deploymentId(String releaseId) {
            return releaseId + "-w" + (waveIndex + 1) + "-" + (targetIndex + 1);
        }
    }

    private Optional<WaveTarget> target(
            JsonNode request,
            JsonNode node,
            Place place,
            String path,
            JsonNode steps,
            String releaseId,
            Map<String, String> placeOfServiceInRegion,
            Set<Violation> found) {
        Violations violations = new Violations();
        if (!node.isObject()) {
            violations.add(
                    path,
                    "must be an object, found " + Violations.describe(node),
                    "{\"region\": ..., \"target\": {...}}");
            found.addAll(violations.all());
            return Optional.empty();
        }
        violations.onlyKnownFields(node, path, TARGET_FIELDS);
        Optional<PlacementValidation.Placement> placement =
                new PlacementValidation(violations).placement(node, path, true);
        Optional<String> region = placement.map(PlacementValidation.Placement::region);
        JsonNode service = node.hasNonNull("service") ? node.get("service") : request.get("service");
        if (region.isPresent() && service != null && service.isTextual()) {
            String key = service.asText() + " in " + region.get();
            String earlier = placeOfServiceInRegion.putIfAbsent(key, path);
            if (earlier != null) {
                violations.add(
                        child(path, "region"),
                        "deploys " + key + " again (already at " + earlier + ")",
                        "each service once per region in a release: one lock, one rollout");
            }
        }
        found.addAll(violations.all());

        if ("CODEDEPLOY".equals(node.path("target").path("type").asText(null))) {
            violations.add(
                    child(child(path, "target"), "type"),
                    "a CODEDEPLOY target cannot be part of a release: CodeDeploy "
                            + "ends its deployment at the promotion and keeps no rollback window, so a later wave's failure could not "
                            + "send it back",
                    "ECS_ALB or LAMBDA_ALIAS in a release; deploy a CODEDEPLOY target on its own");
            found.addAll(violations.all());
        }
        ObjectNode composed = compose(request, node, place.deploymentId(releaseId), steps);
        try {
            DeploymentSpec spec = specValidator.validate(composed);
            return placement.isPresent() && violations.all().isEmpty()
                    ? Optional.of(new WaveTarget(spec.region(), spec.roleArn(), spec))
                    : Optional.empty();
        } catch (InvalidSpecException invalid) {
            for (Violation violation : invalid.violations()) {
                Violation relocated = relocate(violation, place, node.hasNonNull("service"));
                boolean derivedSchedule = relocated.path().equals(violation.path())
                        && under(violation.path(), "$.steps")
                        && place.waveIndex() > 0;
                if (derivedSchedule && !found.contains(relocated)) {
                    // Only the halving made it a problem: say so, since $.steps itself is fine for the first wave.
                    relocated = new Violation(
                            relocated.path(),
                            relocated.problem() + " (in wave " + (place.waveIndex() + 1)
                                    + "'s schedule: the first wave's with its bakes halved)",
                            relocated.allowed());
                }
                found.add(relocated);
            }
            return Optional.empty();
        }
    }

    /**
     * The child's deployment spec: the release's shared fields, the target's own ({@code service}, {@code target},
     * and its placement, {@code region} and {@code roleArn}), the wave's schedule.
     */
    private static ObjectNode compose(JsonNode request, JsonNode targetNode, String deploymentId, JsonNode steps) {
        ObjectNode composed = Json.MAPPER.createObjectNode();
        composed.put("deploymentId", deploymentId);
        for (String field : SHARED_FIELDS) {
            if (request.has(field)) {
                composed.set(field, request.get(field).deepCopy());
            }
        }
        for (String field : TARGET_FIELDS) {
            if (targetNode.has(field)) {
                composed.set(field, targetNode.get(field).deepCopy());
            }
        }
        if (steps != null) {
            composed.set("steps", steps.deepCopy());
        } else {
            composed.remove("steps");
        }
        if (!"CODEDEPLOY".equals(composed.path("target").path("type").asText(null))) {
            keepRollbackWindowForTheRelease(composed);
        }
        return composed;
    }

    /**
     * A promoted target keeps its way back open as long as the release can still fail: its rollback window
     * is the longest allowed beside its watch, and the parent closes it when the release ends. A spec that is
     * not an object there is left for the spec validator to report.
     */
    private static void keepRollbackWindowForTheRelease(ObjectNode composed) {
        JsonNode afterPromotion = composed.get("afterPromotion");
        if (afterPromotion != null && !afterPromotion.isObject()) {
            return;
        }
        ObjectNode window = afterPromotion == null ? composed.putObject("afterPromotion") : (ObjectNode) afterPromotion;
        JsonNode watch = window.get("watchSeconds");
        long watchSeconds = watch != null && watch.canConvertToLong()
                ? Math.max(0, Math.min(watch.asLong(), AfterPromotionSpec.MAX_WATCH_SECONDS))
                : 0;
        window.put(
                "rollbackWindowSeconds",
                Math.min(
                        AfterPromotionSpec.MAX_ROLLBACK_WINDOW_SECONDS,
                        AfterPromotionSpec.MAX_WATCH_SECONDS - watchSeconds));
    }

    /**
     * The schedule of a wave that states none: the release's {@code steps} for the first wave; for every later
     * wave the same steps with each canary step's {@code bakeSeconds} and {@code maxBakeSeconds} halved (rounded
     * up, never below one analysis period): a later wave has the first wave's evidence behind it.
     */
    static JsonNode scheduleOfWave(JsonNode request, int waveIndex) {
        JsonNode steps = request.get("steps");
        if (waveIndex == 0 || steps == null || !steps.isArray()) {
            return steps;
        }
        JsonNode period = request.path("analysis").path("periodSeconds");
        long periodSeconds = period.canConvertToLong() && period.asLong() > 0
                ? period.asLong()
                : SpecValidator.DEFAULT_PERIOD_SECONDS;
        ArrayNode halved = steps.deepCopy();
        for (int index = 0; index < halved.size() - 1; index++) {
            if (halved.get(index) instanceof ObjectNode step) {
                for (String field : List.of("bakeSeconds", "maxBakeSeconds")) {
                    JsonNode seconds = step.get(field);
                    if (seconds != null
                            && seconds.isIntegralNumber()
                            && seconds.canConvertToLong()
                            && seconds.asLong() > 0) {
                        step.put(field, Math.max(periodSeconds, (seconds.asLong() + 1) / 2));
                    }
                }
            }
        }
        return halved;
    }

    /** A child spec's problem, reported where the release wrote the field (the target, the wave, or the shared field). */
    private static Violation relocate(Violation violation, Place place, boolean targetHasService) {
        String path = violation.path();
        String targetPath = "$.waves[" + place.waveIndex() + "].targets[" + place.targetIndex() + "]";
        String relocated;
        if (under(path, "$.target") || under(path, "$.region") || under(path, "$.roleArn")) {
            relocated = targetPath + path.substring(1);
        } else if (under(path, "$.service") && targetHasService) {
            relocated = targetPath + path.substring(1);
        } else if (under(path, "$.steps") && place.waveHasSteps()) {
            relocated = "$.waves[" + place.waveIndex() + "]" + path.substring(1);
        } else if (under(path, "$.deploymentId")) {
            relocated = "$.releaseId";
        } else {
            relocated = path;
        }
        return new Violation(relocated, violation.problem(), violation.allowed());
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + ".") || path.startsWith(prefix + "[");
    }
}
