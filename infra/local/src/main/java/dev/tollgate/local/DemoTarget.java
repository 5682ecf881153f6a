package dev.tollgate.local;

import java.util.Arrays;
import java.util.Locale;

/** The kinds of target the demo can deploy to, one per traffic backend. */
public enum DemoTarget {
    ECS_ALB("two ECS services behind ALB target-group weights"),
    LAMBDA_ALIAS("a Lambda alias with weighted routing between versions"),
    CODEDEPLOY("a CodeDeploy Lambda deployment group: CodeDeploy shifts, Tollgate judges");

    private final String description;

    DemoTarget(String description) {
        this.description = description;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return description;
    }

    public static DemoTarget fromCliName(String name) {
        return Arrays.stream(values())
                .filter(target -> target.cliName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown target '" + name + "'; known: "
                        + String.join(
                                ", ",
                                Arrays.stream(values()).map(DemoTarget::cliName).toList())));
    }
}
