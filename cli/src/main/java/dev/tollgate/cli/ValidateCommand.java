package dev.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.errors.InvalidSpecException;
import dev.tollgate.errors.InvalidSpecException.Violation;
import dev.tollgate.json.Json;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.PlacementReach;
import dev.tollgate.spec.ReleaseBudget;
import dev.tollgate.spec.ReleaseSpec;
import dev.tollgate.spec.ReleaseValidator;
import dev.tollgate.spec.RolloutBudget;
import dev.tollgate.spec.SpecValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate validate --spec FILE}: the state machine's first state, offline. Every problem with
 * its JSON path, or the spec's worst case on AWS (history events, ticks, duration, state size). For a
 * pipeline's build stage and for a person writing a spec: no AWS, no local stack.
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a deployment spec as the state machine's first state does, offline, and prints its worst case on AWS:",
            "history events, analysis ticks, duration and state size against Step Functions' quotas.",
            "Exit status 0 valid, 2 refused (every problem listed), 3 the file cannot be read."
        })
final class ValidateCommand implements Callable<Integer> {

    /** Exit status when the spec file cannot be read at all (missing, unreadable, not UTF-8 text). */
    static final int UNREADABLE = 3;

    @Spec
    CommandSpec command;

    @Option(
            names = "--spec",
            required = true,
            paramLabel = "FILE",
            description =
                    "The deployment spec (JSON), as for tollgate start, or a release in waves (a spec with \"waves\")")
    Path specFile;

    @Option(
            names = "--home-region",
            paramLabel = "REGION",
            description = {
                "The region Tollgate runs in: also checks that its functions can reach every target (another region",
                "needs a roleArn; a CODEDEPLOY target stays home), as ValidateRequest does. Without it, a spec placed",
                "away is checked for everything else and that check is left to the state machine."
            })
    String homeRegion;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        String text;
        try {
            text = Files.readString(specFile);
        } catch (IOException unreadable) {
            err.println("tollgate: cannot read " + specFile + ": "
                    + unreadable.getClass().getSimpleName()
                    + (unreadable.getMessage() == null ? "" : ": " + unreadable.getMessage()));
            err.flush();
            return UNREADABLE;
        }
        JsonNode request;
        try {
            request = json(text);
        } catch (InvalidSpecException notJson) {
            return refused("deployment spec", notJson, err);
        }
        boolean isRelease = request.isObject() && request.has("waves");
        try {
            if (isRelease) {
                ReleaseSpec release = new ReleaseValidator().validate(request);
                checkReach(release);
                return release(release, out);
            }
            DeploymentSpec spec = new SpecValidator().validate(request);
            checkReach(spec, out);
            out.println(specFile + ": valid deployment spec " + spec.deploymentId() + " ("
                    + Json.MAPPER.valueToTree(spec.target()).path("type").asText() + ", " + spec.promotionStepIndex()
                    + " steps before the promotion, "
                    + spec.analysis().metrics().size() + " metrics, "
                    + spec.analysis().alarms().size() + " alarms)");
            out.println(
                    "worst case on AWS (every step baking to maxBakeSeconds, every gate waiting its day, every poll to its"
                            + " deadline, every task retried to its limit; docs/quotas.md):");
            RolloutBudget.of(spec).describe().forEach(out::println);
            out.flush();
            return 0;
        } catch (InvalidSpecException invalid) {
            return refused(isRelease ? "release" : "deployment spec", invalid, err);
        }
    }

    /** The reach rules of a spec placed away, with {@code --home-region}; without it, a note that they are left to the state machine. */
    private void checkReach(DeploymentSpec spec, PrintWriter out) {
        if (homeRegion != null) {
            PlacementReach.check(spec, homeRegion);
        } else if (spec.region() != null || spec.roleArn() != null) {
            out.println("note: placed in " + (spec.region() == null ? "Tollgate's region" : spec.region())
                    + (spec.roleArn() == null ? "" : " as " + spec.roleArn())
                    + "; whether Tollgate's functions can reach it is checked"
                    + " with --home-region, or by the state machine's ValidateRequest");
        }
    }

    /** The reach rules for every target of a release, with {@code --home-region}. */
    private void checkReach(ReleaseSpec release) {
        if (homeRegion != null) {
            PlacementReach.check(release, homeRegion);
        }
    }

    private int refused(String what, InvalidSpecException invalid, PrintWriter err) {
        List<Violation> violations = invalid.violations();
        err.println("tollgate: " + specFile + ": invalid " + what + ", " + violations.size()
                + (violations.size() == 1 ? " problem:" : " problems:"));
        violations.forEach(violation -> err.println("  " + violation));
        err.flush();
        return TollgateCommand.INVALID;
    }

    /** A release in waves: its waves and targets, the parent's worst case, and each target's own (the child executions'). */
    private int release(ReleaseSpec release, PrintWriter out) {
        ReleaseBudget.Estimate parent = ReleaseBudget.of(release);
        out.println(specFile + ": valid release " + release.releaseId() + " ("
                + release.waves().size() + " waves, "
                + release.targets().size() + " targets, " + release.bakeBetweenWavesSeconds()
                + " s between waves, on failure "
                + release.onFailure() + ")");
        out.println("worst case of the parent execution on AWS (docs/quotas.md, \"Wave releases\"): "
                + parent.historyEvents() + " history events of the " + RolloutBudget.HISTORY_EVENT_LIMIT
                + " Tollgate allows, "
                + parent.largestStateBytes() + " bytes of state of the " + RolloutBudget.PAYLOAD_QUOTA_BYTES
                + " AWS allows");
        for (ReleaseSpec.Wave wave : release.waves()) {
            for (ReleaseSpec.WaveTarget target : wave.targets()) {
                DeploymentSpec spec = target.spec();
                RolloutBudget.Estimate child = RolloutBudget.of(spec);
                out.println("wave " + wave.wave() + ": " + spec.deploymentId() + " " + spec.service() + " in "
                        + target.region()
                        + (target.roleArn() == null ? "" : " as " + target.roleArn()) + ", " + spec.promotionStepIndex()
                        + " steps before the promotion, worst case " + child.historyEvents() + " history events");
            }
        }
        out.flush();
        return 0;
    }

    /** The file's JSON; text that is not JSON is a spec with one problem, at its root. */
    private static JsonNode json(String text) {
        try {
            return Json.tree(text);
        } catch (BadRequestException notJson) {
            throw new InvalidSpecException(
                    List.of(new Violation("$", notJson.getMessage(), "a JSON object; see docs/spec.md")));
        }
    }
}
