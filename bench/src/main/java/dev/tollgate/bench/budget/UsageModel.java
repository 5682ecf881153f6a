package dev.tollgate.bench.budget;

import dev.tollgate.aws.AwsCallCounter.CallKey;
import dev.tollgate.aws.AwsCallCounter.Count;
import dev.tollgate.bench.perf.Spread;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one measured deployment into the usage of another of a different shape. A deployment's
 * states fall in four groups: those of an analysis tick (WaitForFirstTick or Bake, Decide, RouteDecision),
 * those of a traffic shift (ShiftTraffic), those of a canary health poll (WaitForCanary,
 * CheckCanaryHealth, IsCanaryHealthy), and the rest, which run once. Each group's transitions and
 * invocations scale with the number of ticks, shifts or polls; each function's AWS calls scale with
 * its invocations; each Lambda invocation lasts as long as the measured median of its state.
 */
public final class UsageModel {

    static final Set<String> TICK_STATES = Set.of("WaitForFirstTick", "Bake", "Decide", "RouteDecision");
    static final Set<String> SHIFT_STATES = Set.of("ShiftTraffic");
    static final Set<String> POLL_STATES = Set.of("WaitForCanary", "CheckCanaryHealth", "IsCanaryHealthy");

    /** A deployment's shape: analysis ticks, traffic shifts, canary health polls, and the functions' memory. */
    public record Shape(double ticks, double shifts, double healthPolls, int memoryMb) {

        /**
         * Steps of {@code bakeSeconds} each at {@code periodSeconds} per tick, the last step being the
         * promotion (no bake), and the canary's ECS rollout polled {@code healthPolls} times.
         */
        public static Shape of(int steps, int bakeSeconds, int periodSeconds, int healthPolls, int memoryMb) {
            int ticksPerStep = (int) Math.ceil(bakeSeconds / (double) periodSeconds);
            return new Shape((double) (steps - 1) * ticksPerStep, steps - 1, healthPolls, memoryMb);
        }
    }

    /** The measured deployment: its history's ledger, every AWS call its functions made, and its record's size. */
    public record Measured(
            DeploymentLedger ledger,
            Map<CallKey, Count> calls,
            Map<String, String> functionOfState,
            int recordBytes,
            int memoryMb) {

        Shape shape() {
            return new Shape(
                    ledger.invocations("Decide"),
                    ledger.invocations("ShiftTraffic"),
                    ledger.invocations("CheckCanaryHealth"),
                    memoryMb);
        }
    }

    private final Measured measured;

    public UsageModel(Measured measured) {
        this.measured = measured;
    }

    /** The measured deployment's own usage. */
    public DeploymentUsage measuredUsage() {
        return usage(measured.shape());
    }

    public DeploymentUsage usage(Shape shape) {
        Shape base = measured.shape();
        DeploymentLedger ledger = measured.ledger();
        double transitions = 0;
        double requests = 0;
        double gbSeconds = 0;
        for (String state : ledger.transitionsByState().keySet()) {
            double factor = factor(state, base, shape);
            transitions += ledger.transitions(state) * factor;
            double invocations = ledger.invocations(state) * factor;
            requests += invocations;
            List<Double> millis = ledger.invocationMillisByState().get(state);
            if (invocations > 0 && millis != null && !millis.isEmpty()) {
                // Lambda bills duration rounded up to the millisecond.
                gbSeconds += invocations * Math.ceil(Spread.of(millis).median()) / 1000.0 * shape.memoryMb() / 1024.0;
            }
        }
        double itemKilobytes = Math.max(
                1, Math.ceil(measured.recordBytes() / 1024.0 * Math.max(1, shape.ticks() / Math.max(1, base.ticks()))));
        double writes = 0;
        double reads = 0;
        double metrics = 0;
        double secrets = 0;
        double gets = 0;
        double lists = 0;
        double events = 0;
        for (Map.Entry<CallKey, Count> call : measured.calls().entrySet()) {
            double factor = functionFactor(call.getKey().function(), base, shape);
            double attempts = call.getValue().attempts() * factor;
            String operation = call.getKey().operation();
            switch (call.getKey().service()) {
                case "DynamoDb" -> {
                    if (Set.of("PutItem", "UpdateItem", "DeleteItem").contains(operation)) {
                        writes += attempts;
                    } else if (Set.of("GetItem", "Query").contains(operation)) {
                        reads += attempts;
                    }
                }
                case "CloudWatch" -> metrics += call.getValue().metricsRequested() * factor;
                case "SecretsManager" -> secrets += attempts;
                // One entry per PutEvents (a fact is far below 64 KB); a retried attempt is billed again.
                case "EventBridge" -> events += attempts;
                case "S3" -> {
                    if (operation.startsWith("List")) {
                        lists += attempts;
                    } else if ("GetObject".equals(operation)) {
                        gets += attempts;
                    }
                }
                default -> {
                    // ECS, Elastic Load Balancing, Step Functions, CodePipeline: no charge per call.
                }
            }
        }
        // An item's writes cost one unit per KB of the larger of the item before and after; consistent reads one per 4
        // KB.
        return new DeploymentUsage(
                transitions,
                requests,
                gbSeconds,
                metrics,
                writes * itemKilobytes,
                reads * Math.ceil(itemKilobytes / 4),
                secrets,
                gets,
                lists,
                events);
    }

    static double factor(String state, Shape base, Shape shape) {
        if (TICK_STATES.contains(state)) {
            return ratio(shape.ticks(), base.ticks());
        }
        if (SHIFT_STATES.contains(state)) {
            return ratio(shape.shifts(), base.shifts());
        }
        if (POLL_STATES.contains(state)) {
            return ratio(shape.healthPolls(), base.healthPolls());
        }
        return 1;
    }

    /** A function's invocations in {@code shape} over those measured. */
    double functionFactor(String function, Shape base, Shape shape) {
        double measuredInvocations = 0;
        double scaledInvocations = 0;
        for (Map.Entry<String, String> state : measured.functionOfState().entrySet()) {
            if (state.getValue().equals(function)) {
                int invocations = measured.ledger().invocations(state.getKey());
                measuredInvocations += invocations;
                scaledInvocations += invocations * factor(state.getKey(), base, shape);
            }
        }
        return measuredInvocations == 0 ? 1 : scaledInvocations / measuredInvocations;
    }

    private static double ratio(double wanted, double measured) {
        return measured == 0 ? 0 : wanted / measured;
    }
}
