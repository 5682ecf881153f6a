package dev.tollgate.ops;

/** Links into the AWS console, for a pipeline's summary and the CLI's output. */
public final class ConsoleLinks {

    private ConsoleLinks() {}

    /** {@code arn:aws:states:eu-west-1:123456789012:execution:machine:name} to its page in the Step Functions console. */
    public static String execution(String executionArn) {
        String[] parts = executionArn.split(":");
        String region = parts.length > 3 ? parts[3] : "us-east-1";
        String domain =
                parts.length > 1 && parts[1].equals("aws-cn") ? "console.amazonaws.cn" : "console.aws.amazon.com";
        return "https://" + region + "." + domain + "/states/home?region=" + region + "#/v2/executions/details/"
                + executionArn;
    }
}
