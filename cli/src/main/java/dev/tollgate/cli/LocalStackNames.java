package dev.tollgate.cli;

/**
 * The names a local stack gives Tollgate's resources. With {@code --endpoint-url} the commands find the state
 * machines and the table by these names instead of a CloudFormation stack's outputs; the local stack creates them so.
 */
public final class LocalStackNames {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";
    public static final String TABLE_NAME = "tollgate-deployments";
    public static final String STATE_MACHINE_NAME = "tollgate-deployment";
    /** The release state machine ({@code ReleaseStateMachine}): waves of targets, each an execution of the deployment one. */
    public static final String RELEASE_STATE_MACHINE_NAME = "tollgate-release";

    private LocalStackNames() {}

    public static String stateMachineArn(String name) {
        return "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + name;
    }
}
