package dev.tollgate.release;

import java.util.Optional;
import java.util.function.UnaryOperator;

/** Where releases are recorded: beside the deployments, one item a release. */
public interface ReleaseStore {

    /** Records a new release; false when one of that id exists already (then nothing is written). */
    boolean create(ReleaseRecord record);

    Optional<ReleaseRecord> find(String releaseId);

    /**
     * Applies {@code change} to the release as it is now and stores the result, again on a concurrent write, so two
     * writers (the parent's state and a child's status event) never lose each other's facts. Answers the stored result.
     */
    ReleaseRecord update(String releaseId, UnaryOperator<ReleaseRecord> change);
}
