package dev.tollgate.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * template.yaml, the example pipeline and both state machines as AWS's own tools read them: cfn-lint (with its
 * informational rules), the SAM translator that {@code sam deploy} runs, and asl-validator on each definition filled as
 * CloudFormation fills it. Integration tests: they run the Python and Node.js tools the build installs
 * (infra/setup/test-tools.sh), which a unit test must not need.
 */
class ThirdPartyChecksIT {

    @Test
    void cfnLintAcceptsTheTemplate() {
        ThirdPartyTools.Run lint = ThirdPartyTools.cfnLint(RepositoryFiles.template(), "--include-checks", "I");
        assertEquals(0, lint.exitCode(), "cfn-lint --include-checks I template.yaml:\n" + lint.output());
    }

    /**
     * cfn-lint on template.yaml lints what it translates itself; here the translation is AWS's SAM translator's, as
     * {@code sam deploy} sends it, and the informational rules count too.
     */
    @Test
    void cfnLintAcceptsTheCloudFormationTheSamTranslatorMakesOfTheTemplate() throws IOException {
        Path translated = ThirdPartyTools.translatedTemplateFile();
        ThirdPartyTools.Run lint = ThirdPartyTools.cfnLint(translated, "--include-checks", "I");
        assertEquals(0, lint.exitCode(), "cfn-lint --include-checks I " + translated + ":\n" + lint.output());
    }

    @Test
    void aslValidatorAcceptsTheStateMachineWithItsSubstitutionsFilledAsCloudFormationFillsThem() throws IOException {
        Map<String, String> substitutions = substitutions("DeploymentStateMachine");
        substitutions.forEach((name, value) -> assertTrue(
                value.matches(
                        "arn:aws:lambda:us-east-1:123456789012:function:tollgate-[A-Za-z]+Function-[A-Z0-9]{12}:live"),
                name + " is a function's live alias ARN: " + value));
        assertAslValidatorAccepts(
                RepositoryFiles.stateMachineDefinition(), substitutions, "deployment.filled.asl.json");
    }

    /** CloudFormation stack names go up to 128 characters; every name the template gives must fit its type's limit. */
    @Test
    void everyNameTheTemplateGivesFitsItsLimitWhateverTheStackName() {
        String longestStackName = "t" + "x".repeat(127);
        List<String> problems = new ArrayList<>();
        for (String stackName : List.of("tollgate", longestStackName)) {
            for (DeployedStack.GivenName given : new DeployedStack(
                            ThirdPartyTools.translatedTemplate(), stackName, Map.of(), Map.of())
                    .givenNames()) {
                if (given.name().length() > given.limit()) {
                    problems.add(given.logicalId() + " in stack " + stackName.length() + " characters long: "
                            + given.name().length() + " characters (at most " + given.limit() + "): " + given.name());
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void cfnLintAcceptsTheExamplePipeline() {
        ThirdPartyTools.Run lint = ThirdPartyTools.cfnLint(
                RepositoryFiles.root().resolve("infra/pipeline/pipeline.yaml"), "--include-checks", "I");
        assertEquals(0, lint.exitCode(), "cfn-lint --include-checks I infra/pipeline/pipeline.yaml:\n" + lint.output());
    }

    @Test
    void aslValidatorAcceptsTheReleaseStateMachineFilledAsCloudFormationFillsIt() throws IOException {
        assertAslValidatorAccepts(
                RepositoryFiles.releaseStateMachineDefinition(),
                substitutions("ReleaseStateMachine"),
                "release.filled.asl.json");
    }

    /** The state machine's DefinitionSubstitutions as the SAM translator writes them for a stack named tollgate. */
    private static Map<String, String> substitutions(String stateMachine) {
        DeployedStack stack = new DeployedStack(ThirdPartyTools.translatedTemplate(), "tollgate", Map.of(), Map.of());
        Map<String, String> substitutions = new LinkedHashMap<>();
        stack.property(stateMachine, "DefinitionSubstitutions")
                .properties()
                .forEach(substitution -> substitutions.put(
                        substitution.getKey(), substitution.getValue().asText()));
        return substitutions;
    }

    /** Fills {@code definition}'s placeholders as CloudFormation does and runs asl-validator on the result. */
    private static void assertAslValidatorAccepts(Path definition, Map<String, String> substitutions, String fileName)
            throws IOException {
        String filled = Files.readString(definition);
        for (Map.Entry<String, String> substitution : substitutions.entrySet()) {
            filled = filled.replace("${" + substitution.getKey() + "}", substitution.getValue());
        }
        assertFalse(filled.contains("${"), "every placeholder filled");
        Path file = RepositoryFiles.root().resolve("infra/local/target/checks/" + fileName);
        Files.createDirectories(file.getParent());
        Files.writeString(file, filled);

        ThirdPartyTools.Run validation = ThirdPartyTools.aslValidator(file);
        assertEquals(0, validation.exitCode(), "asl-validator --json-path " + file + ":\n" + validation.output());
    }
}
