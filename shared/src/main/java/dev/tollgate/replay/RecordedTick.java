package dev.tollgate.replay;

import dev.tollgate.judge.AlarmState;
import java.util.Map;

/**
 * What a live tick left in its execution's history: the verdict, each check's verdict by name,
 * the decision and the step it led to, and the alarm states the tick saw (read back from its alarm
 * checks: CloudWatch keeps no per-period alarm state that a replay could read again).
 */
public record RecordedTick(String verdict, Map<String, String> checkVerdicts, String action, int nextStepIndex,
                           Map<String, AlarmState> alarmStates) {

    public RecordedTick {
        checkVerdicts = Map.copyOf(checkVerdicts);
        alarmStates = Map.copyOf(alarmStates);
    }
}
