package dev.tollgate.aws;

import dev.tollgate.spec.DeploymentSpec;

/**
 * Something that acts where a deployment's target lives: in the spec's {@code region} and, with a {@code roleArn},
 * as that role (docs/spec.md, "Another region or account"). A function asks for it per deployment because a warm
 * container serves one deployment after another, each placed where its own spec says.
 */
@FunctionalInterface
public interface Placed<T> {

    T at(DeploymentSpec spec);

    /** The same {@code value} for every deployment: a test's fake, or a service with nothing placed. */
    static <T> Placed<T> everywhere(T value) {
        return spec -> value;
    }
}
