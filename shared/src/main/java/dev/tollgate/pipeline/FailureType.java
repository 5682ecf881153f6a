package dev.tollgate.pipeline;

/** CodePipeline's failure types (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_FailureDetails.html) that the bridge uses. */
public enum FailureType {
    /** The deployment ran and did not promote, or the bridge failed. */
    JobFailed,
    /** The action is set up wrong: invalid UserParameters or spec, a missing spec file. Nothing was started. */
    ConfigurationError
}
