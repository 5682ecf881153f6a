package dev.tollgate.secrets;

import java.util.List;

/**
 * The task definition a release (or its migration task) runs: the spec's own, or a revision
 * derived from it whose container secrets name the versions FetchSecrets pinned. {@code pinned}
 * and {@code leftAsTheyAre} say, per {@code container/VARIABLE}, what was done; ids, ARNs and
 * version ids only, never a value.
 */
public record PinnedTaskDefinition(
        String taskDefinitionArn, String source, List<String> pinned, List<String> leftAsTheyAre) {

    public PinnedTaskDefinition {
        pinned = List.copyOf(pinned);
        leftAsTheyAre = List.copyOf(leftAsTheyAre);
    }

    /** The spec's task definition as it is: no secret to pin. */
    public static PinnedTaskDefinition unchanged(String taskDefinition) {
        return new PinnedTaskDefinition(taskDefinition, taskDefinition, List.of(), List.of());
    }

    public boolean derived() {
        return !taskDefinitionArn.equals(source);
    }

    /** One line for the timeline; empty when the task definition takes no secret at all. */
    public String describe() {
        if (pinned.isEmpty() && leftAsTheyAre.isEmpty()) {
            return "";
        }
        StringBuilder line = new StringBuilder();
        if (!pinned.isEmpty()) {
            line.append("secrets pinned in ").append(familyRevision(taskDefinitionArn));
            if (derived()) {
                line.append(" (derived from ").append(familyRevision(source)).append(')');
            }
            line.append(": ").append(String.join(", ", pinned));
        }
        if (!leftAsTheyAre.isEmpty()) {
            line.append(line.isEmpty() ? "" : "; ")
                    .append("left as they are: ")
                    .append(String.join(", ", leftAsTheyAre));
        }
        return line.toString();
    }

    /** {@code arn:...:task-definition/checkout:42} reads as {@code checkout:42}. */
    static String familyRevision(String taskDefinition) {
        return taskDefinition.substring(taskDefinition.lastIndexOf('/') + 1);
    }
}
