package dev.tollgate.judge;

/** The judge's answer. INCONCLUSIVE is never treated as PASS: too little or missing evidence keeps a step baking. */
public enum Verdict {
    PASS,
    FAIL,
    INCONCLUSIVE
}
