package dev.tollgate.pipeline;

import dev.tollgate.pipeline.PipelineJob.ArtifactCredentials;
import dev.tollgate.pipeline.PipelineJob.InputArtifact;
import java.util.Optional;

/** Reads a file out of a pipeline's input artifact (a zip in S3), with the credentials the job carries. */
public interface ArtifactStore {

    /** The file's text, or empty when the artifact holds no file at {@code path}. */
    Optional<String> readFile(InputArtifact artifact, ArtifactCredentials credentials, String path);
}
