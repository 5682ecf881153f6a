package dev.tollgate.ops;

/**
 * Answers an approval gate: the task token the {@code AwaitApproval} state parked on the
 * deployment record. Each method answers false when the token is no longer valid (answered
 * already, timed out, or its execution ended), so a race between two operators is not an error.
 */
public interface ApprovalGates {

    boolean approve(String taskToken, String outputJson);

    boolean reject(String taskToken, String error, String cause);
}
