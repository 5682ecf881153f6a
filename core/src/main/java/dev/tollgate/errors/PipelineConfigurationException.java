package dev.tollgate.errors;

/**
 * A CodePipeline job is set up wrong: UserParameters that are not JSON, a spec file missing from
 * the input artifact. The bridge fails the job as a {@code ConfigurationError} with this message.
 */
public final class PipelineConfigurationException extends TerminalException {

    public PipelineConfigurationException(String message) {
        super(message);
    }
}
