package dev.tollgate.secrets;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What DescribeSecret tells about a secret, values aside: its name and ARN, whether it is scheduled
 * for deletion, and the staging labels of each version ({@code AWSCURRENT}, {@code AWSPENDING}, ...).
 *
 * @see <a href="https://docs.aws.amazon.com/secretsmanager/latest/userguide/getting-started.html#term_version">Secret versions</a>
 */
public record SecretMetadata(String name, String arn, Instant deletedDate, Map<String, List<String>> versionStages) {

    public static final String CURRENT = "AWSCURRENT";
    public static final String PENDING = "AWSPENDING";

    public SecretMetadata {
        Map<String, List<String>> copy = new TreeMap<>();
        (versionStages == null ? Map.<String, List<String>>of() : versionStages)
                .forEach((version, stages) -> copy.put(version, List.copyOf(stages)));
        versionStages = Map.copyOf(copy);
    }

    public boolean scheduledForDeletion() {
        return deletedDate != null;
    }

    /** The version id labelled {@code AWSCURRENT}: the one a reader gets by default. */
    public Optional<String> currentVersion() {
        return versionWith(CURRENT);
    }

    /**
     * A version labelled {@code AWSPENDING} but not {@code AWSCURRENT}: a rotation has created the
     * next value and not yet finished ({@code finishSecret} moves {@code AWSCURRENT} to it). Until
     * then the database may hold either password.
     *
     * @see <a href="https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_how.html">How rotation works</a>
     */
    public Optional<String> rotationPendingVersion() {
        return versionStages.entrySet().stream()
                .filter(entry ->
                        entry.getValue().contains(PENDING) && !entry.getValue().contains(CURRENT))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    private Optional<String> versionWith(String stage) {
        return versionStages.entrySet().stream()
                .filter(entry -> entry.getValue().contains(stage))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
