package dev.tollgate.smoke;

import java.time.Duration;

/** Invokes a Lambda function synchronously and says how it went, never throwing for the function's own failure. */
public interface FunctionInvoker {

    FunctionReply invoke(String function, String payload, Duration timeout);
}
