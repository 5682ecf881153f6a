package dev.tollgate.events;

import dev.tollgate.json.Json;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * Puts each deployment fact on an EventBridge bus, one {@code PutEvents} call per fact: source
 * {@value #SOURCE}, detail-type the fact's {@link DeploymentEvent.Type#detailType()}, the
 * execution's ARN as the event's resource. A failed put (after the SDK's retries) is logged once
 * at WARN with the event id and dropped.
 *
 * @see <a href="https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html">PutEvents</a>
 */
public final class EventBridgeDeploymentEvents implements DeploymentEvents {

    public static final String SOURCE = "dev.tollgate";

    private static final Logger LOG = LogManager.getLogger(EventBridgeDeploymentEvents.class);

    private final EventBridgeClient eventBridge;
    private final String busName;

    public EventBridgeDeploymentEvents(EventBridgeClient eventBridge, String busName) {
        this.eventBridge = eventBridge;
        this.busName = busName;
    }

    @Override
    public void publish(DeploymentEvent event) {
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(SOURCE)
                .detailType(event.type().detailType())
                .detail(Json.write(event))
                .time(event.time())
                .resources(event.executionArn() == null ? List.of() : List.of(event.executionArn()))
                .build();
        try {
            PutEventsResponse response = eventBridge.putEvents(put -> put.entries(entry));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                var failed = response.entries().get(0);
                LOG.warn(
                        "event {} ({}) not put on bus {}: {} {}",
                        event.eventId(),
                        event.type().detailType(),
                        busName,
                        failed.errorCode(),
                        failed.errorMessage());
                return;
            }
            LOG.debug(
                    "put event {} ({}) on bus {}", event.eventId(), event.type().detailType(), busName);
        } catch (SdkException unavailable) {
            LOG.warn(
                    "event {} ({}) not put on bus {}: {}",
                    event.eventId(),
                    event.type().detailType(),
                    busName,
                    unavailable.getMessage());
        }
    }
}
