package dev.tollgate.judge;

/** Answers PASS, FAIL or INCONCLUSIVE for a step from its evidence. Pure: no I/O, no clock of its own. */
public interface Judge {

    StepVerdict judge(StepEvidence evidence);
}
