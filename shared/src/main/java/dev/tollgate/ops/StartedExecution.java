package dev.tollgate.ops;

/**
 * An execution that StartExecution started or found. {@code existedBefore} is true when an
 * execution of that name existed with another input or had already ended (ExecutionAlreadyExists);
 * starting the same name with the same input while it runs answers the running one, as on AWS.
 */
public record StartedExecution(String executionArn, boolean existedBefore) {}
