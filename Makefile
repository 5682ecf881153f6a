# Builds each Lambda function for `sam build` (template.yaml: CodeUri ".", Metadata BuildMethod: makefile).
#
# SAM CLI runs `make build-<LogicalId>` with ARTIFACTS_DIR set to that function's build directory, in a
# copy of the CodeUri directory (here the whole repository, without .git and .aws-sam), or in the
# repository itself with `sam build --build-in-source`. A function module needs its parent POM and the
# sibling `core` and `shared` modules, so each target builds its module with the root Maven wrapper (`-pl <module>
# -am`: the module and what it needs, from this reactor, never from ~/.m2) and puts the shaded jar in
# lib/, where the Java runtime puts jars on the classpath.

MVN_FLAGS ?= -q -B -DskipTests

define function_jar
	./mvnw $(MVN_FLAGS) -pl functions/$(1) -am package
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp functions/$(1)/target/$(1).jar "$(ARTIFACTS_DIR)/lib/"
endef

build-ValidateRequestFunction:
	$(call function_jar,validate-request)

build-DeploymentLockFunction:
	$(call function_jar,deployment-lock)

build-CheckErrorBudgetFunction:
	$(call function_jar,check-error-budget)

build-FetchSecretsFunction:
	$(call function_jar,fetch-secrets)

build-RunMigrationsFunction:
	$(call function_jar,run-migrations)

build-DeployCanaryFunction:
	$(call function_jar,deploy-canary)

build-ShiftTrafficFunction:
	$(call function_jar,shift-traffic)

build-DecideFunction:
	$(call function_jar,decide)

build-ApprovalFunction:
	$(call function_jar,approval)

build-FinalizeFunction:
	$(call function_jar,finalize)

build-PipelineBridgeFunction:
	$(call function_jar,pipeline-bridge)

build-ReleaseFunction:
	$(call function_jar,release)

.PHONY: build-ValidateRequestFunction build-DeploymentLockFunction build-CheckErrorBudgetFunction build-FetchSecretsFunction build-RunMigrationsFunction build-DeployCanaryFunction build-ShiftTrafficFunction build-DecideFunction build-ApprovalFunction build-FinalizeFunction build-PipelineBridgeFunction build-ReleaseFunction

build-CodeDeployHookFunction:
	$(call function_jar,codedeploy-hook)
