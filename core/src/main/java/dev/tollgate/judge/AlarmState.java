package dev.tollgate.judge;

/** A CloudWatch alarm's state as the judge sees it; MISSING when no alarm has that name. */
public enum AlarmState {
    OK,
    ALARM,
    INSUFFICIENT_DATA,
    MISSING
}
