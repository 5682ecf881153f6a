package dev.tollgate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.secrets.PinnedSecret;
import dev.tollgate.secrets.PinnedSecrets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a task definition's {@code valueFrom} is pinned to the version FetchSecrets checked. */
class EcsSecretPinningTest {

    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/checkout/db-AbCdEf";
    private static final PinnedSecrets PINNED = new PinnedSecrets(List.of(
            new PinnedSecret("prod/checkout/db", "prod/checkout/db", ARN, "v-7", List.of("password"))));

    @Test
    void pinsFullArnsWithOrWithoutAJsonKey() {
        assertEquals(ARN + ":::v-7", EcsTaskMigrationRunner.pinnedValueFrom(ARN, PINNED));
        assertEquals(ARN + ":password::v-7", EcsTaskMigrationRunner.pinnedValueFrom(ARN + ":password::", PINNED));
        assertEquals(ARN + ":password::v-7", EcsTaskMigrationRunner.pinnedValueFrom(ARN + ":password:AWSCURRENT:", PINNED));
    }

    @Test
    void pinsNamesAndPartialArns() {
        assertEquals(ARN + ":::v-7", EcsTaskMigrationRunner.pinnedValueFrom("prod/checkout/db", PINNED));
        assertEquals(ARN + ":host::v-7", EcsTaskMigrationRunner.pinnedValueFrom(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/checkout/db:host::", PINNED));
    }

    @Test
    void leavesOtherSecretsAndParametersAlone() {
        String other = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/checkout/dbx-ZyXwVu";
        assertEquals(other, EcsTaskMigrationRunner.pinnedValueFrom(other, PINNED));
        String parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/checkout/flag";
        assertEquals(parameter, EcsTaskMigrationRunner.pinnedValueFrom(parameter, PINNED));
    }
}
