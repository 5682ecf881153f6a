package dev.tollgate.bench.reference;

import dev.tollgate.bench.scenario.Scenario;
import dev.tollgate.bench.scenario.Scenario.Side;
import java.util.function.Function;

/** One side's counts summed since the step began, and its percentiles averaged weighted by requests. */
record SideTotals(double requests, double errors, double p95) {

    static SideTotals of(Scenario scenario, int periodsSeen, Function<Scenario.Period, Side> sideOf) {
        double requests = 0;
        double errors = 0;
        double weightedP95 = 0;
        double p95Requests = 0;
        for (int k = 0; k < periodsSeen; k++) {
            Side side = sideOf.apply(scenario.periods().get(k));
            if (side == null || side.requests() == null || side.errors() == null) {
                continue;
            }
            requests += side.requests();
            errors += side.errors();
            if (side.p95() != null && side.requests() > 0) {
                weightedP95 += side.p95() * side.requests();
                p95Requests += side.requests();
            }
        }
        return new SideTotals(requests, errors, p95Requests > 0 ? weightedP95 / p95Requests : Double.NaN);
    }

    double errorRate() {
        return requests > 0 ? errors / requests : Double.NaN;
    }
}
