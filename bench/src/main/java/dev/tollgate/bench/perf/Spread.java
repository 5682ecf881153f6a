package dev.tollgate.bench.perf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The median of repeated measurements and how far they spread (quartiles, extremes). The machine
 * these run on is shared and noisy, so a single figure is never reported alone.
 */
public record Spread(int count, double median, double lowerQuartile, double upperQuartile, double min, double max) {

    public static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return new Spread(
                sorted.size(),
                quantile(sorted, 0.5),
                quantile(sorted, 0.25),
                quantile(sorted, 0.75),
                sorted.get(0),
                sorted.get(sorted.size() - 1));
    }

    /** Linear interpolation between closest ranks (type 7, as R and NumPy do by default). */
    static double quantile(List<Double> sorted, double probability) {
        double position = probability * (sorted.size() - 1);
        int below = (int) Math.floor(position);
        int above = (int) Math.ceil(position);
        return sorted.get(below) + (sorted.get(above) - sorted.get(below)) * (position - below);
    }

    /** {@code 2.41 [2.30–2.55]}: median and interquartile range, to {@code decimals} places. */
    public String format(int decimals) {
        String number = "%." + decimals + "f";
        return String.format(
                Locale.ROOT, number + " [" + number + "–" + number + "]", median, lowerQuartile, upperQuartile);
    }
}
