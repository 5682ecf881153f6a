package dev.tollgate.judge;

import java.util.Locale;

/** How the judge writes numbers into reasons: short, unambiguous, locale-independent. */
final class Formats {

    private Formats() {}

    static String percent(double fraction) {
        double percent = 100 * fraction;
        if (percent == 0 || percent >= 10) {
            return String.format(Locale.ROOT, "%.1f%%", percent);
        }
        return String.format(Locale.ROOT, "%.2g%%", percent);
    }

    static String count(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /** A likelihood ratio from its logarithm, without overflowing to "inf" for strong evidence. */
    static String evidence(double logEvidence) {
        if (logEvidence > 700) {
            return "e^" + Math.round(logEvidence);
        }
        return number(Math.exp(logEvidence));
    }

    /** The evidence as a finite number for the verdict's figures (JSON has no infinity). */
    static double evidenceFigure(double logEvidence) {
        return Math.exp(Math.max(-700, Math.min(700, logEvidence)));
    }
}
