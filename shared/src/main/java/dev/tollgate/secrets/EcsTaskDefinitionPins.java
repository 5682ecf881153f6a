package dev.tollgate.secrets;

import static dev.tollgate.aws.AwsCall.call;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * {@link TaskDefinitionPins} on ECS. The derived revision is the source's registration with only
 * the pinned {@code valueFrom}s changed (tags kept), tagged with the source it came from and a
 * fingerprint of the pins. A retry, or a later deployment of the same release with the same
 * pins, finds it as the family's latest revision and registers nothing new. Only container
 * {@code secrets} are pinned: log-driver {@code secretOptions} and registry credentials read the
 * current version, as do references to secrets the spec does not list.
 */
public final class EcsTaskDefinitionPins implements TaskDefinitionPins {

    public static final String DEPLOYMENT_TAG = "tollgate:deployment";
    public static final String DERIVED_FROM_TAG = "tollgate:derived-from";
    public static final String PINS_TAG = "tollgate:secret-pins";
    /** ECS allows 50 tags per resource; the three of Tollgate's come first. */
    private static final int MAX_TAGS = 50;

    private final EcsClient ecs;

    public EcsTaskDefinitionPins(EcsClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public PinnedTaskDefinition pin(String taskDefinition, PinnedSecrets secrets, String deploymentId) {
        if (secrets.secrets().isEmpty()) {
            // Nothing was pinned, so nothing to read: a spec without secrets costs no call.
            return PinnedTaskDefinition.unchanged(taskDefinition);
        }
        DescribeTaskDefinitionResponse source = describe(taskDefinition);
        TaskDefinition definition = source.taskDefinition();
        List<String> pinned = new ArrayList<>();
        List<String> left = new ArrayList<>();
        List<ContainerDefinition> containers = new ArrayList<>();
        Map<String, String> pins = new TreeMap<>();
        boolean changed = false;
        for (ContainerDefinition container : definition.containerDefinitions()) {
            List<Secret> references = new ArrayList<>();
            for (Secret secret : container.secrets()) {
                SecretReferences.Pinning pinning = SecretReferences.pin(secret.valueFrom(), secrets);
                String where = container.name() + "/" + secret.name();
                if (pinning.pinned()) {
                    PinnedSecret pin = pinning.secret().orElseThrow();
                    pinned.add(where + " -> " + pin.id() + " version " + pin.versionId());
                    pins.put(where, pinning.valueFrom());
                } else {
                    left.add(where + " (" + secret.valueFrom() + ": "
                            + pinning.leftBecause().orElse("") + ")");
                }
                changed |= !pinning.valueFrom().equals(secret.valueFrom());
                references.add(secret.toBuilder().valueFrom(pinning.valueFrom()).build());
            }
            containers.add(
                    container.secrets().isEmpty()
                            ? container
                            : container.toBuilder().secrets(references).build());
        }
        String sourceArn = definition.taskDefinitionArn();
        if (!changed) {
            return new PinnedTaskDefinition(sourceArn, sourceArn, pinned, left);
        }
        String fingerprint = fingerprint(sourceArn, pins);
        DescribeTaskDefinitionResponse latest = describe(definition.family());
        if (sourceArn.equals(tag(latest, DERIVED_FROM_TAG)) && fingerprint.equals(tag(latest, PINS_TAG))) {
            return new PinnedTaskDefinition(latest.taskDefinition().taskDefinitionArn(), sourceArn, pinned, left);
        }
        return new PinnedTaskDefinition(
                register(definition, containers, source.tags(), deploymentId, fingerprint), sourceArn, pinned, left);
    }

    private DescribeTaskDefinitionResponse describe(String taskDefinition) {
        return call(
                "ECS DescribeTaskDefinition of " + taskDefinition,
                () -> ecs.describeTaskDefinition(
                        describe -> describe.taskDefinition(taskDefinition).include(TaskDefinitionField.TAGS)));
    }

    private String register(
            TaskDefinition definition,
            List<ContainerDefinition> containers,
            List<Tag> sourceTags,
            String deploymentId,
            String fingerprint) {
        List<Tag> tags = new ArrayList<>(List.of(
                Tag.builder()
                        .key(DERIVED_FROM_TAG)
                        .value(definition.taskDefinitionArn())
                        .build(),
                Tag.builder().key(PINS_TAG).value(fingerprint).build(),
                Tag.builder().key(DEPLOYMENT_TAG).value(deploymentId).build()));
        // The source's own tags travel with it (ECS refuses the reserved aws: prefix); Tollgate's replace any it had.
        sourceTags.stream()
                .filter(tag -> !tag.key().startsWith("aws:") && !tag.key().startsWith("tollgate:"))
                .limit(MAX_TAGS - tags.size())
                .forEach(tags::add);
        RegisterTaskDefinitionRequest register = RegisterTaskDefinitionRequest.builder()
                .family(definition.family())
                .taskRoleArn(definition.taskRoleArn())
                .executionRoleArn(definition.executionRoleArn())
                .networkMode(definition.networkMode())
                .containerDefinitions(containers)
                .volumes(definition.volumes())
                .placementConstraints(definition.placementConstraints())
                .requiresCompatibilitiesWithStrings(definition.requiresCompatibilitiesAsStrings())
                .cpu(definition.cpu())
                .memory(definition.memory())
                .inferenceAccelerators(definition.inferenceAccelerators())
                .pidMode(definition.pidMode())
                .ipcMode(definition.ipcMode())
                .proxyConfiguration(definition.proxyConfiguration())
                .ephemeralStorage(definition.ephemeralStorage())
                .runtimePlatform(definition.runtimePlatform())
                .enableFaultInjection(definition.enableFaultInjection())
                .tags(tags)
                .build();
        return call(
                        "ECS RegisterTaskDefinition (secrets pinned, derived from " + definition.taskDefinitionArn()
                                + ")",
                        () -> ecs.registerTaskDefinition(register))
                .taskDefinition()
                .taskDefinitionArn();
    }

    private static String tag(DescribeTaskDefinitionResponse described, String key) {
        return described.tags().stream()
                .filter(tag -> key.equals(tag.key()))
                .map(Tag::value)
                .findFirst()
                .orElse(null);
    }

    /** The derivation's identity: its source and every reference it pins, hashed to fit a tag value. */
    static String fingerprint(String sourceArn, Map<String, String> pins) {
        String canonical = sourceArn + "\n"
                + pins.entrySet().stream()
                        .map(pin -> pin.getKey() + "=" + pin.getValue())
                        .collect(Collectors.joining("\n"));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", impossible);
        }
    }
}
