package dev.tollgate.bench.reference;

/** Binomial tail probabilities, computed in log space so large counts do not overflow. */
final class Binomial {

    private Binomial() {}

    /** P(X >= k) for X ~ Binomial(n, p). */
    static double upperTail(long n, double p, long k) {
        if (k <= 0) {
            return 1.0;
        }
        if (k > n) {
            return 0.0;
        }
        double total = 0;
        for (long i = k; i <= n; i++) {
            total += Math.exp(logPmf(n, p, i));
        }
        return Math.min(1.0, total);
    }

    /** P(X <= k) for X ~ Binomial(n, p). */
    static double lowerTail(long n, double p, long k) {
        if (k >= n) {
            return 1.0;
        }
        if (k < 0) {
            return 0.0;
        }
        double total = 0;
        for (long i = 0; i <= k; i++) {
            total += Math.exp(logPmf(n, p, i));
        }
        return Math.min(1.0, total);
    }

    static double logPmf(long n, double p, long k) {
        if (p <= 0) {
            return k == 0 ? 0 : Double.NEGATIVE_INFINITY;
        }
        if (p >= 1) {
            return k == n ? 0 : Double.NEGATIVE_INFINITY;
        }
        return logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
    }

    static double logChoose(long n, long k) {
        return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
    }

    /** ln(n!) by summation below 256, Stirling's series above (error under 1e-12 there). */
    static double logFactorial(long n) {
        if (n < 256) {
            double sum = 0;
            for (long i = 2; i <= n; i++) {
                sum += Math.log(i);
            }
            return sum;
        }
        double x = n;
        return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
    }
}
