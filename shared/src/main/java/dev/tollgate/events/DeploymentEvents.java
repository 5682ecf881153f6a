package dev.tollgate.events;

import java.util.List;

/**
 * Where the functions tell the facts of a deployment (started, shifted, judged, waiting, ended).
 * Publishing is best effort: a fact that cannot be told is logged where that is found out, and never
 * fails the deployment it describes (an outage of the bus must not roll back a good release).
 */
public interface DeploymentEvents {

    /** Tells nobody: for tests and wiring that do not observe. */
    DeploymentEvents NONE = event -> {};

    void publish(DeploymentEvent event);

    /**
     * Every sink in turn, each event completed with the invocation's correlation (the execution's ARN
     * reaches the functions in their event, not through the services that state the facts).
     */
    static DeploymentEvents all(List<DeploymentEvents> sinks) {
        return new FanOutDeploymentEvents(sinks);
    }
}
