"""Starts moto in server mode for Tollgate's local stack, with the few extensions Tollgate needs.

Started by the Java local stack (dev.tollgate.local.MotoServer), which owns this process:
  python3 moto_launcher.py --lambda-endpoint http://127.0.0.1:PORT
It prints "READY <port>" once moto listens on 127.0.0.1:<port> (a free port), and stops when its
standard input closes, so it never outlives the JVM that started it.

Extensions (each one a documented AWS behaviour that moto 5.2.1 lacks; tested in MotoExtensionsIT):
  * Step Functions executes state machines, and its Lambda Invoke calls go to the local Lambda
    endpoint, where the Java handlers run (like Step Functions Local's LAMBDA_ENDPOINT).
  * CloudWatch GetMetricData answers percentile statistics (p99, p99.9) from the raw values put
    with PutMetricData, and leaves out periods that have no value for the statistic
    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Percentiles);
    moto 5.2.1 fails the whole request with HTTP 500.
  * CloudWatch GetMetricData matches a query's dimensions to a metric's as a set, in any order, as
    CloudWatch does; moto 5.2.1 sorts both lists with a broken comparison (Dimension.__lt__ compares a
    value with the other's name), so metrics with three or more dimensions (Lambda's FunctionName,
    Resource, ExecutedVersion) are only found when put and queried in the same order.
  * CloudWatch GetMetricData identifies a metric by its namespace, name and whole set of dimensions, as
    CloudWatch does (moto 5.2.1 ignores the namespace when a query has dimensions), and finds it
    through an index kept as data is put: moto 5.2.1 scans every datum ever put for every period of
    every query, seconds of CPU per tick once a few deployments have put latencies, during which the
    server answers nothing else. See index_cloudwatch_metric_data.
  * Step Functions starts an execution while another of the same state machine runs (AWS runs
    up to a million at once); moto 5.2.1 deep-copies the state machine with its running
    executions and their locks, and answers HTTP 500 "cannot pickle '_thread.RLock' object".
  * Step Functions starts a child execution from a Task (states:startExecution, .sync, .sync:2) with
    the parameters as the ASL names them and answers with the API's capitalised fields, as AWS does
    (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html); moto 5.2.1 fails
    the task with States.Runtime. See extend_stepfunctions_start_execution.
  * ECS UpdateService starts a new PRIMARY deployment for a new task definition or count, with the
    old one ACTIVE until the rollout completes a moment later, as ECS reports it
    (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html).
    A task definition tagged tollgate-local:rollout=FAILED rolls out as the deployment circuit
    breaker reports a failure: rolloutState FAILED, failed tasks, none running
    (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html).
  * CodeDeploy deployments have a lifecycle, for the ECS and Lambda compute platforms
    (https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-steps-lambda.html,
    .../deployment-steps-ecs.html): Created -> InProgress -> the AppSpec's hooks and the traffic
    shifting of the deployment configuration (TimeBasedCanary, TimeBasedLinear, AllAtOnce; one
    CodeDeploy minute lasts --codedeploy-minute-seconds) -> Succeeded. Hooks invoke their function
    on the local Lambda endpoint and wait for PutLifecycleEventHookExecutionStatus; a Failed hook
    fails the deployment. StopDeployment stops it (Stopped); a stop or failure with automatic
    rollback restores the original version through a rollback deployment (rollbackInfo). For
    Lambda the traffic moves on the alias in moto's Lambda (AdditionalVersionWeights, then
    FunctionVersion), as CodeDeploy does; for ECS the task sets' weights are reported by
    BatchGetDeploymentTargets. Also added: CreateDeploymentConfig, GetDeploymentConfig (custom and
    predefined configurations), ListDeploymentTargets, BatchGetDeploymentTargets; and deployments'
    timestamps go out as epoch seconds, as the JSON protocol has them (moto 5.2.1 sends ISO strings,
    which the AWS SDK for Java cannot read).
  * Step Functions SendTaskFailure passes its cause to the waiting task, as AWS does
    (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskFailure.html);
    moto 5.2.1 drops it, so a Catch sees "Cause": null.
  * CodePipeline's job worker API, which moto 5.2.1 lacks entirely: GetJobDetails,
    PutJobSuccessResult and PutJobFailureResult on a job store, plus a test-only route
    (/moto-api/tollgate/codepipeline/jobs) that creates a job as a pipeline run would and reads
    back how it was answered. See extend_codepipeline_jobs.
  * Step Functions' Wait with Timestamp or TimestampPath waits until that instant in UTC, to the second
    (https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html: the time is read up to seconds and
    the milliseconds truncated); moto 5.2.1 compares the UTC timestamp with the machine's local time and
    truncates the seconds left to a whole number, so it ends up to a second early (hours off outside UTC).
    Tollgate's analysis ticks wait until a metric period is published, and an early end reads one period
    short. See wait_until_timestamps_in_utc.
  * ECS RunTask / DescribeTasks / StopTask for one-off tasks (Tollgate's ECS_TASK migrations), see
    extend_ecs_one_off_tasks: moto 5.2.1 answers RunTask with HTTP 500 when awsvpcConfiguration has no
    securityGroups (a KeyError; AWS uses the VPC's default group), and with a bare Exception (HTTP 500)
    for the EC2 launch type on a cluster without instances; it ignores RunTask's clientToken; and its
    tasks never run anything: they walk to STOPPED on describes, with no exit code or stop code.
  * Lambda Invoke (RequestResponse) of a Python zip function runs its handler in this process, as the
    Invoke API documents the answer (payload, or X-Amz-Function-Error with errorType/errorMessage, a
    run past the function's Timeout included); moto 5.2.1 needs Docker to run any function. Smoke
    tests invoke the demo's functions this way. See run_python_functions_in_process.
  * ELBv2: a load balancer tagged tollgate-local:dns-name reports that name as its DNSName, so a
    smoke test reaches a local test listener on 127.0.0.1 (moto's invented names resolve nowhere).
  * Step Functions puts every execution status change on the default event bus, as AWS does
    (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html): RUNNING, then one of SUCCEEDED,
    FAILED, TIMED_OUT, ABORTED, child executions included; moto 5.2.1 emits none. StopExecution ends the
    execution at once, as on AWS. See emit_stepfunctions_status_events.
  * EventBridge delivers to a rule's Lambda function targets (asynchronous Invoke on the local Lambda
    endpoint, honouring Input, InputPath and InputTransformer); moto 5.2.1 answers PutEvents with HTTP 500
    once a matching rule has one. See deliver_events_to_lambda_targets.
"""

import argparse
import copy
import importlib
import json
import math
import os
import pkgutil
import re
import sys
import threading
import time
import uuid
from datetime import timedelta


def enable_state_machine_execution():
    from moto.core.config import default_user_config

    default_user_config["stepfunctions"]["execute_state_machine"] = True


def route_lambda_invoke(lambda_endpoint):
    """Points the Step Functions engine's Lambda client at the local endpoint."""
    import boto3
    from botocore.config import Config

    import moto.stepfunctions.parser as parser_package
    from moto.stepfunctions.parser.asl.utils import boto_client

    original = boto_client.boto_client_for

    def boto_client_for(region, service, state_credentials=None):
        if service != "lambda":
            return original(region, service, state_credentials)
        return boto3.client(
            "lambda",
            region_name=region,
            endpoint_url=lambda_endpoint,
            aws_access_key_id="local",
            aws_secret_access_key="local",
            config=Config(
                parameter_validation=False,
                retries={"max_attempts": 0, "total_max_attempts": 1},
                connect_timeout=5,
                read_timeout=900,
            ),
        )

    # The parser modules import the function by name, so every binding is replaced, not just the source.
    for module_info in pkgutil.walk_packages(parser_package.__path__, parser_package.__name__ + "."):
        try:
            importlib.import_module(module_info.name)
        except Exception:  # noqa: BLE001 - optional integrations may fail to import; they are unused
            continue
    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "") or ""
        if name.startswith("moto.stepfunctions") and getattr(module, "boto_client_for", None) is original:
            setattr(module, "boto_client_for", boto_client_for)


ROLLOUT_TAG = "tollgate-local:rollout"


def extend_ecs_deployments(rollout_seconds):
    """ECS UpdateService: a new PRIMARY deployment per change, COMPLETED after the rollout time."""
    from moto.core.utils import utcnow
    from moto.ecs.models import EC2ContainerServiceBackend

    original_update = EC2ContainerServiceBackend.update_service

    def update_service(self, service_properties):
        task_definition = service_properties.get("task_definition")
        desired_count = service_properties.get("desired_count")
        service = original_update(self, service_properties)
        if service.deployment_controller.get("type", "ECS") != "ECS":
            return service
        current = next((d for d in service.deployments if d.get("status") == "PRIMARY"), None)
        definition_arn = self.describe_task_definition(service.task_definition).arn
        if current is not None and current.get("taskDefinition") == definition_arn and \
                current.get("desiredCount") == service.desired_count:
            return service
        now = utcnow()
        deployment_id = f"ecs-svc/{uuid.uuid4().int % 10**19}"
        new_primary = {
            "id": deployment_id,
            "status": "PRIMARY",
            "taskDefinition": definition_arn,
            "desiredCount": service.desired_count,
            "pendingCount": service.desired_count,
            "runningCount": 0,
            "failedTasks": 0,
            "createdAt": now,
            "updatedAt": now,
            "launchType": service.launch_type,
            "platformFamily": "EC2" if service.launch_type == "EC2" else "FARGATE",
            "rolloutState": "IN_PROGRESS",
            "rolloutStateReason": f"ECS deployment {deployment_id} in progress.",
        }
        previous = [dict(d, status="ACTIVE") for d in service.deployments if d.get("status") == "PRIMARY"]
        service.deployments = [new_primary] + previous

        definition_tags = getattr(self.describe_task_definition(service.task_definition), "tags", None) or []
        rollout_fails = any(tag.get("key") == ROLLOUT_TAG and tag.get("value") == "FAILED" for tag in definition_tags)

        def complete():
            if not any(d is new_primary for d in service.deployments):
                # A later UpdateService superseded this rollout; the later one completes the service.
                return
            if rollout_fails:
                # The circuit breaker gives up: no task of the new deployment runs; the old one keeps serving.
                new_primary.update(
                    runningCount=0,
                    pendingCount=0,
                    failedTasks=max(1, new_primary["desiredCount"]),
                    rolloutState="FAILED",
                    rolloutStateReason="ECS deployment circuit breaker: tasks failed to start.",
                    updatedAt=utcnow(),
                )
                return
            new_primary.update(
                runningCount=new_primary["desiredCount"],
                pendingCount=0,
                rolloutState="COMPLETED",
                rolloutStateReason=f"ECS deployment {deployment_id} completed.",
                updatedAt=utcnow(),
            )
            service.deployments = [d for d in service.deployments if d is new_primary]

        timer = threading.Timer(rollout_seconds, complete)
        timer.daemon = True
        timer.start()
        del task_definition, desired_count
        return service

    EC2ContainerServiceBackend.update_service = update_service


def _canary(percentage, minutes):
    return {"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": percentage, "canaryInterval": minutes}}


def _linear(percentage, minutes):
    return {"type": "TimeBasedLinear", "timeBasedLinear": {"linearPercentage": percentage, "linearInterval": minutes}}


# https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
PREDEFINED_DEPLOYMENT_CONFIGS = {
    "CodeDeployDefault.LambdaAllAtOnce": ("Lambda", {"type": "AllAtOnce"}),
    "CodeDeployDefault.LambdaCanary10Percent5Minutes": ("Lambda", _canary(10, 5)),
    "CodeDeployDefault.LambdaCanary10Percent10Minutes": ("Lambda", _canary(10, 10)),
    "CodeDeployDefault.LambdaCanary10Percent15Minutes": ("Lambda", _canary(10, 15)),
    "CodeDeployDefault.LambdaCanary10Percent30Minutes": ("Lambda", _canary(10, 30)),
    "CodeDeployDefault.LambdaLinear10PercentEvery1Minute": ("Lambda", _linear(10, 1)),
    "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes": ("Lambda", _linear(10, 2)),
    "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes": ("Lambda", _linear(10, 3)),
    "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes": ("Lambda", _linear(10, 10)),
    "CodeDeployDefault.ECSAllAtOnce": ("ECS", {"type": "AllAtOnce"}),
    "CodeDeployDefault.ECSCanary10Percent5Minutes": ("ECS", _canary(10, 5)),
    "CodeDeployDefault.ECSCanary10Percent15Minutes": ("ECS", _canary(10, 15)),
    "CodeDeployDefault.ECSLinear10PercentEvery1Minutes": ("ECS", _linear(10, 1)),
    "CodeDeployDefault.ECSLinear10PercentEvery3Minutes": ("ECS", _linear(10, 3)),
}

ACTIVE_DEPLOYMENT_STATUSES = ("Created", "Queued", "InProgress", "Baking", "Ready")
LIFECYCLE_EVENTS = {
    "Lambda": ["BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic"],
    "ECS": ["BeforeInstall", "Install", "AfterInstall", "AllowTestTraffic", "AfterAllowTestTraffic",
            "BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic"],
}


def extend_codedeploy(lambda_endpoint, minute_seconds, hook_timeout_seconds):
    """CodeDeploy deployments that progress, stop and roll back, enough for Tollgate's flow."""
    import json
    import urllib.parse
    import urllib.request

    from moto.codedeploy.exceptions import CodeDeployException
    from moto.codedeploy.models import CodeDeployBackend, DeploymentInfo
    from moto.codedeploy.responses import CodeDeployResponse
    from moto.core.utils import iso_8601_datetime_with_milliseconds

    def error(code, message):
        failure = CodeDeployException(code, message)
        failure.code = 400
        return failure

    class Lifecycle(threading.Thread):
        """One deployment's progress; every change happens under the lock and stops once the deployment ended."""

        def __init__(self, backend, deployment, platform, app_spec, routing):
            super().__init__(name=f"codedeploy-{deployment.deployment_id}", daemon=True)
            self.backend = backend
            self.deployment = deployment
            self.platform = platform
            self.routing = routing
            self.lock = threading.RLock()
            self.ended = threading.Event()
            self.weight = 0
            self.events = {name: "Pending" for name in LIFECYCLE_EVENTS[platform]}
            self.hooks = {}
            for hook in app_spec.get("Hooks", []) or []:
                self.hooks.update(hook)
            self.executions = {}
            resource = next(iter(app_spec["Resources"][0].values()))
            self.properties = resource.get("Properties", {})

        # -- traffic -------------------------------------------------------------------------
        def set_weight(self, percent):
            with self.lock:
                if self.ended.is_set():
                    return
                self._apply_weight(percent)

        def _apply_weight(self, percent):
            self.weight = percent
            if self.platform != "Lambda":
                return
            from moto.awslambda.models import lambda_backends

            lambda_backend = lambda_backends[self.backend.account_id][self.backend.region_name]
            name, alias = self.properties["Name"], self.properties["Alias"]
            current, target = str(self.properties["CurrentVersion"]), str(self.properties["TargetVersion"])
            if percent >= 100:
                lambda_backend.update_alias(alias, name, target, None, {"AdditionalVersionWeights": {}})
            elif percent <= 0:
                lambda_backend.update_alias(alias, name, current, None, {"AdditionalVersionWeights": {}})
            else:
                lambda_backend.update_alias(alias, name, current, None, {"AdditionalVersionWeights": {target: percent / 100.0}})

        def shift(self):
            kind = self.routing.get("type", "AllAtOnce")
            if kind == "TimeBasedCanary":
                self.set_weight(self.routing["timeBasedCanary"]["canaryPercentage"])
                if not self.sleep(self.routing["timeBasedCanary"]["canaryInterval"] * minute_seconds):
                    return
            elif kind == "TimeBasedLinear":
                step = self.routing["timeBasedLinear"]["linearPercentage"]
                percent = step
                while percent < 100:
                    self.set_weight(percent)
                    if not self.sleep(self.routing["timeBasedLinear"]["linearInterval"] * minute_seconds):
                        return
                    percent += step
            self.set_weight(100)

        def sleep(self, seconds):
            """False when the deployment ended meanwhile."""
            return not self.ended.wait(seconds)

        # -- hooks ---------------------------------------------------------------------------
        def run_hook(self, event, function):
            execution = str(uuid.uuid4())
            with self.lock:
                self.executions[execution] = None
            payload = json.dumps({"DeploymentId": self.deployment.deployment_id,
                                  "LifecycleEventHookExecutionId": execution}).encode()
            url = f"{lambda_endpoint}/2015-03-31/functions/{urllib.parse.quote(function, safe='')}/invocations"

            def invoke():
                # CodeDeploy invokes hooks asynchronously; their answer comes back through PutLifecycleEventHookExecutionStatus.
                try:
                    request = urllib.request.Request(url, data=payload, method="POST",
                                                     headers={"X-Amz-Invocation-Type": "Event"})
                    with urllib.request.urlopen(request, timeout=hook_timeout_seconds) as response:
                        failed = response.headers.get("X-Amz-Function-Error")
                        body = response.read().decode(errors="replace")
                    if failed:
                        print(f"codedeploy hook {event} of {self.deployment.deployment_id} failed: {body}", file=sys.stderr)
                        self.answer(execution, "Failed")
                except Exception as failure:  # noqa: BLE001 - an unreachable hook function fails the hook, as on AWS
                    print(f"codedeploy hook {event} of {self.deployment.deployment_id}: {failure}", file=sys.stderr)
                    self.answer(execution, "Failed")

            threading.Thread(target=invoke, daemon=True, name=f"hook-{event}").start()
            deadline = time.monotonic() + hook_timeout_seconds
            while time.monotonic() < deadline and not self.ended.is_set():
                with self.lock:
                    answer = self.executions.get(execution)
                if answer is not None:
                    return answer == "Succeeded"
                time.sleep(0.1)
            return False

        def answer(self, execution, status):
            with self.lock:
                if execution not in self.executions:
                    raise error("InvalidLifecycleEventHookExecutionIdException",
                                f"Lifecycle event hook execution {execution} is not part of deployment {self.deployment.deployment_id}")
                if self.executions[execution] is not None or self.ended.is_set():
                    raise error("LifecycleEventAlreadyCompletedException",
                                f"The lifecycle event of hook execution {execution} has already completed")
                self.executions[execution] = status

        # -- the run -------------------------------------------------------------------------
        def run(self):
            time.sleep(0.3)
            with self.lock:
                if self.ended.is_set():
                    return
                self.deployment.status = "InProgress"
                self.deployment.start_time = iso_8601_datetime_with_milliseconds()
            for event in self.events:
                with self.lock:
                    if self.ended.is_set():
                        return
                    self.events[event] = "InProgress"
                if event == "AllowTraffic":
                    self.shift()
                elif event in self.hooks and not self.run_hook(event, self.hooks[event]):
                    with self.lock:
                        self.events[event] = "Failed"
                    self.end("Failed", {"code": "HOOK_EXECUTION_FAILURE",
                                        "message": f"The {event} lifecycle event hook failed or timed out"})
                    return
                with self.lock:
                    if self.ended.is_set():
                        return
                    self.events[event] = "Succeeded"
            self.end("Succeeded", None)

        def end(self, status, error_information, stop_requested=False, rollback=None):
            with self.lock:
                if self.ended.is_set():
                    return False
                self.ended.set()
                self.deployment.status = status
                self.deployment.complete_time = iso_8601_datetime_with_milliseconds()
                self.deployment.tollgate_error = error_information
                events = ((self.deployment.auto_rollback_configuration or {}).get("events") or [])
                enabled = (self.deployment.auto_rollback_configuration or {}).get("enabled", False)
                if rollback is None:
                    rollback = enabled and ("DEPLOYMENT_STOP_ON_REQUEST" in events if stop_requested else "DEPLOYMENT_FAILURE" in events)
                if status != "Succeeded" and rollback:
                    self._apply_weight(0)
                    rollback_deployment = DeploymentInfo(
                        self.deployment.application, self.deployment.deployment_group, self.deployment.revision,
                        self.deployment.deployment_config_name, f"Rollback of {self.deployment.deployment_id}", None, None, None,
                        None, None, None, "codeDeployRollback")
                    rollback_deployment.status = "Succeeded"
                    rollback_deployment.start_time = rollback_deployment.complete_time = iso_8601_datetime_with_milliseconds()
                    self.backend.deployments[rollback_deployment.deployment_id] = rollback_deployment
                    self.deployment.tollgate_rollback = {
                        "rollbackDeploymentId": rollback_deployment.deployment_id,
                        "rollbackMessage": f"Rolled back: deployment {self.deployment.deployment_id} {status.lower()}",
                    }
                return True

    original_to_dict = DeploymentInfo.to_dict

    def epoch_seconds(value):
        if not isinstance(value, str):
            return value
        from datetime import datetime

        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()

    def to_dict(self):
        info = original_to_dict(self)
        # The JSON protocol carries timestamps as epoch seconds; moto 5.2.1 sends ISO strings the SDKs cannot read.
        for key in ("createTime", "startTime", "completeTime"):
            info[key] = epoch_seconds(info.get(key))
        if getattr(self, "tollgate_rollback", None):
            info["rollbackInfo"] = self.tollgate_rollback
        if getattr(self, "tollgate_error", None):
            info["errorInformation"] = self.tollgate_error
        return info

    DeploymentInfo.to_dict = to_dict

    def configs(backend):
        if not hasattr(backend, "tollgate_configs"):
            backend.tollgate_configs = {}
        return backend.tollgate_configs

    def config(backend, name):
        if name in PREDEFINED_DEPLOYMENT_CONFIGS:
            return PREDEFINED_DEPLOYMENT_CONFIGS[name]
        if name in configs(backend):
            return configs(backend)[name]
        raise error("DeploymentConfigDoesNotExistException", f"The deployment configuration {name} does not exist")

    def create_deployment_config(self, name, compute_platform, traffic_routing_config):
        if name in PREDEFINED_DEPLOYMENT_CONFIGS or name in configs(self):
            raise error("DeploymentConfigAlreadyExistsException", f"A deployment configuration named {name} already exists")
        configs(self)[name] = (compute_platform, traffic_routing_config or {"type": "AllAtOnce"})
        return str(uuid.uuid4())

    original_create_deployment = CodeDeployBackend.create_deployment

    def create_deployment(self, application_name, deployment_group_name, revision, deployment_config_name=None, *args, **kwargs):
        group = self.deployment_groups.get(application_name, {}).get(deployment_group_name)
        name = deployment_config_name or (group.deployment_config_name if group else None)
        platform, routing = config(self, name) if name else (None, {"type": "AllAtOnce"})
        for other in self.deployments.values():
            if other.application_name == application_name and other.deployment_group_name == deployment_group_name \
                    and other.status in ACTIVE_DEPLOYMENT_STATUSES:
                raise error("DeploymentLimitExceededException",
                            f"The deployment group {deployment_group_name} already has an active deployment {other.deployment_id}")
        deployment_id = original_create_deployment(self, application_name, deployment_group_name, revision, deployment_config_name,
                                                   *args, **kwargs)
        deployment = self.deployments[deployment_id]
        app_spec = json.loads(((revision or {}).get("appSpecContent") or {}).get("content") or "{}")
        if app_spec.get("Resources"):
            platform = platform or deployment.application.compute_platform
            deployment.tollgate_lifecycle = Lifecycle(self, deployment, platform, app_spec, routing)
            deployment.tollgate_lifecycle.start()
        return deployment_id

    def lifecycle(backend, deployment_id):
        deployment = backend.get_deployment(deployment_id)
        found = getattr(deployment, "tollgate_lifecycle", None)
        if found is None:
            raise error("UnsupportedActionForDeploymentTypeException", f"Deployment {deployment_id} has no traffic lifecycle")
        return found

    def stop_deployment(self, deployment_id, auto_rollback_enabled):
        deployment = self.get_deployment(deployment_id)
        if deployment.status not in ACTIVE_DEPLOYMENT_STATUSES:
            raise error("DeploymentAlreadyCompletedException", f"The deployment {deployment_id} has already completed")
        # Without autoRollbackEnabled the deployment's own configuration decides (DEPLOYMENT_STOP_ON_REQUEST).
        lifecycle(self, deployment_id).end("Stopped", None, stop_requested=True,
                                           rollback=None if auto_rollback_enabled is None else bool(auto_rollback_enabled))
        return {"status": "Succeeded", "statusMessage": f"Deployment {deployment_id} stopped"}

    def put_lifecycle_event_hook_execution_status(self, deployment_id, execution_id, status):
        lifecycle(self, deployment_id).answer(execution_id, status)
        return {"lifecycleEventHookExecutionId": execution_id}

    def deployment_targets(self, deployment_id):
        found = lifecycle(self, deployment_id)
        deployment = found.deployment
        with found.lock:
            events = [{"lifecycleEventName": name, "status": status} for name, status in found.events.items()]
            weight = found.weight
        status = {"Succeeded": "Succeeded", "Failed": "Failed", "Stopped": "Failed"}.get(deployment.status, "InProgress")
        if found.platform == "Lambda":
            target_id = f"{found.properties['Name']}:{found.properties['Alias']}"
            return [{"deploymentTargetType": "LambdaTarget", "lambdaTarget": {
                "deploymentId": deployment_id, "targetId": target_id, "status": status, "lifecycleEvents": events,
                "lastUpdatedAt": time.time(),
                "lambdaFunctionInfo": {"functionName": found.properties["Name"], "functionAlias": found.properties["Alias"],
                                       "currentVersion": str(found.properties["CurrentVersion"]),
                                       "targetVersion": str(found.properties["TargetVersion"]),
                                       "targetVersionWeight": float(weight)}}}]
        target_id = f"{deployment.deployment_group_name}:ecs"
        return [{"deploymentTargetType": "ECSTarget", "ecsTarget": {
            "deploymentId": deployment_id, "targetId": target_id, "status": status, "lifecycleEvents": events,
            "lastUpdatedAt": time.time(),
            "taskSetsInfo": [
                {"identifer": f"{deployment_id}-blue", "taskSetLabel": "Blue", "trafficWeight": float(100 - weight), "status": "PRIMARY"},
                {"identifer": f"{deployment_id}-green", "taskSetLabel": "Green", "trafficWeight": float(weight), "status": "ACTIVE"},
            ]}}]

    CodeDeployBackend.create_deployment_config = create_deployment_config
    CodeDeployBackend.create_deployment = create_deployment
    CodeDeployBackend.stop_deployment = stop_deployment
    CodeDeployBackend.put_lifecycle_event_hook_execution_status = put_lifecycle_event_hook_execution_status
    CodeDeployBackend.deployment_targets = deployment_targets

    def response_create_deployment_config(self):
        config_id = self.codedeploy_backend.create_deployment_config(
            self._get_param("deploymentConfigName"), self._get_param("computePlatform"), self._get_param("trafficRoutingConfig"))
        return json.dumps({"deploymentConfigId": config_id})

    def response_get_deployment_config(self):
        name = self._get_param("deploymentConfigName")
        platform, routing = config(self.codedeploy_backend, name)
        return json.dumps({"deploymentConfigInfo": {"deploymentConfigName": name, "computePlatform": platform,
                                                    "trafficRoutingConfig": routing}})

    def response_stop_deployment(self):
        return json.dumps(self.codedeploy_backend.stop_deployment(self._get_param("deploymentId"),
                                                                  self._get_param("autoRollbackEnabled")))

    def response_put_lifecycle_event_hook_execution_status(self):
        return json.dumps(self.codedeploy_backend.put_lifecycle_event_hook_execution_status(
            self._get_param("deploymentId"), self._get_param("lifecycleEventHookExecutionId"), self._get_param("status")))

    def response_list_deployment_targets(self):
        targets = self.codedeploy_backend.deployment_targets(self._get_param("deploymentId"))
        return json.dumps({"targetIds": [next(v for k, v in t.items() if k != "deploymentTargetType")["targetId"] for t in targets]})

    def response_batch_get_deployment_targets(self):
        wanted = set(self._get_param("targetIds") or [])
        targets = self.codedeploy_backend.deployment_targets(self._get_param("deploymentId"))
        return json.dumps({"deploymentTargets": [t for t in targets
                                                 if next(v for k, v in t.items() if k != "deploymentTargetType")["targetId"] in wanted]})

    CodeDeployResponse.create_deployment_config = response_create_deployment_config
    CodeDeployResponse.get_deployment_config = response_get_deployment_config
    CodeDeployResponse.stop_deployment = response_stop_deployment
    CodeDeployResponse.put_lifecycle_event_hook_execution_status = response_put_lifecycle_event_hook_execution_status
    CodeDeployResponse.list_deployment_targets = response_list_deployment_targets
    CodeDeployResponse.batch_get_deployment_targets = response_batch_get_deployment_targets


def allow_concurrent_executions():
    """The execution needs a snapshot of the definition, not of the other executions or the backend."""
    from moto.stepfunctions.models import StateMachine

    shared_attributes = {"executions": list, "backend": None, "versions": None, "aliases": None}

    def __deepcopy__(self, memo):
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        for name, value in self.__dict__.items():
            if name in shared_attributes:
                fresh = shared_attributes[name]
                setattr(clone, name, fresh() if fresh else value)
            else:
                setattr(clone, name, copy.deepcopy(value, memo))
        return clone

    StateMachine.__deepcopy__ = __deepcopy__


def extend_stepfunctions_start_execution():
    """Step Functions' optimised integration with itself (states:startExecution, .sync, .sync:2,
    .waitForTaskToken) takes the API's parameters as the ASL writes them, StateMachineArn, Input, Name,
    and answers with the API's fields capitalised, ExecutionArn, StartDate (epoch milliseconds), and for
    .sync Status, Output, Error, Cause (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html).
    moto 5.2.1 hands the ASL's names to boto3 unchanged (which wants stateMachineArn: the task fails with
    States.Runtime) and returns boto3's lower-case fields. (AWS's request-response answer also carries
    SdkHttpMetadata and SdkResponseMetadata, left out here: nothing reads them.) Only the top level and the *Details objects
    are API fields: the child's Input and Output are the user's JSON, left as they are."""
    import datetime

    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn import (
        StateTaskServiceSfn,
    )

    asl_parameters = StateTaskServiceSfn._normalise_parameters

    def normalise_parameters(self, parameters, boto_service_name=None, service_action_name=None):
        asl_parameters(self, parameters, boto_service_name, service_action_name)
        for name in list(parameters):
            parameters[name[:1].lower() + name[1:]] = parameters.pop(name)

    def api_value(name, value):
        if isinstance(value, datetime.datetime):
            # A number, as AWS's integrations render the API's timestamps in a task's result (ECS runTask.sync's
            # "CreatedAt": 1574708946456); recorded startExecution histories mask the value, so epoch milliseconds is
            # our reading. moto leaves Python datetimes, which then fail the parent's DescribeExecution with HTTP 500.
            return int(value.timestamp() * 1000)
        return api_fields(value) if name.endswith("Details") and isinstance(value, dict) else value

    def api_fields(value):
        return {name[:1].upper() + name[1:]: api_value(name, inner) for name, inner in value.items()}

    def normalise_response(self, response, boto_service_name=None, service_action_name=None):
        capitalised = api_fields(response)
        response.clear()
        response.update(capitalised)

    StateTaskServiceSfn._normalise_parameters = normalise_parameters
    StateTaskServiceSfn._normalise_response = normalise_response


EXIT_COMMAND = re.compile(r"^\s*exit\s+(\d{1,3})\s*$")


def extend_ecs_one_off_tasks(run_seconds):
    """One-off ECS tasks that run, stop, and report an exit code, as ECS does.

    AWS behaviours implemented (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/):
      * RunTask: awsvpcConfiguration.securityGroups is optional; without it the VPC's default
        security group is used (API_AwsVpcConfiguration.html).
      * RunTask: container-level memory is optional when the task definition sets task-level
        memory, as Fargate task definitions do (API_ContainerDefinition.html, "memory ... optional
        for tasks hosted on Fargate"); moto adds None and fails with HTTP 500.
      * RunTask: the EC2 launch type on a cluster without container instances is a client error
        (InvalidParameterException, HTTP 400), not a server error.
      * RunTask: the same clientToken returns the tasks of the first request instead of starting
        more (API_RunTask.html, "clientToken ... to ensure the idempotency of the request").
      * DescribeTasks/ListTasks: a task is RUNNING, then STOPPED once its essential container
        exits, with desiredStatus STOPPED, stopCode EssentialContainerExited, stoppedReason,
        stoppedAt, and the container's exitCode (API_Task.html, API_Container.html); exitCode is
        absent while it runs. StopTask stops it with stopCode UserInitiated.
    moto runs no container, so the simulated one runs for run_seconds and exits with N when its
    effective command's last argument is "exit N" (as in ["sh", "-c", "exit 3"]), else with 0.
    """
    from moto.core.utils import utcnow
    from moto.ec2.models import ec2_backends
    from moto.ecs import models, responses
    from moto.ecs.exceptions import InvalidParameterException

    original_init = models.Task.__init__

    def task_init(self, cluster, task_definition, *args, **kwargs):
        configuration = kwargs.get("networking_configuration")
        awsvpc = (configuration or {}).get("awsvpcConfiguration")
        if awsvpc is not None and not awsvpc.get("securityGroups"):
            awsvpc["securityGroups"] = default_security_groups(kwargs["backend"], cluster.region_name, awsvpc)
        original_init(self, cluster, task_definition, *args, **kwargs)
        overrides = {o.get("name"): o for o in (self.overrides or {}).get("containerOverrides", [])}
        definition = task_definition.container_definitions[0]
        command = (overrides.get(definition.get("name")) or {}).get("command") or definition.get("command") or []
        match = EXIT_COMMAND.match(command[-1]) if command else None
        for container in self.containers:
            container.exitCode = None
        self._tollgate = {
            "started": time.monotonic(),
            "exit_code": int(match.group(1)) if match else 0,
            "status": "RUNNING",
        }
        self.started_at = utcnow()

    def default_security_groups(backend, region, awsvpc):
        try:
            ec2 = ec2_backends[backend.account_id][region]
            vpc_id = ec2.get_subnet(awsvpc["subnets"][0]).vpc_id
            group = ec2.get_default_security_group(vpc_id)
            return [group.id] if group is not None else []
        except Exception:  # noqa: BLE001 - an unknown subnet fails later, as on AWS
            return []

    def settle(task):
        state = getattr(task, "_tollgate", None)
        if state is None or state["status"] == "STOPPED":
            return
        if time.monotonic() - state["started"] >= run_seconds:
            stop(task, "EssentialContainerExited", "Essential container in task exited", state["exit_code"])

    def stop(task, stop_code, reason, exit_code):
        task._tollgate["status"] = "STOPPED"
        task.desired_status = "STOPPED"
        task.stop_code = stop_code
        task.stopped_reason = reason
        task.stopped_at = task.execution_stopped_at = utcnow()
        for container in task.containers:
            container.last_status = "STOPPED"
            container.exitCode = exit_code

    def get_last_status(self):
        if getattr(self, "_tollgate", None) is None:
            return self.status
        settle(self)
        return self._tollgate["status"]

    def set_last_status(self, value):
        if getattr(self, "_tollgate", None) is None:
            self.status = value
        elif value == "STOPPED" and self._tollgate["status"] != "STOPPED":
            # StopTask: ECS sends SIGTERM; a container that exits on it reports 143 (128 + 15).
            stop(self, "UserInitiated", "Task stopped by user", 143)
        else:
            self._tollgate["status"] = value

    models.Task.__init__ = task_init

    original_requirements = models.EC2ContainerServiceBackend._calculate_task_resource_requirements

    def calculate_task_resource_requirements(task_definition):
        definitions = task_definition.container_definitions
        missing = [d for d in definitions if not any(d.get(k) for k in ("memory", "Memory", "memoryReservation", "MemoryReservation"))]
        if not missing:
            return original_requirements(task_definition)
        # Containers without their own memory share the task-level memory (Fargate); count them as 0.
        for d in missing:
            d["memoryReservation"] = 0
        try:
            requirements = original_requirements(task_definition)
        finally:
            for d in missing:
                d.pop("memoryReservation", None)
        if not requirements["MEMORY"] and getattr(task_definition, "memory", None):
            requirements["MEMORY"] = int(task_definition.memory)
        return requirements

    models.EC2ContainerServiceBackend._calculate_task_resource_requirements = staticmethod(calculate_task_resource_requirements)
    models.Task.last_status = property(get_last_status, set_last_status)

    original_run_task = models.EC2ContainerServiceBackend.run_task

    def run_task(self, *args, **kwargs):
        try:
            return original_run_task(self, *args, **kwargs)
        except InvalidParameterException:
            raise
        except Exception as failure:  # noqa: BLE001 - moto raises a bare Exception here
            if "No instances found" in str(failure):
                raise InvalidParameterException("No Container Instances were found in your cluster.")
            raise

    models.EC2ContainerServiceBackend.run_task = run_task

    original_stop_task = models.EC2ContainerServiceBackend.stop_task

    def stop_task(self, cluster_str, task_str, reason):
        task = original_stop_task(self, cluster_str, task_str, reason)
        if getattr(task, "_tollgate", None) is not None and reason:
            task.stopped_reason = reason
        return task

    models.EC2ContainerServiceBackend.stop_task = stop_task

    # Settle every task before a response is built: the serializer reads desiredStatus and the
    # containers before lastStatus, so settling lazily in the lastStatus getter alone is too late.
    original_describe_tasks = models.EC2ContainerServiceBackend.describe_tasks

    def describe_tasks(self, cluster_str, tasks):
        described = original_describe_tasks(self, cluster_str, tasks)
        for task in described:
            settle(task)
        return described

    models.EC2ContainerServiceBackend.describe_tasks = describe_tasks

    original_list_tasks = models.EC2ContainerServiceBackend.list_tasks

    def list_tasks(self, *args, **kwargs):
        for cluster_tasks in self.tasks.values():
            for task in cluster_tasks.values():
                settle(task)
        return original_list_tasks(self, *args, **kwargs)

    models.EC2ContainerServiceBackend.list_tasks = list_tasks

    tokens = {}
    tokens_lock = threading.Lock()
    original_response = responses.EC2ContainerServiceResponse.run_task

    def run_task_response(self):
        token = self._get_param("clientToken")
        if not token:
            return original_response(self)
        key = (self.current_account, self.region, token)
        with tokens_lock:
            if key not in tokens:
                result = original_response(self)
                tokens[key] = result
            return tokens[key]

    responses.EC2ContainerServiceResponse.run_task = run_task_response


PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d+)?|100)$")


def extend_cloudwatch_percentiles():
    from moto.cloudwatch.models import CloudWatchBackend, MetricDatum, Statistics

    original_statistic = Statistics.get_statistics_for_type

    def get_statistics_for_type(self, stat):
        match = PERCENTILE.match(stat or "")
        if not match:
            return original_statistic(self, stat)
        values = sorted(m.value for m in self.metric_data or [] if isinstance(m, MetricDatum))
        if not values:
            # Percentiles need raw values; statistic sets alone give none, as on CloudWatch.
            return None
        rank = math.ceil(float(match.group(1)) / 100 * len(values))
        return values[min(len(values), max(1, rank)) - 1]

    Statistics.get_statistics_for_type = get_statistics_for_type

    original_get_metric_data = CloudWatchBackend.get_metric_data

    def get_metric_data(self, *args, **kwargs):
        results = original_get_metric_data(self, *args, **kwargs)
        for result in results:
            pairs = [(t, v) for t, v in zip(result["timestamps"], result["values"]) if v is not None]
            result["timestamps"] = [t for t, _ in pairs]
            result["values"] = [v for _, v in pairs]
        return results

    CloudWatchBackend.get_metric_data = get_metric_data


def index_cloudwatch_metric_data():
    """GetMetricData finds a query's metric through an index, and matches its namespace as well as its name and dimensions.

    moto 5.2.1 answers every MetricStat query by scanning all the data ever put in the region, and for
    each period of each query sorts the dimensions of every datum of the window again: a tick's query of
    ten metrics costs seconds of one CPU once a few deployments have put their latencies, and the
    server, holding Python's GIL, answers nothing else meanwhile. Here each datum is filed under its
    (namespace, name, dimension set) when it is put, and a query reads only its own. The answer is
    CloudWatch's: a metric is identified by its namespace, name and full set of dimensions
    (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension);
    moto 5.2.1 ignores the namespace of a query that has dimensions. Requests with metric math or
    Metrics Insights expressions take moto's own path.
    """
    from moto.cloudwatch.models import CloudWatchBackend, Statistics

    def metric_key(namespace, name, dimension_pairs):
        return namespace, name, frozenset(dimension_pairs)

    def index_of(backend):
        return backend.__dict__.setdefault("_tollgate_index", ({}, threading.Lock()))

    original_put = CloudWatchBackend.put_metric_data

    def put_metric_data(self, namespace, metric_data):
        data, lock = index_of(self)
        with lock:
            before = len(self.metric_data)
            original_put(self, namespace, metric_data)
            for datum in self.metric_data[before:]:
                data.setdefault(metric_key(datum.namespace, datum.name, ((d.name, d.value) for d in datum.dimensions)),
                              []).append(datum)

    CloudWatchBackend.put_metric_data = put_metric_data

    original_get_metric_data = CloudWatchBackend.get_metric_data

    def get_metric_data(self, queries, start_time, end_time, scan_by="TimestampAscending"):
        if any("MetricStat" not in query for query in queries):
            return original_get_metric_data(self, queries, start_time, end_time, scan_by)
        start_time = start_time.replace(microsecond=0)
        end_time = end_time.replace(microsecond=0)
        if start_time >= end_time:
            # moto's own checks and messages (EndTime before or equal to StartTime).
            return original_get_metric_data(self, queries, start_time, end_time, scan_by)
        data, lock = index_of(self)
        provided = None
        answers = []
        for query in queries:
            stat_query = query["MetricStat"]
            metric = stat_query["Metric"]
            namespace = metric["Namespace"]
            key = metric_key(namespace, metric["MetricName"], ((d["Name"], d["Value"]) for d in metric.get("Dimensions", [])))
            with lock:
                candidates = list(data.get(key, ()))
            if namespace.startswith("AWS/"):
                if provided is None:
                    provided = self.aws_metric_data
                candidates += [d for d in provided
                               if metric_key(d.namespace, d.name, ((x.name, x.value) for x in d.dimensions)) == key]
            unit = stat_query.get("Unit")
            period = timedelta(seconds=int(stat_query["Period"]))
            buckets = {}
            for datum in candidates:
                if start_time <= datum.timestamp < end_time and (not unit or datum.unit == unit):
                    buckets.setdefault((datum.timestamp - start_time) // period, []).append(datum)
            stat = stat_query["Stat"]
            timestamps, values = [], []
            for bucket in sorted(buckets):
                statistics = Statistics([stat], start_time + bucket * period)
                statistics.metric_data = buckets[bucket]
                value = statistics.get_statistics_for_type(stat)
                if value is not None:
                    timestamps.append(statistics.timestamp)
                    values.append(value)
            if scan_by == "TimestampDescending":
                timestamps.reverse()
                values.reverse()
            if query.get("ReturnData", True):
                answers.append({"id": query["Id"], "label": query.get("Label") or f"{metric['MetricName']} {stat}",
                                "values": values, "timestamps": timestamps, "status_code": "Complete"})
        return answers

    CloudWatchBackend.get_metric_data = get_metric_data


def pass_task_failure_cause():
    """SendTaskFailure: the cause reaches the Catch as on AWS (moto 5.2.1 passes the error only)."""
    from moto.core.responses import EmptyResult
    from moto.stepfunctions.responses import StepFunctionResponse

    def send_task_failure(self):
        self.stepfunction_backend.send_task_failure(
            self._get_param("taskToken"), error=self._get_param("error"), cause=self._get_param("cause")
        )
        return EmptyResult()

    StepFunctionResponse.send_task_failure = send_task_failure


# CodePipeline jobs by id. Job ids are UUIDs, unique across accounts and regions, as on AWS.
CODEPIPELINE_JOBS = {}
CODEPIPELINE_JOBS_LOCK = threading.Lock()
# https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_JobDetails.html (status of a job)
OPEN_JOB_STATES = ("Created", "Queued", "Dispatched", "InProgress")
FAILURE_TYPES = ("JobFailed", "ConfigurationError", "PermissionError", "RevisionOutOfSync", "RevisionUnavailable",
                 "SystemUnavailable")


def answer_each_task_token_once():
    """A task token is answered once: SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat for a task that has had its
    answer, or has timed out, fails with TaskTimedOut ("Provided task does not exist anymore",
    https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html), so whoever answers second
    learns it was too late. moto 5.2.1 keeps every callback endpoint and accepts a second answer, which it drops; and
    for a timed-out task it constructs its TaskTimedOut and TaskDoesNotExist without their message, so the client gets
    HTTP 500 (a TypeError), which it would retry as if AWS were unavailable."""
    from moto.core.exceptions import AWSError
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    class TaskTimedOut(AWSError):
        TYPE = "TaskTimedOut"
        STATUS = 400

    def too_late(backend, token):
        for execution in backend._get_executions():
            worker = getattr(execution, "exec_worker", None)
            endpoint = worker.env.callback_pool_manager.get(token) if worker is not None else None
            if endpoint is not None:
                return endpoint.get_outcome() is not None or endpoint.consumer_error is not None
        return False

    def answered_once(answer):
        def answered(self, task_token, *args, **kwargs):
            if too_late(self, task_token):
                raise TaskTimedOut("Task Timed Out: 'Provided task does not exist anymore'")
            return answer(self, task_token, *args, **kwargs)

        return answered

    for name in ("send_task_success", "send_task_failure", "send_task_heartbeat"):
        setattr(StepFunctionsParserBackend, name, answered_once(getattr(StepFunctionsParserBackend, name)))


def extend_codepipeline_jobs():
    """CodePipeline's job worker API on a job store, checked as the API reference documents it:

    * GetJobDetails (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetJobDetails.html):
      {"jobDetails": {"id", "data", "accountId"}}; JobNotFoundException for an unknown id.
    * PutJobSuccessResult (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PutJobSuccessResult.html):
      continuationToken (1-2048), executionDetails {summary (<= 2048), externalExecutionId (<= 1500),
      percentComplete (0-100)}, outputVariables, which "can be included only when there is no continuation
      token" (ValidationException otherwise). JobNotFoundException for an unknown job,
      InvalidJobStateException for a job already answered.
    * PutJobFailureResult (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PutJobFailureResult.html):
      failureDetails {type (FailureType), message (1-5000), externalExecutionId}; same errors.

    A continuation is a new job whose data carries the continuation token, as CodePipeline creates
    it; the test route creates those too. The route (not an AWS API):
      POST /moto-api/tollgate/codepipeline/jobs {"accountId", "data"} -> {"id"}
      GET  /moto-api/tollgate/codepipeline/jobs?id=ID -> {"id", "status", "answers": [...]}
    where answers lists every call that answered the job, accepted or refused, in order.
    """
    from moto.codepipeline.responses import CodePipelineResponse
    from moto.core.exceptions import JsonRESTError
    from moto.moto_api._internal import urls as moto_api_urls

    def error(code, message):
        failure = JsonRESTError(code, message)
        failure.code = 400
        return failure

    def find(job_id):
        job = CODEPIPELINE_JOBS.get(job_id)
        if job is None:
            raise error("JobNotFoundException", "The job was specified in an invalid format or cannot be found.")
        return job

    def answer(job_id, status, result):
        with CODEPIPELINE_JOBS_LOCK:
            job = find(job_id)
            refused = job["status"] not in OPEN_JOB_STATES
            job["answers"].append(dict(result, status=status, accepted=not refused))
            if refused:
                raise error("InvalidJobStateException", f"Job {job_id} is {job['status']}; it was answered already.")
            job["status"] = status
            job["result"] = result

    def check_length(name, value, low, high):
        if value is not None and not (low <= len(value) <= high):
            raise error("ValidationException", f"{name} must be {low} to {high} characters long, found {len(value)}")

    def get_job_details(self):
        job = find(self._get_param("jobId"))
        return json.dumps({"jobDetails": {"id": job["id"], "data": job["data"], "accountId": job["accountId"]}})

    def put_job_success_result(self):
        token = self._get_param("continuationToken")
        details = self._get_param("executionDetails") or {}
        variables = self._get_param("outputVariables")
        check_length("continuationToken", token, 1, 2048)
        check_length("executionDetails.summary", details.get("summary"), 1, 2048)
        check_length("executionDetails.externalExecutionId", details.get("externalExecutionId"), 1, 1500)
        percent = details.get("percentComplete")
        if percent is not None and not 0 <= percent <= 100:
            raise error("ValidationException", f"executionDetails.percentComplete must be 0 to 100, found {percent}")
        if token and variables:
            raise error("ValidationException", "outputVariables can be included only when there is no continuation token")
        for key in variables or {}:
            if not re.fullmatch(r"[A-Za-z0-9@\-_]+", key):
                raise error("ValidationException", f"output variable name {key!r} is not allowed")
        answer(self._get_param("jobId"), "Succeeded",
               {"continuationToken": token, "executionDetails": details, "outputVariables": variables})
        return "{}"

    def put_job_failure_result(self):
        details = self._get_param("failureDetails") or {}
        if details.get("type") not in FAILURE_TYPES:
            raise error("ValidationException", f"failureDetails.type must be one of {', '.join(FAILURE_TYPES)}")
        check_length("failureDetails.message", details.get("message") or "", 1, 5000)
        check_length("failureDetails.externalExecutionId", details.get("externalExecutionId"), 1, 1500)
        answer(self._get_param("jobId"), "Failed", {"failureDetails": details})
        return "{}"

    CodePipelineResponse.get_job_details = get_job_details
    CodePipelineResponse.put_job_success_result = put_job_success_result
    CodePipelineResponse.put_job_failure_result = put_job_failure_result

    def jobs_route(request, full_url, headers):
        if request.method == "POST":
            body = json.loads(request.get_data(as_text=True) or "{}")
            job_id = str(uuid.uuid4())
            with CODEPIPELINE_JOBS_LOCK:
                CODEPIPELINE_JOBS[job_id] = {"id": job_id, "accountId": body.get("accountId", "123456789012"),
                                             "data": body.get("data", {}), "status": "InProgress", "answers": []}
            return 201, {"Content-Type": "application/json"}, json.dumps({"id": job_id})
        job = CODEPIPELINE_JOBS.get(request.args.get("id", ""))
        if job is None:
            return 404, {"Content-Type": "application/json"}, json.dumps({"message": "no such job"})
        with CODEPIPELINE_JOBS_LOCK:
            view = {"id": job["id"], "status": job["status"], "answers": list(job["answers"])}
        return 200, {"Content-Type": "application/json"}, json.dumps(view)

    moto_api_urls.url_paths["{0}/moto-api/tollgate/codepipeline/jobs$"] = jobs_route


def wait_until_timestamps_in_utc():
    """Wait with Timestamp(Path): until the timestamp's second in UTC, the milliseconds dropped, as on AWS."""
    import datetime

    from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEventException
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function.timestamp import Timestamp

    def until(self, env):
        self.string.eval(env=env)
        timestamp_str = env.stack.pop()
        timestamp = self._from_timestamp_string(timestamp=timestamp_str)
        if timestamp is None:
            raise FailureEventException(self._create_failure_event(env, timestamp_str))
        return timestamp.replace(tzinfo=datetime.timezone.utc)

    def eval_body(self, env):
        deadline = until(self, env)
        while env.is_running():
            left = (deadline - datetime.datetime.now(tz=datetime.timezone.utc)).total_seconds()
            if left <= 0:
                return
            # Woken early by an unrelated event, it waits on; stopped (StopExecution), it ends.
            env.program_state_event.wait(left)

    Timestamp._eval_body = eval_body


class AttemptEnded(Exception):
    """Ends the thread of a Task attempt whose state already timed out or whose execution stopped."""


def end_timed_out_task_attempts():
    """A Task attempt whose state timed out (or whose execution stopped) before it began does nothing more.

    moto 5.2.1 runs each Task attempt in a thread of its own and, when the state's timeout (TimeoutSeconds or
    TimeoutSecondsPath) ends first, moves on and marks the attempt's frame ended, but the thread runs on. In an
    ended frame every evaluation is skipped without pushing its value, while the code around it still pops
    one: the timeout then reads the state's input, so a TaskScheduled event was recorded with an object as its
    timeoutInSeconds, and every later GetExecutionHistory failed with HTTP 500 ("int() argument must be ...,
    not 'dict'"). It happens when the attempt's thread starts late: a busy machine and a short timeout (a
    rollback window that closes in 2 s while the approval function starts cold). On AWS a timed-out task
    records nothing more, and its invocation does not begin after the timeout. So: an attempt checks that its
    frame is still running before it records its scheduling or calls the service, and a timeout or
    heartbeat is always evaluated (never skipped), so whatever pops it gets the number.
    """
    from moto.stepfunctions.parser.asl.component.common.timeouts.heartbeat import Heartbeat, HeartbeatSecondsPath
    from moto.stepfunctions.parser.asl.component.common.timeouts.timeout import Timeout, TimeoutSecondsPath
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service import StateTaskService
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_activitiy import StateTaskActivity
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_lambda import StateTaskLambda

    def only_while_running(method):
        def guarded(self, env, *args, **kwargs):
            if not env.is_running():
                raise AttemptEnded(f"{self.name}: the state timed out or the execution stopped before this attempt began")
            return method(self, env, *args, **kwargs)

        return guarded

    StateTaskService._before_eval_execution = only_while_running(StateTaskService._before_eval_execution)
    StateTaskLambda._eval_execution = only_while_running(StateTaskLambda._eval_execution)
    StateTaskActivity._eval_execution = only_while_running(StateTaskActivity._eval_execution)

    def always_evaluated(original):
        def evaluate(self, env):
            if env.is_running():
                return original(self, env)
            self._eval_body(env)

        return evaluate

    def path_always_evaluated(original):
        def eval_seconds(self, env):
            if env.is_running():
                return original(self, env)
            self.string_sampler._eval_body(env)
            return env.stack.pop()

        return eval_seconds

    Timeout.eval = always_evaluated(Timeout.eval)
    Heartbeat.eval = always_evaluated(Heartbeat.eval)
    TimeoutSecondsPath._eval_seconds = path_always_evaluated(TimeoutSecondsPath._eval_seconds)
    HeartbeatSecondsPath._eval_seconds = path_always_evaluated(HeartbeatSecondsPath._eval_seconds)


def fix_cloudwatch_dimension_order():
    """Dimensions sort by name, then value, so equal sets compare equal whatever order they came in."""
    from moto.cloudwatch.models import Dimension

    def less_than(self, other):
        return (self.name or "", self.value or "") < (other.name or "", other.value or "")

    Dimension.__lt__ = less_than


# Lambda Invoke without Docker. moto runs a function in a Lambda container (Docker), which the local stack has not; the
# demo's and the tests' functions are small Python handlers, run here in moto's own process instead, with what AWS
# documents for a synchronous invocation: the handler's return value as the payload, an exception as a function error
# (X-Amz-Function-Error: Unhandled, {"errorType", "errorMessage"}), and a run past the function's Timeout as one too
# ("Task timed out after N seconds"). https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
# The function's environment is not applied (os.environ is the launcher's): the local functions need none.
def run_python_functions_in_process():
    import base64
    import io
    import zipfile

    from moto.awslambda.models import LambdaFunction

    original = LambdaFunction.invoke

    def handler_of(function):
        if not (function.run_time or "").startswith("python") or not function.code_bytes or "." not in (function.handler or ""):
            return None
        module_name, handler_name = function.handler.rsplit(".", 1)
        try:
            with zipfile.ZipFile(io.BytesIO(function.code_bytes)) as archive:
                source = archive.read(module_name.replace(".", "/") + ".py").decode()
        except (KeyError, zipfile.BadZipFile):
            return None
        namespace = {"__name__": module_name}
        exec(compile(source, f"{function.function_name}/{module_name}.py", "exec"), namespace)  # noqa: S102 - the local stack's own functions
        return namespace.get(handler_name)

    def invoke(self, body, request_headers, response_headers):
        handler = handler_of(self)
        if handler is None:
            return original(self, body, request_headers, response_headers)
        event = json.loads(body) if body else {}
        outcome = {}

        def run():
            try:
                outcome["result"] = handler(event, None)
            except Exception as failure:  # noqa: BLE001 - the function's error is its answer, as on Lambda
                outcome["error"] = failure

        worker = threading.Thread(target=run, daemon=True, name=f"lambda-{self.function_name}")
        worker.start()
        worker.join(float(self.timeout))
        if worker.is_alive():
            response_headers["x-amz-function-error"] = "Unhandled"
            payload = {"errorType": "Sandbox.Timedout", "errorMessage": f"Task timed out after {float(self.timeout):.2f} seconds"}
        elif "error" in outcome:
            response_headers["x-amz-function-error"] = "Unhandled"
            payload = {"errorType": type(outcome["error"]).__name__, "errorMessage": str(outcome["error"])}
        else:
            payload = outcome.get("result")
        if request_headers.get("X-Amz-Log-Type") == "Tail":
            response_headers["x-amz-log-result"] = base64.b64encode(b"").decode()
        return json.dumps(payload).encode()

    LambdaFunction.invoke = invoke


# A load balancer tagged tollgate-local:dns-name reports that name as its DNSName: the local stack's test listeners
# listen on 127.0.0.1, where a smoke test can reach them (moto's names, <name>-1.<region>.elb.amazonaws.com, resolve
# nowhere).
DNS_NAME_TAG = "tollgate-local:dns-name"


def resolve_load_balancers_locally():
    from moto.elbv2.models import ELBv2Backend

    original_add_tags = ELBv2Backend.add_tags

    def add_tags(self, resource_arns, tags):
        original_add_tags(self, resource_arns, tags)
        for tag in tags:
            if tag.get("Key") == DNS_NAME_TAG:
                for arn in resource_arns:
                    if arn in self.load_balancers:
                        self.load_balancers[arn].dns_name = tag.get("Value")

    ELBv2Backend.add_tags = add_tags


STATUS_CHANGE = "Step Functions Execution Status Change"


def _epoch_millis(value):
    import datetime

    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return int(value.timestamp() * 1000)


def emit_stepfunctions_status_events():
    """Every status change of a Standard execution goes to the default event bus of its account and region,
    as Step Functions sends it (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html): source
    aws.states, detail-type "Step Functions Execution Status Change", the execution's ARN as the resource, and a
    detail like DescribeExecution's (startDate and stopDate in epoch milliseconds, stopDate null while RUNNING;
    input and output as JSON strings, null when none; error and cause of a failed, timed-out or aborted one when
    known). RUNNING when the execution starts, then one event when it ends: SUCCEEDED, FAILED (a Fail state or an
    unhandled error), TIMED_OUT or ABORTED. moto 5.2.1 emits nothing, so no rule on aws.states ever matches.

    Hooked where the engine sets the status: Execution.start (RUNNING), the worker's
    _reflect_execution_status (every end), and Execution.stop, the StopExecution path: AWS ends a stopped execution
    at once, while moto's worker only notices once its current state returns (a Task may take minutes), so the stop
    itself marks the execution ABORTED, with its stop date, and emits; the worker's later reflection then keeps that
    date and emits nothing more. Child executions started by a Task go through the same StartExecution, so they
    emit too. Events go through moto's EventsBackend.put_events, so rules on the default bus match and deliver. A
    failure to emit is printed to stderr: it never fails the execution or the call.
    """
    import datetime

    from moto.events.models import events_backends
    from moto.stepfunctions.parser.api import ExecutionStatus
    from moto.stepfunctions.parser.asl.eval.program_state import ProgramStopped
    from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
    from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication, Execution, SyncExecution

    ended_badly = (ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED)

    def publish(execution, status):
        try:
            succeeded = status == ExecutionStatus.SUCCEEDED
            output = to_json_str(execution.output, separators=(",", ":")) if succeeded else None
            detail = {
                "executionArn": execution.exec_arn,
                "stateMachineArn": execution.state_machine.arn,
                "name": execution.name,
                "status": status.value,
                "startDate": _epoch_millis(execution.start_date),
                "stopDate": None if status == ExecutionStatus.RUNNING else _epoch_millis(execution.stop_date),
                # As given to StartExecution, as DescribeExecution answers it.
                "input": execution.execution_input if isinstance(execution.execution_input, str)
                else to_json_str(execution.input_data, separators=(",", ":")),
                "inputDetails": {"included": True},
                "output": output,
                "outputDetails": {"included": True} if output is not None else None,
            }
            if status in ended_badly:
                for name, value in (("error", execution.error), ("cause", execution.cause)):
                    if value:
                        detail[name] = value
            entries = events_backends[execution.account_id][execution.region_name].put_events([{
                "Source": "aws.states",
                "DetailType": STATUS_CHANGE,
                "Detail": json.dumps(detail),
                "Resources": [execution.exec_arn],
            }])
            if entries and "ErrorCode" in entries[0]:
                print(f"status event of {execution.exec_arn} refused: {entries[0]}", file=sys.stderr, flush=True)
        except Exception as failure:  # noqa: BLE001 - best effort, as on AWS; the execution goes on
            print(f"status event of {execution.exec_arn} not emitted: {failure!r}", file=sys.stderr, flush=True)

    def emits(execution):
        # Express workflows (StartSyncExecution) send no status events on AWS; moto runs them as SyncExecution.
        return not isinstance(execution, SyncExecution)

    original_start = Execution.start

    def start(self):
        if not emits(self):
            return original_start(self)
        # Held until RUNNING is out, so a quick execution's end cannot overtake its start.
        self._status_events_lock = threading.RLock()
        self._terminal_event_emitted = False
        with self._status_events_lock:
            original_start(self)
            publish(self, ExecutionStatus.RUNNING)

    def ended(execution, status):
        lock = getattr(execution, "_status_events_lock", None)
        if lock is None:
            return False
        with lock:
            if execution._terminal_event_emitted:
                return False
            execution._terminal_event_emitted = True
            publish(execution, status)
            return True

    original_reflect = BaseExecutionWorkerCommunication._reflect_execution_status

    def reflect_execution_status(self):
        execution = self.execution
        stopped_at = execution.stop_date
        original_reflect(self)
        if not ended(execution, execution.exec_status) and execution.exec_status == ExecutionStatus.ABORTED and stopped_at:
            # Aborted by StopExecution, which already set the stop date and emitted: it stays as reported.
            execution.stop_date = stopped_at

    original_stop = Execution.stop

    def stop(self, stop_date, error, cause):
        original_stop(self, stop_date=stop_date, error=error, cause=cause)
        worker = self.exec_worker
        if worker is None or worker.env is None or not isinstance(worker.env.program_state(), ProgramStopped):
            return
        lock = getattr(self, "_status_events_lock", None)
        if lock is None:
            return
        with lock:
            if self._terminal_event_emitted:
                return
            self.exec_status = ExecutionStatus.ABORTED
            self.stop_date = worker.env.program_state().stop_date
            if self.stop_date.tzinfo is None:
                self.stop_date = self.stop_date.replace(tzinfo=datetime.timezone.utc)
            if error:
                self.error = error
            if cause:
                self.cause = cause
            ended(self, ExecutionStatus.ABORTED)

    Execution.start = start
    BaseExecutionWorkerCommunication._reflect_execution_status = reflect_execution_status
    Execution.stop = stop


LAMBDA_FUNCTION_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:([a-z0-9-]+):\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$")


def deliver_events_to_lambda_targets(lambda_endpoint):
    """A rule's Lambda function target receives each matching event by an asynchronous invocation (InvocationType
    Event), as EventBridge delivers it (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html):
    the whole event (version, id, detail-type, source, account, time, region, resources, detail), or the target's
    Input (a constant JSON text, in place of the event), or the part of the event its InputPath selects, or what its
    InputTransformer makes of it. moto 5.2.1 delivers to logs, archives, SQS and buses only, and answers PutEvents
    with HTTP 500 (NotImplementedError) once a matching rule has a Lambda target.

    Rule.send_to_targets is wrapped: the Lambda targets are taken out, moto's own dispatch handles the others. The
    invocation goes to the local Lambda endpoint (where the Java handlers run, and which hands the functions it does
    not run to moto's own Invoke), on a background thread: delivery is asynchronous on AWS, so PutEvents, or the end
    of the execution whose status event it is, never waits for the function nor fails because of it. A failed
    delivery is printed to stderr (EventBridge would retry, then drop it or send it to a dead-letter queue).
    """
    import boto3
    from botocore.config import Config
    from jsonpath_ng.ext import parse as jsonpath

    from moto.core.utils import iso_8601_datetime_without_milliseconds, utcfromtimestamp
    from moto.events.models import Rule
    from moto.events.utils import EventTemplateParser

    clients = {}
    clients_lock = threading.Lock()

    def client(region):
        with clients_lock:
            if region not in clients:
                # A session of its own: boto3's default session is not safe to share between threads.
                clients[region] = boto3.session.Session().client(
                    "lambda",
                    region_name=region,
                    endpoint_url=lambda_endpoint,
                    aws_access_key_id="local",
                    aws_secret_access_key="local",
                    config=Config(retries={"max_attempts": 0, "total_max_attempts": 1}, connect_timeout=5, read_timeout=900),
                )
            return clients[region]

    def delivered_event(event):
        # The event as EventBridge hands it over: its time in ISO 8601, without moto's ingestion-time.
        whole = {name: value for name, value in event.items() if name != "ingestion-time"}
        if isinstance(whole.get("time"), (int, float)):
            whole["time"] = iso_8601_datetime_without_milliseconds(utcfromtimestamp(float(whole["time"])))
        return whole

    def payload_for(target, event, transform_input):
        if not transform_input:
            return json.dumps(event)
        if target.get("Input") is not None:
            return target["Input"]
        whole = delivered_event(event)
        if target.get("InputPath"):
            matches = jsonpath(target["InputPath"]).find(whole)
            return json.dumps(matches[0].value if matches else None)
        transformer = target.get("InputTransformer")
        if transformer:
            return json.dumps(EventTemplateParser.parse(
                input_template=transformer.get("InputTemplate"),
                input_paths_map=transformer.get("InputPathsMap", {}),
                event=event,
            ))
        return json.dumps(whole)

    def invoke(function_arn, payload):
        try:
            region = LAMBDA_FUNCTION_ARN.match(function_arn).group(1)
            answer = client(region).invoke(FunctionName=function_arn, InvocationType="Event", Payload=payload.encode())
            if answer.get("FunctionError"):
                print(f"event delivery to {function_arn}: the function failed: {answer['Payload'].read()!r}",
                      file=sys.stderr, flush=True)
        except Exception as failure:  # noqa: BLE001 - delivery is best effort; never the sender's failure
            print(f"event delivery to {function_arn} failed: {failure!r}", file=sys.stderr, flush=True)

    class OtherTargets:
        """The rule as moto's dispatch sees it: every target but the Lambda functions."""

        def __init__(self, rule, targets):
            self._rule = rule
            self.targets = targets

        def __getattr__(self, name):
            return getattr(self._rule, name)

    original = Rule.send_to_targets

    def send_to_targets(self, original_event, transform_input=True):
        functions = [target for target in self.targets if LAMBDA_FUNCTION_ARN.match(target.get("Arn", ""))]
        if not functions:
            return original(self, original_event, transform_input)
        if not self.event_pattern.matches_event(original_event):
            return
        others = [target for target in self.targets if target not in functions]
        if others:
            original(OtherTargets(self, others), original_event, transform_input)
        for target in functions:
            payload = payload_for(target, original_event, transform_input)
            threading.Thread(target=invoke, args=(target["Arn"], payload), daemon=True,
                             name=f"events-to-{target['Arn'].rsplit(':', 1)[-1]}").start()

    Rule.send_to_targets = send_to_targets


def main():
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--lambda-endpoint", required=True)
    arguments.add_argument("--ecs-rollout-seconds", type=float, default=2.0)
    arguments.add_argument("--ecs-task-seconds", type=float, default=2.0)
    arguments.add_argument("--codedeploy-minute-seconds", type=float, default=60.0,
                           help="how long one minute of a CodeDeploy canary or linear interval lasts (AWS: 60)")
    arguments.add_argument("--codedeploy-hook-timeout-seconds", type=float, default=600.0,
                           help="how long a lifecycle hook may take to answer before it fails (AWS: 3600)")
    options = arguments.parse_args()

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

    import logging

    from moto.server import ThreadedMotoServer

    # One line per request would drown the log; errors still show.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    enable_state_machine_execution()
    route_lambda_invoke(options.lambda_endpoint)
    allow_concurrent_executions()
    extend_stepfunctions_start_execution()
    extend_ecs_deployments(options.ecs_rollout_seconds)
    extend_ecs_one_off_tasks(options.ecs_task_seconds)
    extend_cloudwatch_percentiles()
    index_cloudwatch_metric_data()
    pass_task_failure_cause()
    answer_each_task_token_once()
    wait_until_timestamps_in_utc()
    end_timed_out_task_attempts()
    extend_codepipeline_jobs()
    extend_codedeploy(options.lambda_endpoint, options.codedeploy_minute_seconds, options.codedeploy_hook_timeout_seconds)
    fix_cloudwatch_dimension_order()
    run_python_functions_in_process()
    resolve_load_balancers_locally()
    emit_stepfunctions_status_events()
    deliver_events_to_lambda_targets(options.lambda_endpoint)

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    port = server.get_host_and_port()[1]
    # The engine builds its other clients (DynamoDB, ...) against this port.
    os.environ["MOTO_PORT"] = str(port)
    print(f"READY {port}", flush=True)

    # Stop when the parent closes our stdin (or dies): never outlive the JVM.
    try:
        while sys.stdin.read(1):
            pass
    except KeyboardInterrupt:
        pass
    server.stop()


if __name__ == "__main__":
    main()
