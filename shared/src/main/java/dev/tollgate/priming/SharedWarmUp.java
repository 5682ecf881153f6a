package dev.tollgate.priming;

import dev.tollgate.analysis.AnalysisService;
import dev.tollgate.decision.StepProgress;
import dev.tollgate.json.Json;
import dev.tollgate.judge.AlarmState;
import dev.tollgate.judge.MetricSeries;
import dev.tollgate.judge.SequentialJudge;
import dev.tollgate.judge.StepVerdict;
import dev.tollgate.metrics.MetricSource;
import dev.tollgate.metrics.SeriesQuery;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.SpecValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every function's first invocation does whatever its job: read and validate a spec, write
 * and read it back, judge a step from (synthetic) evidence, write and read the verdict. Run by
 * each function's priming before its own sample event.
 */
public final class SharedWarmUp {

    /** The sample events of {@code events/}, bundled in every function jar under this path. */
    static final String EVENTS = "/dev/tollgate/priming/events/";

    private SharedWarmUp() {}

    public static void run() {
        DeploymentSpec spec = new SpecValidator().validate(Json.tree(sampleEvent("validate-request.json")));
        Json.read(Json.write(spec), DeploymentSpec.class);
        int period = spec.analysis().periodSeconds();
        StepProgress progress =
                StepProgress.started(0, spec.step(0).weight(), Instant.now().minusSeconds(10L * period), period);
        StepVerdict verdict = new AnalysisService(new SyntheticMetrics(), new SequentialJudge(), Clock.systemUTC())
                .analyse(spec, progress);
        Json.read(Json.write(verdict), StepVerdict.class);
    }

    /** A sample event of {@code events/} by file name, as bundled in the jar. */
    public static String sampleEvent(String name) {
        try (InputStream in = SharedWarmUp.class.getResourceAsStream(EVENTS + name)) {
            if (in == null) {
                throw new IllegalStateException("no sample event " + name + " in this jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every series a steady one (a thousand requests a period, one per cent errors, 80 ms), every alarm OK. */
    static final class SyntheticMetrics implements MetricSource {

        @Override
        public Map<String, MetricSeries> series(
                List<SeriesQuery> queries, Instant start, Instant end, int periodSeconds) {
            Map<String, MetricSeries> series = new LinkedHashMap<>();
            for (SeriesQuery query : queries) {
                List<Instant> timestamps = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                int period = 0;
                for (Instant at = start; at.isBefore(end); at = at.plusSeconds(periodSeconds)) {
                    timestamps.add(at);
                    values.add(value(query, period++));
                }
                series.put(query.id(), new MetricSeries(timestamps, values));
            }
            return series;
        }

        private static double value(SeriesQuery query, int period) {
            if (!"Sum".equals(query.stat())) {
                return 80 + period % 3;
            }
            // Analysis ids end in n (numerator) or d (denominator).
            return query.id().endsWith("n") ? 10 + period % 2 : 1000;
        }

        @Override
        public Map<String, AlarmState> alarmStates(List<String> alarmNames) {
            Map<String, AlarmState> states = new LinkedHashMap<>();
            alarmNames.forEach(name -> states.put(name, AlarmState.OK));
            return states;
        }
    }
}
