package dev.tollgate.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.errors.BadRequestException;
import dev.tollgate.errors.RetryableException;
import dev.tollgate.errors.TollgateException;
import dev.tollgate.errors.UnexpectedFailureException;
import dev.tollgate.json.Completeness;
import dev.tollgate.json.Json;
import dev.tollgate.priming.InvocationWarmUp;
import dev.tollgate.priming.Priming;
import dev.tollgate.priming.SampleAnswers;
import dev.tollgate.priming.SampleAnswers.SampleRun;
import dev.tollgate.priming.SharedWarmUp;
import dev.tollgate.telemetry.Correlation;
import dev.tollgate.telemetry.InvocationContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.lambda.powertools.logging.Logging;
import software.amazon.lambda.powertools.tracing.CaptureMode;
import software.amazon.lambda.powertools.tracing.Tracing;

/**
 * The shape every Tollgate handler shares: read the event as JSON into {@code I}, call the
 * function's service, write {@code O}. Failures leave as {@link TollgateException}s, whose class
 * names the state machine's Retry and Catch match; anything unexpected becomes an
 * {@link UnexpectedFailureException} with its stack trace logged once here, never in the output.
 *
 * <p>This is the one place Powertools' aspects are woven (AspectJ, at compile time of {@code shared}):
 * {@code @Logging} adds the Lambda context (function, request id, cold start, X-Ray trace id) to the
 * log context, {@code @Tracing} opens the invocation's X-Ray subsegment; the invocation's
 * {@link Correlation} (deployment, service, execution, state, step) joins both for every line and trace.
 */
public abstract class JsonHandler<I, O> implements RequestStreamHandler {

    /** Step Functions refuses state payloads over 256 KB; a larger event cannot come from it. */
    public static final int MAX_EVENT_BYTES = 256 * 1024;

    private static final Logger LOG = LogManager.getLogger(JsonHandler.class);

    /** The context a priming invocation passes: no request, a minute to go, nothing logged. */
    private static final Context PRIMING_CONTEXT =
            new FixedContext("priming", "priming", "priming", "priming", 60_000, line -> {});

    /** How many times priming serves the sample (measured in docs/performance.md). */
    private static final int SAMPLE_RUNS = 3;

    private final Class<I> inputType;

    protected JsonHandler(Class<I> inputType) {
        this.inputType = inputType;
        // SnapStart: warm the first invocation before the snapshot (does nothing outside a SnapStart init).
        Priming.registerForSnapStart(this::prime);
    }

    protected abstract O handle(I input, Context context);

    /** The state machine always passes these fields; a direct invocation may not. */
    protected static <T> T required(T value, String field) {
        if (value == null) {
            throw new BadRequestException("the event has no '" + field + "'");
        }
        return value;
    }

    @Override
    @Logging(clearState = true)
    @Tracing(captureMode = CaptureMode.ERROR)
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readNBytes(MAX_EVENT_BYTES + 1);
        byte[] result;
        InvocationContext.Scope invocation = InvocationContext.open(correlation(event));
        try {
            try {
                result = Json.MAPPER.writeValueAsBytes(handle(parse(event), context));
            } catch (TollgateException failure) {
                logFailure(failure);
                throw failure;
            } catch (RuntimeException | IOException bug) {
                Optional<TollgateException> known = bug instanceof RuntimeException unexpected
                        ? KnownFailures.translate(unexpected)
                        : Optional.empty();
                if (known.isPresent()) {
                    logFailure(known.get());
                    throw known.get();
                }
                LOG.error("unexpected failure in {}", getClass().getSimpleName(), bug);
                throw new UnexpectedFailureException(getClass().getSimpleName() + " failed unexpectedly: "
                        + bug.getClass().getSimpleName() + (bug.getMessage() == null ? "" : ": " + bug.getMessage()));
            }
        } finally {
            invocation.close();
        }
        output.write(result);
    }

    /** The sample of {@code events/} this function's SnapStart priming serves; null primes only what every function shares. */
    protected String primingEvent() {
        return null;
    }

    /**
     * SnapStart priming: what every function shares, what every invocation does around the handler (log context,
     * JSON layout, X-Ray subsegment: {@link InvocationWarmUp}), then this handler on its sample event, with AWS
     * answered inside the JVM as the sample's written answers say (see {@link Priming}, {@link SampleAnswers}); the
     * result is written and discarded.
     */
    public final void prime() {
        primeReportingTheSample();
    }

    /** {@link #prime()}, telling how the sample's run went: which calls were answered, and what ended it early. */
    public final SampleRun primeReportingTheSample() {
        SharedWarmUp.run();
        String sample = primingEvent();
        byte[] event = (sample == null ? "{}" : SharedWarmUp.sampleEvent(sample)).getBytes(StandardCharsets.UTF_8);
        InvocationWarmUp.run(correlation(event));
        if (sample == null) {
            return SampleRun.NONE;
        }
        SampleRun run = SampleRun.NONE;
        // More than once: reflection's generated accessors and the compiler's first pass need repeated calls.
        for (int time = 0; time < SAMPLE_RUNS && run.ranToItsEnd(); time++) {
            run = SampleAnswers.serve(
                    sample, () -> Json.MAPPER.writeValueAsBytes(handle(parse(event), PRIMING_CONTEXT)));
        }
        return run;
    }

    /** An expected failure is one line: the state machine retries or catches it by its name. */
    private static void logFailure(TollgateException failure) {
        LOG.warn(
                "{}{}: {}",
                failure.getClass().getSimpleName(),
                failure instanceof RetryableException ? " (retried by the state machine)" : "",
                failure.getMessage());
    }

    /** The correlation keys of the event, when it is JSON at all; a broken event fails in {@link #parse} with its reason. */
    private static Correlation correlation(byte[] event) {
        if (event.length == 0 || event.length > MAX_EVENT_BYTES) {
            return Correlation.NONE;
        }
        try {
            return Correlation.of(Json.MAPPER.readTree(event));
        } catch (IOException | RuntimeException notJson) {
            return Correlation.NONE;
        }
    }

    private I parse(byte[] event) {
        if (event.length > MAX_EVENT_BYTES) {
            throw new BadRequestException("the event is larger than " + MAX_EVENT_BYTES / 1024
                    + " KB, the most Step Functions can pass to a task");
        }
        String text = new String(event, StandardCharsets.UTF_8);
        if (inputType == JsonNode.class) {
            return inputType.cast(event.length == 0 ? Json.MAPPER.nullNode() : Json.tree(text));
        }
        if (text.isBlank() || !Json.tree(text).isObject()) {
            throw new BadRequestException("the event must be a JSON object");
        }
        I request = Json.read(text, inputType);
        Completeness.check(request, "");
        return request;
    }
}
