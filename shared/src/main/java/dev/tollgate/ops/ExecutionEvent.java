package dev.tollgate.ops;

import java.time.Instant;

/**
 * One event of an execution's history, reduced to what Tollgate reads: its Step Functions type
 * name ({@code TaskStateExited}, {@code LambdaFunctionFailed}, ...), the state it belongs to, the
 * state's input or output JSON, and the error and cause of a failure.
 */
public record ExecutionEvent(
        long id, Instant at, String type, String stateName, String payload, String error, String cause) {

    public boolean is(String eventType) {
        return eventType.equals(type);
    }

    public boolean stateExited() {
        return type != null && type.endsWith("StateExited");
    }

    public boolean stateEntered() {
        return type != null && type.endsWith("StateEntered");
    }
}
