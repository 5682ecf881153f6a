package dev.tollgate.events;

import dev.tollgate.telemetry.Correlation;
import dev.tollgate.telemetry.InvocationContext;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Tells each fact to every sink (log, metrics, bus), completed with the invocation's correlation. A
 * sink that fails is logged and passed over: telling a fact never fails the deployment it describes.
 */
final class FanOutDeploymentEvents implements DeploymentEvents {

    private static final Logger LOG = LogManager.getLogger(FanOutDeploymentEvents.class);

    private final List<DeploymentEvents> sinks;

    FanOutDeploymentEvents(List<DeploymentEvents> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void publish(DeploymentEvent event) {
        // SnapStart priming runs the handler on a sample event, whose facts happened to no deployment: every sink still
        // runs (so its first use is before the snapshot) and tells nobody (see Priming).
        Correlation correlation = InvocationContext.current();
        DeploymentEvent complete = event.withCorrelation(correlation.executionArn(), correlation.service());
        for (DeploymentEvents sink : sinks) {
            try {
                sink.publish(complete);
            } catch (RuntimeException failed) {
                LOG.warn(
                        "{} not told to {}: {}",
                        complete.eventId(),
                        sink.getClass().getSimpleName(),
                        failed.toString());
            }
        }
    }
}
