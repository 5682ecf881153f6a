package dev.tollgate.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.json.Json;
import dev.tollgate.spec.ReleaseSpec.WaveTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The release validator's promise for any JSON: a normalised release or an {@link InvalidSpecException}
 * listing each problem once with its path, never another exception; and every target's spec it composes
 * is one the spec validator accepts unchanged. Mutations of a valid release from a fixed seed, as
 * {@link SpecValidatorFuzzTest} does for specs.
 */
class ReleaseValidatorFuzzTest {

    private static final long SEED = 20_261_204L;
    private static final int CASES = 1_500;

    private final ReleaseValidator validator = new ReleaseValidator();
    private final SpecValidator specValidator = new SpecValidator();

    @Test
    void neverThrowsAnythingButInvalidSpecExceptionAndComposesOnlyValidSpecs() {
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        int accepted = 0;
        for (int run = 0; run < CASES; run++) {
            ObjectNode release = SpecFixtures.load("release-three-regions.json");
            int mutations = random.nextInt(3) == 0 ? 2 + random.nextInt(3) : 1;
            for (int count = 0; count < mutations; count++) {
                SpecValidatorFuzzTest.mutate(release, random);
            }
            accepted += check(release, "case " + run + " of seed " + SEED, failures) ? 1 : 0;
        }
        for (int run = 0; run < 500; run++) {
            check(SpecValidatorFuzzTest.junk(random, 4), "junk case " + run, failures);
        }
        assertTrue(
                failures.isEmpty(),
                () -> failures.size() + " cases broke the promise; the first:\n"
                        + String.join("\n", failures.subList(0, Math.min(5, failures.size()))));
        assertTrue(accepted > CASES / 100 && accepted < CASES / 2, "accepted " + accepted + " of " + CASES);
    }

    private boolean check(JsonNode request, String label, List<String> failures) {
        ReleaseSpec release;
        try {
            release = validator.validate(request);
        } catch (InvalidSpecException refusal) {
            SpecValidatorFuzzTest.malformed(refusal, label, request).ifPresent(failures::add);
            return false;
        } catch (RuntimeException unexpected) {
            failures.add(label + ": " + unexpected + " at " + unexpected.getStackTrace()[0] + " for " + request);
            return false;
        }
        for (WaveTarget target : release.targets()) {
            try {
                if (!specValidator
                        .validate(Json.MAPPER.valueToTree(target.spec()))
                        .equals(target.spec())) {
                    failures.add(label + ": " + target.spec().deploymentId() + "'s spec is not a fixed point");
                }
            } catch (InvalidSpecException refusal) {
                failures.add(
                        label + ": " + target.spec().deploymentId() + "'s spec was refused: " + refusal.getMessage());
            }
        }
        return true;
    }
}
