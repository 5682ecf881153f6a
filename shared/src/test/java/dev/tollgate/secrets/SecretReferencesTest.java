package dev.tollgate.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How an ECS container's {@code valueFrom} is pinned to the version FetchSecrets checked, and when it is left alone. */
class SecretReferencesTest {

    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/checkout/db-AbCdEf";
    private static final PinnedSecrets PINNED = new PinnedSecrets(
            List.of(new PinnedSecret("prod/checkout/db", "prod/checkout/db", ARN, "v-7", List.of("password"))));

    private static String pinned(String valueFrom) {
        SecretReferences.Pinning pinning = SecretReferences.pin(valueFrom, PINNED);
        assertTrue(pinning.pinned(), valueFrom + ": " + pinning);
        return pinning.valueFrom();
    }

    @Test
    void pinsFullArnsWithOrWithoutAJsonKey() {
        assertEquals(ARN + ":::v-7", pinned(ARN));
        assertEquals(ARN + ":password::v-7", pinned(ARN + ":password::"));
        assertEquals(ARN + ":password::v-7", pinned(ARN + ":password:AWSCURRENT:"));
    }

    @Test
    void pinsNamesAndPartialArns() {
        assertEquals(ARN + ":::v-7", pinned("prod/checkout/db"));
        assertEquals(
                ARN + ":host::v-7",
                pinned("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/checkout/db:host::"));
    }

    @Test
    void aReferenceAlreadyPinnedToThatVersionStaysAsItIs() {
        assertEquals(ARN + ":password::v-7", pinned(ARN + ":password::v-7"));
    }

    @Test
    void aReferenceToAnotherVersionOrStageIsLeftWithTheReason() {
        SecretReferences.Pinning otherVersion = SecretReferences.pin(ARN + ":password::v-3", PINNED);
        assertFalse(otherVersion.pinned());
        assertEquals(ARN + ":password::v-3", otherVersion.valueFrom());
        assertEquals(
                "names version v-3 itself, not the pinned v-7",
                otherVersion.leftBecause().orElseThrow());

        SecretReferences.Pinning previous = SecretReferences.pin(ARN + ":password:AWSPREVIOUS:", PINNED);
        assertFalse(previous.pinned());
        assertTrue(previous.leftBecause().orElseThrow().contains("labelled AWSPREVIOUS"), previous.toString());
    }

    @Test
    void leavesOtherSecretsAndParametersAloneAndSaysWhat() {
        String other = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/checkout/dbx-ZyXwVu";
        SecretReferences.Pinning unlisted = SecretReferences.pin(other, PINNED);
        assertEquals(other, unlisted.valueFrom());
        assertTrue(unlisted.secret().isEmpty());
        assertTrue(
                unlisted.leftBecause().orElseThrow().startsWith("a secret not listed in $.secrets"),
                unlisted.toString());

        String parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/checkout/flag";
        SecretReferences.Pinning ssm = SecretReferences.pin(parameter, PINNED);
        assertEquals(parameter, ssm.valueFrom());
        assertTrue(ssm.leftBecause().orElseThrow().startsWith("an SSM parameter"), ssm.toString());
    }
}
