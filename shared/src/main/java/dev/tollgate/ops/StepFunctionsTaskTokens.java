package dev.tollgate.ops;

import dev.tollgate.aws.AwsErrors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/** Answers a waiting task's token (SendTaskSuccess, SendTaskFailure): all a function needs that only answers. */
public final class StepFunctionsTaskTokens implements ApprovalGates {

    private final SfnClient sfn;

    public StepFunctionsTaskTokens(SfnClient sfn) {
        this.sfn = sfn;
    }

    @Override
    public boolean approve(String taskToken, String outputJson) {
        try {
            sfn.sendTaskSuccess(send -> send.taskToken(taskToken).output(outputJson));
            return true;
        } catch (InvalidTokenException | TaskDoesNotExistException | TaskTimedOutException gone) {
            return false;
        } catch (SdkException failure) {
            throw AwsErrors.translate("Step Functions SendTaskSuccess", failure);
        }
    }

    @Override
    public boolean reject(String taskToken, String error, String cause) {
        try {
            sfn.sendTaskFailure(send -> send.taskToken(taskToken).error(error).cause(cause));
            return true;
        } catch (InvalidTokenException | TaskDoesNotExistException | TaskTimedOutException gone) {
            return false;
        } catch (SdkException failure) {
            throw AwsErrors.translate("Step Functions SendTaskFailure", failure);
        }
    }
}
