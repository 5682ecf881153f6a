package dev.tollgate.local;

import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * A service as a team would run it before its first Tollgate release, created in moto: an ECS
 * cluster with a blue service (live, version {@code v41}) and an idle green one, each behind its
 * own target group, and an ALB listener sending 100 % to blue. The release is {@code v42}. Its
 * container takes the service's database secret ({@code <service>/db}, see {@link ReleaseDatabase})
 * as the environment variable {@value #DATABASE_SECRET_VARIABLE}, by name, as ECS allows in the same
 * account and region; a deployment whose spec lists that secret runs a revision pinned to its version.
 */
public record EcsAlbFixture(
        String service,
        String cluster,
        String blueService,
        String greenService,
        String listenerArn,
        String blueTargetGroupArn,
        String greenTargetGroupArn,
        String liveTaskDefinition,
        String releaseTaskDefinition) {

    public static final String LIVE_VERSION = "v41";
    public static final String RELEASE_VERSION = "v42";
    /** The moto launcher's extension: a task definition with this tag set to FAILED fails its rollout. */
    public static final String ROLLOUT_TAG = "tollgate-local:rollout";
    /** The moto launcher's extension: a load balancer with this tag reports its value as its DNS name. */
    public static final String DNS_NAME_TAG = "tollgate-local:dns-name";
    /** The environment variable the service's containers read the database secret into. */
    public static final String DATABASE_SECRET_VARIABLE = "DATABASE_SECRET";

    public static EcsAlbFixture create(LocalStack stack, String service) {
        try (EcsClient ecs = stack.ecs();
                ElasticLoadBalancingV2Client elb = stack.elb();
                Ec2Client ec2 = stack.ec2()) {
            String cluster = service + "-cluster";
            ecs.createCluster(create -> create.clusterName(cluster));
            String live = registerTaskDefinition(ecs, service, LIVE_VERSION);
            String release = registerTaskDefinition(ecs, service, RELEASE_VERSION);
            ecs.createService(create -> create.cluster(cluster)
                    .serviceName(service + "-blue")
                    .taskDefinition(live)
                    .desiredCount(2));
            ecs.createService(create -> create.cluster(cluster)
                    .serviceName(service + "-green")
                    .taskDefinition(live)
                    .desiredCount(0));

            List<Subnet> subnets = ec2.describeSubnets().subnets();
            String vpc = subnets.get(0).vpcId();
            List<String> subnetIds = subnets.stream()
                    .filter(subnet -> subnet.vpcId().equals(vpc))
                    .map(Subnet::subnetId)
                    .limit(2)
                    .toList();
            String loadBalancer = elb.createLoadBalancer(
                            create -> create.name(service + "-alb").subnets(subnetIds))
                    .loadBalancers()
                    .get(0)
                    .loadBalancerArn();
            String blue = elb.createTargetGroup(create -> create.name(service + "-blue")
                            .protocol(ProtocolEnum.HTTP)
                            .port(8080)
                            .vpcId(vpc))
                    .targetGroups()
                    .get(0)
                    .targetGroupArn();
            String green = elb.createTargetGroup(create -> create.name(service + "-green")
                            .protocol(ProtocolEnum.HTTP)
                            .port(8080)
                            .vpcId(vpc))
                    .targetGroups()
                    .get(0)
                    .targetGroupArn();
            Action allToBlue = Action.builder()
                    .type(ActionTypeEnum.FORWARD)
                    .forwardConfig(ForwardActionConfig.builder()
                            .targetGroups(
                                    TargetGroupTuple.builder()
                                            .targetGroupArn(blue)
                                            .weight(100)
                                            .build(),
                                    TargetGroupTuple.builder()
                                            .targetGroupArn(green)
                                            .weight(0)
                                            .build())
                            .build())
                    .build();
            String listener = elb.createListener(create -> create.loadBalancerArn(loadBalancer)
                            .protocol(ProtocolEnum.HTTP)
                            .port(80)
                            .defaultActions(allToBlue))
                    .listeners()
                    .get(0)
                    .listenerArn();
            return new EcsAlbFixture(
                    service, cluster, service + "-blue", service + "-green", listener, blue, green, live, release);
        }
    }

    /**
     * Another release whose tasks never start: tagged so the local stack's ECS rolls it out as the
     * deployment circuit breaker reports a failure (see moto_ext/ecs.py).
     */
    public String registerFailingRelease(LocalStack stack, String version) {
        try (EcsClient ecs = stack.ecs()) {
            return ecs.registerTaskDefinition(register -> register.family(service)
                            .executionRoleArn(executionRole(service))
                            .tags(Tag.builder().key(ROLLOUT_TAG).value("FAILED").build())
                            .containerDefinitions(container(service, version)))
                    .taskDefinition()
                    .taskDefinitionArn();
        }
    }

    /**
     * A test listener on the service's load balancer, on {@code port} of 127.0.0.1 (where a {@link LocalCanaryEndpoint}
     * listens): it forwards to the blue target group until a smoke test points it at the canary's, and the load
     * balancer is tagged so that it reports 127.0.0.1 as its DNS name (see moto_ext/elbv2.py).
     */
    public String addTestListener(LocalStack stack, int port) {
        try (ElasticLoadBalancingV2Client elb = stack.elb()) {
            String loadBalancer = elb.describeListeners(describe -> describe.listenerArns(listenerArn))
                    .listeners()
                    .get(0)
                    .loadBalancerArn();
            elb.addTags(tag -> tag.resourceArns(loadBalancer)
                    .tags(software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag.builder()
                            .key(DNS_NAME_TAG)
                            .value("127.0.0.1")
                            .build()));
            Action toBlue = Action.builder()
                    .type(ActionTypeEnum.FORWARD)
                    .forwardConfig(ForwardActionConfig.builder()
                            .targetGroups(TargetGroupTuple.builder()
                                    .targetGroupArn(blueTargetGroupArn)
                                    .weight(100)
                                    .build())
                            .build())
                    .build();
            return elb.createListener(create -> create.loadBalancerArn(loadBalancer)
                            .protocol(ProtocolEnum.HTTP)
                            .port(port)
                            .defaultActions(toBlue))
                    .listeners()
                    .get(0)
                    .listenerArn();
        }
    }

    /** Another release of the service, for a next deployment. */
    public String registerRelease(LocalStack stack, String version) {
        try (EcsClient ecs = stack.ecs()) {
            return registerTaskDefinition(ecs, service, version);
        }
    }

    private static String registerTaskDefinition(EcsClient ecs, String service, String version) {
        return ecs.registerTaskDefinition(register -> register.family(service)
                        .executionRoleArn(executionRole(service))
                        .containerDefinitions(container(service, version)))
                .taskDefinition()
                .taskDefinitionArn();
    }

    /** ECS reads a task's secrets with its execution role, so a release that lists secrets names one. */
    private static String executionRole(String service) {
        return "arn:aws:iam::" + LocalStack.ACCOUNT + ":role/" + service + "-execution";
    }

    private static ContainerDefinition container(String service, String version) {
        return ContainerDefinition.builder()
                .name("app")
                .image("registry.example/" + service + ":" + version)
                .memory(512)
                .essential(true)
                .secrets(Secret.builder()
                        .name(DATABASE_SECRET_VARIABLE)
                        .valueFrom(ReleaseDatabase.secretId(service))
                        .build())
                .build();
    }
}
