package dev.tollgate.traffic.alb;

import static dev.tollgate.aws.AwsCall.call;

import dev.tollgate.errors.CanaryUnhealthyException;
import dev.tollgate.errors.TargetStateConflictException;
import dev.tollgate.secrets.PinnedSecrets;
import dev.tollgate.secrets.PinnedTaskDefinition;
import dev.tollgate.secrets.TaskDefinitionPins;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.EcsAlbTarget;
import dev.tollgate.traffic.CanaryDeployment;
import dev.tollgate.traffic.CanaryHealth;
import dev.tollgate.traffic.EcsAlbPlan;
import dev.tollgate.traffic.ReleasePlan;
import dev.tollgate.traffic.TrafficOutcome;
import dev.tollgate.traffic.TrafficRouter;
import dev.tollgate.traffic.TrafficWeights;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * ECS blue/green behind one ALB: two services, each with its own target group, and the listener's
 * forward action (or a named rule's) splitting traffic between the groups. The live side is the
 * one the listener sends everything to, cross-checked with the {@code tollgate:live-since} tag
 * Tollgate puts on the side it promotes; each release goes to the other side, so sides alternate.
 */
public final class AlbWeightedRouter implements TrafficRouter {

    /** When Tollgate last made a service the live side (ISO-8601); the most recent tag names the live side. */
    public static final String LIVE_SINCE_TAG = "tollgate:live-since";
    /** The deployment that made the service live. */
    public static final String LIVE_DEPLOYMENT_TAG = "tollgate:live-deployment";

    private static final String BLUE = "blue";
    private static final String GREEN = "green";

    private final EcsAlbTarget target;
    private final EcsClient ecs;
    private final AlbListener listener;
    private final TaskDefinitionPins pins;
    private final Clock clock;

    /** {@code pins} derives the release's task definition revision that reads the pinned secret versions. */
    public AlbWeightedRouter(
            EcsAlbTarget target,
            EcsClient ecs,
            ElasticLoadBalancingV2Client elb,
            TaskDefinitionPins pins,
            Clock clock) {
        this.target = target;
        this.ecs = ecs;
        this.listener = new AlbListener(elb, target.listenerArn(), target.listenerRuleArn());
        this.pins = pins;
        this.clock = clock;
    }

    @Override
    public ReleasePlan plan(DeploymentSpec spec) {
        String deploymentId = spec.deploymentId();
        Map<String, Integer> weights = sideWeights(listener.weights());
        int blue = weights.get(BLUE);
        int green = weights.get(GREEN);
        if (blue > 0 && green > 0) {
            throw new TargetStateConflictException("the listener splits traffic " + percent(blue, blue + green)
                    + " % to "
                    + target.blueService() + " and " + percent(green, blue + green) + " % to " + target.greenService()
                    + ": a release is in flight or someone split it by hand. A new release starts with all traffic on one side; "
                    + "finish or roll back the deployment that split it, or send 100 % to the live side by hand");
        }
        String liveByTraffic = blue > 0 ? BLUE : GREEN;
        Service blueService = service(target.blueService());
        Service greenService = service(target.greenService());
        Optional<String> liveByTag = liveByTag(blueService, greenService);
        if (liveByTag.isPresent() && !liveByTag.get().equals(liveByTraffic)) {
            Service tagged = BLUE.equals(liveByTag.get()) ? blueService : greenService;
            throw new TargetStateConflictException("the listener sends all traffic to " + serviceName(liveByTraffic)
                    + ", but Tollgate last made " + tagged.serviceName() + " live ("
                    + tag(tagged, LIVE_DEPLOYMENT_TAG).orElse("?")
                    + " at " + tag(tagged, LIVE_SINCE_TAG).orElse("?") + "): traffic was moved by hand since. If "
                    + serviceName(liveByTraffic) + " is meant to be live, remove the " + LIVE_SINCE_TAG + " tag from "
                    + tagged.serviceName() + "; otherwise send the traffic back to it");
        }
        Service live = BLUE.equals(liveByTraffic) ? blueService : greenService;
        String canarySide = BLUE.equals(liveByTraffic) ? GREEN : BLUE;
        return new EcsAlbPlan(
                deploymentId,
                liveByTraffic,
                live.serviceName(),
                targetGroup(liveByTraffic),
                live.taskDefinition(),
                canarySide,
                serviceName(canarySide),
                targetGroup(canarySide),
                target.taskDefinition(),
                Math.max(1, live.desiredCount()));
    }

    @Override
    public CanaryDeployment deployCanary(ReleasePlan release, PinnedSecrets secrets) {
        EcsAlbPlan planned = ecsAlb(release);
        TrafficWeights weights = currentWeights(planned);
        if (weights.canaryPercent() != 0) {
            throw new TargetStateConflictException(
                    planned.canarySide() + " target group " + planned.canaryTargetGroupArn()
                            + " already receives " + weights.canaryPercent()
                            + " % of traffic; a new release starts from 100 % on "
                            + planned.liveService()
                            + ". Finish or roll back the deployment that moved it, or set the listener by hand");
        }
        // The revision the canary runs reads the pinned secret versions; the plan names it from here on.
        PinnedTaskDefinition pinned = pins.pin(planned.canaryTaskDefinition(), secrets, planned.deploymentId());
        EcsAlbPlan plan = planned.withCanaryTaskDefinition(pinned.taskDefinitionArn());
        call(
                "ECS UpdateService",
                () -> ecs.updateService(update -> update.cluster(target.cluster())
                        .service(plan.canaryService())
                        .taskDefinition(plan.canaryTaskDefinition())
                        .desiredCount(plan.desiredCount())
                        .forceNewDeployment(false)));
        String secretsNote = pinned.describe();
        return new CanaryDeployment(
                plan,
                plan.canarySide() + " service " + plan.canaryService() + " updated to "
                        + plan.canaryTaskDefinition() + " with " + plan.desiredCount() + " tasks (as " + plan.liveSide()
                        + ")"
                        + (secretsNote.isEmpty() ? "" : "; " + secretsNote));
    }

    @Override
    public CanaryHealth canaryHealth(ReleasePlan release) {
        EcsAlbPlan plan = ecsAlb(release);
        Service canary = service(plan.canaryService());
        // A rollout of the release that failed is final, even when ECS has already rolled the service back.
        for (Deployment deployment : canary.deployments()) {
            if (sameTaskDefinition(deployment.taskDefinition(), plan.canaryTaskDefinition())
                    && "FAILED".equals(deployment.rolloutStateAsString())) {
                throw new CanaryUnhealthyException(
                        plan.canarySide() + " deployment of " + plan.canaryTaskDefinition() + " failed: "
                                + deployment.rolloutStateReason() + " (" + deployment.failedTasks() + " failed tasks, "
                                + deployment.runningCount() + "/" + deployment.desiredCount() + " running)");
            }
        }
        Optional<Deployment> primary = canary.deployments().stream()
                .filter(d -> "PRIMARY".equals(d.status()))
                .findFirst();
        if (primary.isEmpty()) {
            return new CanaryHealth(false, "no primary deployment on " + plan.canaryService() + " yet");
        }
        Deployment deployment = primary.get();
        String seen = "running " + deployment.runningCount() + "/" + deployment.desiredCount() + " tasks of "
                + deployment.taskDefinition() + ", rollout " + deployment.rolloutStateAsString()
                + (deployment.failedTasks() != null && deployment.failedTasks() > 0
                        ? ", " + deployment.failedTasks() + " failed tasks"
                        : "");
        requireRelease(plan, deployment);
        boolean settled = deployment.rolloutState() == null || "COMPLETED".equals(deployment.rolloutStateAsString());
        boolean healthy = settled
                && deployment.desiredCount() > 0
                && deployment.runningCount().equals(deployment.desiredCount())
                && (deployment.failedTasks() == null || deployment.failedTasks() == 0)
                && canary.deployments().size() == 1;
        return new CanaryHealth(healthy, seen);
    }

    @Override
    public TrafficWeights currentWeights(ReleasePlan release) {
        EcsAlbPlan plan = ecsAlb(release);
        Map<String, Integer> weights = sideWeights(listener.weights());
        int canary = weights.get(plan.canarySide());
        int live = weights.get(plan.liveSide());
        return TrafficWeights.canaryAt(percent(canary, canary + live));
    }

    @Override
    public TrafficWeights shift(ReleasePlan release, int canaryPercent) {
        EcsAlbPlan plan = ecsAlb(release);
        // Never send traffic to a side that runs something other than the release.
        service(plan.canaryService()).deployments().stream()
                .filter(d -> "PRIMARY".equals(d.status()))
                .findFirst()
                .ifPresent(primary -> requireRelease(plan, primary));
        return apply(plan, canaryPercent);
    }

    @Override
    public TrafficOutcome promote(ReleasePlan release) {
        EcsAlbPlan plan = ecsAlb(release);
        TrafficWeights weights = apply(plan, 100);
        Service canary = service(plan.canaryService());
        Instant now = clock.instant();
        markLive(canary, plan.deploymentId(), now);
        return TrafficOutcome.settled(
                weights, plan.canaryService() + " is live (tagged " + LIVE_SINCE_TAG + "=" + now + ")");
    }

    @Override
    public String retireOldVersion(ReleasePlan release) {
        EcsAlbPlan plan = ecsAlb(release);
        int oldSideWeight = sideWeights(listener.weights()).get(plan.liveSide());
        if (oldSideWeight > 0) {
            throw new TargetStateConflictException("not scaling " + plan.liveService() + " down: the listener sends it "
                    + oldSideWeight + " weight again, so someone moved traffic back after the promotion");
        }
        call(
                "ECS UpdateService",
                () -> ecs.updateService(update -> update.cluster(target.cluster())
                        .service(plan.liveService())
                        .desiredCount(0)));
        return plan.liveSide() + " service " + plan.liveService() + " scaled to 0 tasks after the drain; "
                + plan.canaryService() + " serves all traffic";
    }

    @Override
    public TrafficOutcome rollback(ReleasePlan release) {
        EcsAlbPlan plan = ecsAlb(release);
        TrafficWeights weights = apply(plan, 0);
        // Traffic is safe first; stopping the canary's tasks comes after, and is itself safe to repeat.
        call(
                "ECS UpdateService",
                () -> ecs.updateService(update -> update.cluster(target.cluster())
                        .service(plan.canaryService())
                        .desiredCount(0)));
        // A promotion that got as far as tagging the canary side live is undone on the tags too.
        Service canary = service(plan.canaryService());
        if (tag(canary, LIVE_DEPLOYMENT_TAG).filter(plan.deploymentId()::equals).isPresent()) {
            markLive(service(plan.liveService()), plan.deploymentId(), clock.instant());
        }
        return TrafficOutcome.settled(
                weights, "all traffic on " + plan.liveService() + ", " + plan.canaryService() + " scaled to 0 tasks");
    }

    private TrafficWeights apply(EcsAlbPlan plan, int canaryPercent) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        // Blue first, as teams usually write it, whichever side is live.
        wanted.put(target.blueTargetGroupArn(), BLUE.equals(plan.canarySide()) ? canaryPercent : 100 - canaryPercent);
        wanted.put(target.greenTargetGroupArn(), GREEN.equals(plan.canarySide()) ? canaryPercent : 100 - canaryPercent);
        listener.forward(wanted);
        TrafficWeights applied = currentWeights(plan);
        if (applied.canaryPercent() != canaryPercent) {
            throw new TargetStateConflictException("asked the listener for " + TrafficWeights.canaryAt(canaryPercent)
                    + " but it reads back " + applied);
        }
        return applied;
    }

    /** The listener's weights on the blue and green target groups; weight on any other group is a conflict. */
    private Map<String, Integer> sideWeights(Map<String, Integer> weights) {
        int blue = 0;
        int green = 0;
        for (Map.Entry<String, Integer> group : weights.entrySet()) {
            if (group.getKey().equals(target.blueTargetGroupArn())) {
                blue += group.getValue();
            } else if (group.getKey().equals(target.greenTargetGroupArn())) {
                green += group.getValue();
            } else if (group.getValue() > 0) {
                throw new TargetStateConflictException("the listener forwards " + group.getValue() + " weight to "
                        + group.getKey() + ", which is neither the blue nor the green target group");
            }
        }
        if (blue + green == 0) {
            throw new TargetStateConflictException(
                    "the listener forwards to neither the blue nor the green target group");
        }
        return Map.of(BLUE, blue, GREEN, green);
    }

    private void requireRelease(EcsAlbPlan plan, Deployment primary) {
        if (!sameTaskDefinition(primary.taskDefinition(), plan.canaryTaskDefinition())) {
            throw new TargetStateConflictException(plan.canarySide() + " service " + plan.canaryService() + " runs "
                    + primary.taskDefinition() + ", not " + plan.canaryTaskDefinition()
                    + ": it was changed by someone else during the deployment");
        }
    }

    /** The side Tollgate last made live, by the most recent {@code tollgate:live-since} tag; empty when neither side has one. */
    private static Optional<String> liveByTag(Service blue, Service green) {
        Optional<Instant> blueSince = tag(blue, LIVE_SINCE_TAG).flatMap(AlbWeightedRouter::instant);
        Optional<Instant> greenSince = tag(green, LIVE_SINCE_TAG).flatMap(AlbWeightedRouter::instant);
        if (blueSince.isEmpty() && greenSince.isEmpty()) {
            return Optional.empty();
        }
        if (greenSince.isEmpty() || blueSince.isPresent() && blueSince.get().isAfter(greenSince.get())) {
            return Optional.of(BLUE);
        }
        return Optional.of(GREEN);
    }

    private void markLive(Service service, String deploymentId, Instant now) {
        call(
                "ECS TagResource",
                () -> ecs.tagResource(tag -> tag.resourceArn(service.serviceArn())
                        .tags(
                                Tag.builder()
                                        .key(LIVE_SINCE_TAG)
                                        .value(now.toString())
                                        .build(),
                                Tag.builder()
                                        .key(LIVE_DEPLOYMENT_TAG)
                                        .value(deploymentId)
                                        .build())));
    }

    private static Optional<String> tag(Service service, String key) {
        return service.tags().stream()
                .filter(tag -> key.equals(tag.key()))
                .map(Tag::value)
                .findFirst();
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException notATime) {
            return Optional.empty();
        }
    }

    private Service service(String name) {
        DescribeServicesResponse response = call(
                "ECS DescribeServices",
                () -> ecs.describeServices(describe ->
                        describe.cluster(target.cluster()).services(name).include(ServiceField.TAGS)));
        return response.services().stream()
                .filter(service -> "ACTIVE".equals(service.status()))
                .findFirst()
                .orElseThrow(() -> new TargetStateConflictException(
                        "ECS service " + name + " not found (or not ACTIVE) in cluster " + target.cluster()));
    }

    private String serviceName(String side) {
        return BLUE.equals(side) ? target.blueService() : target.greenService();
    }

    private String targetGroup(String side) {
        return BLUE.equals(side) ? target.blueTargetGroupArn() : target.greenTargetGroupArn();
    }

    private static int percent(int part, int total) {
        return (int) Math.round(100.0 * part / total);
    }

    private static EcsAlbPlan ecsAlb(ReleasePlan plan) {
        if (plan instanceof EcsAlbPlan ecsAlb) {
            return ecsAlb;
        }
        throw new TargetStateConflictException(
                "the deployment's record holds a " + plan.getClass().getSimpleName()
                        + ", not an ECS_ALB plan: the target type changed during the deployment");
    }

    /** Task definitions may be named by ARN or by family:revision. */
    static boolean sameTaskDefinition(String seen, String wanted) {
        if (seen == null) {
            return false;
        }
        return seen.equals(wanted) || seen.endsWith("/" + wanted) || wanted.endsWith("/" + seen);
    }
}
