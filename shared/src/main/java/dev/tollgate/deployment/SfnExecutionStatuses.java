package dev.tollgate.deployment;

import dev.tollgate.aws.AwsErrors;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/** Execution statuses from Step Functions' DescribeExecution. */
public final class SfnExecutionStatuses implements ExecutionStatuses {

    private final SfnClient sfn;

    public SfnExecutionStatuses(SfnClient sfn) {
        this.sfn = sfn;
    }

    @Override
    public Optional<String> status(String executionArn) {
        try {
            return Optional.of(sfn.describeExecution(describe -> describe.executionArn(executionArn))
                    .statusAsString());
        } catch (ExecutionDoesNotExistException gone) {
            return Optional.empty();
        } catch (SdkException failure) {
            throw AwsErrors.translate("Step Functions DescribeExecution", failure);
        }
    }
}
