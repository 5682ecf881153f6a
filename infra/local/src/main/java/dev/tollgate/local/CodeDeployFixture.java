package dev.tollgate.local;

import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.ComputePlatform;
import software.amazon.awssdk.services.codedeploy.model.DeploymentOption;
import software.amazon.awssdk.services.codedeploy.model.DeploymentType;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;

/**
 * A CodeDeploy application (Lambda compute platform) with one deployment group, over the function
 * and alias of a {@link LambdaAliasFixture}: what a team has before Tollgate drives CodeDeploy for them.
 */
public record CodeDeployFixture(LambdaAliasFixture function, String application, String deploymentGroup) {

    public static CodeDeployFixture create(LocalStack stack, String service) {
        LambdaAliasFixture function = LambdaAliasFixture.create(stack, service);
        String application = service;
        String group = service + "-prod";
        try (CodeDeployClient codeDeploy = stack.codeDeploy()) {
            codeDeploy.createApplication(
                    create -> create.applicationName(application).computePlatform(ComputePlatform.LAMBDA));
            codeDeploy.createDeploymentGroup(create -> create.applicationName(application)
                    .deploymentGroupName(group)
                    .serviceRoleArn(LambdaAliasFixture.roleArn(stack))
                    .deploymentStyle(style -> style.deploymentType(DeploymentType.BLUE_GREEN)
                            .deploymentOption(DeploymentOption.WITH_TRAFFIC_CONTROL)));
        }
        return new CodeDeployFixture(function, application, group);
    }

    public String service() {
        return function.service();
    }

    /**
     * An ECS application {@code application} with the deployment group {@code <application>-prod}, and
     * the release's task definition (family {@code application}, one container); returns its ARN.
     */
    public static String ecsRelease(LocalStack stack, String application, ContainerDefinition container) {
        try (CodeDeployClient codeDeploy = stack.codeDeploy();
                EcsClient ecs = stack.ecs()) {
            codeDeploy.createApplication(
                    create -> create.applicationName(application).computePlatform(ComputePlatform.ECS));
            codeDeploy.createDeploymentGroup(create -> create.applicationName(application)
                    .deploymentGroupName(application + "-prod")
                    .serviceRoleArn(LambdaAliasFixture.roleArn(stack)));
            return ecs.registerTaskDefinition(
                            register -> register.family(application).containerDefinitions(container))
                    .taskDefinition()
                    .taskDefinitionArn();
        }
    }
}
