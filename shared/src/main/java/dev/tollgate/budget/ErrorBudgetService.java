package dev.tollgate.budget;

import dev.tollgate.aws.Placed;
import dev.tollgate.deployment.DeploymentStore;
import dev.tollgate.deployment.TimelineEntry;
import dev.tollgate.errors.ErrorBudgetExhaustedException;
import dev.tollgate.judge.MetricSeries;
import dev.tollgate.metrics.MetricSource;
import dev.tollgate.metrics.SeriesQuery;
import dev.tollgate.spec.DeploymentSpec;
import dev.tollgate.spec.MetricSpec;
import dev.tollgate.spec.SloSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Refuses to deploy onto a service that has burnt its error budget: the live (baseline) version's
 * error ratio over the SLO window, on the metric the SLO names ({@code analysis.slo.metric}). Fails closed: no data for
 * the window refuses too, unless the spec says {@code override}.
 */
public final class ErrorBudgetService {

    /** Hourly sums keep a 28-day window at 672 points per series, one GetMetricData call. */
    static final int PERIOD_SECONDS = 3600;

    private final Placed<MetricSource> metrics;
    private final DeploymentStore store;
    private final Clock clock;

    public ErrorBudgetService(MetricSource metrics, DeploymentStore store, Clock clock) {
        this(Placed.everywhere(metrics), store, clock);
    }

    /** With the live version's metrics read where the deployment's target publishes them. */
    public ErrorBudgetService(Placed<MetricSource> metrics, DeploymentStore store, Clock clock) {
        this.metrics = metrics;
        this.store = store;
        this.clock = clock;
    }

    public ErrorBudget check(DeploymentSpec spec) {
        SloSpec slo = spec.analysis().slo();
        if (slo == null) {
            return record(spec, ErrorBudget.notChecked("no SLO in the spec: error budget not checked"));
        }
        MetricSpec errorRate = spec.analysis().sloMetric().orElseThrow();
        Instant end = clock.instant();
        Instant start = end.minus(Duration.ofDays(slo.windowDays()));
        Map<String, MetricSeries> series = metrics.at(spec)
                .series(
                        List.of(
                                new SeriesQuery(
                                        "errors",
                                        errorRate.numerator().namespace(),
                                        errorRate.numerator().metric(),
                                        errorRate.baselineDimensions(),
                                        "Sum"),
                                new SeriesQuery(
                                        "requests",
                                        errorRate.denominator().namespace(),
                                        errorRate.denominator().metric(),
                                        errorRate.baselineDimensions(),
                                        "Sum")),
                        start,
                        end,
                        PERIOD_SECONDS);
        double errors = series.getOrDefault("errors", MetricSeries.EMPTY).sum();
        double requests = series.getOrDefault("requests", MetricSeries.EMPTY).sum();
        if (requests <= 0) {
            return refuseOrOverride(
                    spec,
                    new ErrorBudget(
                            true,
                            errors,
                            requests,
                            slo.objective(),
                            slo.windowDays(),
                            Double.NaN,
                            "no requests of the live version (" + errorRate.name() + " "
                                    + errorRate.baselineDimensions() + ") in the last " + slo.windowDays()
                                    + " days, so its error budget is unknown"));
        }
        double remaining = 1 - (errors / requests) / slo.errorBudget();
        String summary = String.format(
                Locale.ROOT,
                "%.1f%% of the %d-day error budget left (%.0f errors in %.0f requests, objective %s)",
                100 * remaining,
                slo.windowDays(),
                errors,
                requests,
                slo.objective());
        ErrorBudget budget =
                new ErrorBudget(true, errors, requests, slo.objective(), slo.windowDays(), remaining, summary);
        return remaining > 0 ? record(spec, budget) : refuseOrOverride(spec, budget);
    }

    private ErrorBudget refuseOrOverride(DeploymentSpec spec, ErrorBudget budget) {
        if (spec.override()) {
            return record(
                    spec,
                    new ErrorBudget(
                            budget.checked(),
                            budget.errors(),
                            budget.requests(),
                            budget.objective(),
                            budget.windowDays(),
                            budget.remaining(),
                            budget.summary() + "; deploying anyway: the spec says override"));
        }
        throw new ErrorBudgetExhaustedException(budget.summary() + "; set \"override\": true to deploy anyway");
    }

    private ErrorBudget record(DeploymentSpec spec, ErrorBudget budget) {
        store.append(
                spec.deploymentId(),
                new TimelineEntry(
                        "error-budget", clock.instant(), "CheckErrorBudget", budget.summary(), null, null, null));
        return budget;
    }
}
