package dev.tollgate.judge;

/**
 * A discrete mixture of simple alternatives, each with a prior weight. A weighted average of
 * likelihood-ratio supermartingales is itself one, so the mixture's evidence may be looked at after
 * every period and still crosses {@code 1/alpha} under the null with probability at most alpha
 * (Ville's inequality). A discrete grid keeps that exact, with no numerical integration error.
 */
final class Mixture {

    private final double[] alternatives;
    private final double[] logWeights;

    private Mixture(double[] alternatives, double[] weights) {
        this.alternatives = alternatives;
        this.logWeights = new double[weights.length];
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        for (int i = 0; i < weights.length; i++) {
            logWeights[i] = Math.log(weights[i] / total);
        }
    }

    /**
     * Alternatives for a rate ratio, as log distances beyond the boundary from {@code nearest} to
     * {@code farthest}, spaced evenly on a log scale and weighted by a normal prior on that log scale
     * centred on {@code likeliest}: the regressions worth catching fast get most of the weight.
     */
    static Mixture logDistances(double nearest, double farthest, double likeliest, double spread, int points) {
        double[] distances = new double[points];
        double[] weights = new double[points];
        for (int i = 0; i < points; i++) {
            distances[i] = nearest * Math.pow(farthest / nearest, i / (double) (points - 1));
            double z = (Math.log(distances[i]) - Math.log(likeliest)) / spread;
            weights[i] = Math.exp(-0.5 * z * z);
        }
        return new Mixture(distances, weights);
    }

    /**
     * Success probabilities above one half for a sign test, weighted by a Beta(shape, 1) prior
     * restricted to (1/2, 1] and discretised into {@code bins} equal bins (each at its midpoint).
     */
    static Mixture betaAboveHalf(double shape, int bins) {
        double[] probabilities = new double[bins];
        double[] weights = new double[bins];
        for (int i = 0; i < bins; i++) {
            double low = 0.5 + 0.5 * i / bins;
            double high = 0.5 + 0.5 * (i + 1) / bins;
            probabilities[i] = (low + high) / 2;
            weights[i] = Math.pow(high, shape) - Math.pow(low, shape);
        }
        return new Mixture(probabilities, weights);
    }

    int size() {
        return alternatives.length;
    }

    double alternative(int index) {
        return alternatives[index];
    }

    /** log of sum_i weight_i * exp(logLikelihoodRatios[i]), computed without overflow. */
    double logEvidence(double[] logLikelihoodRatios) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logLikelihoodRatios.length; i++) {
            max = Math.max(max, logWeights[i] + logLikelihoodRatios[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < logLikelihoodRatios.length; i++) {
            sum += Math.exp(logWeights[i] + logLikelihoodRatios[i] - max);
        }
        return max + Math.log(sum);
    }
}
