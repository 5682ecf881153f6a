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
  * Step Functions starts an execution while another of the same state machine runs (AWS runs
    up to a million at once); moto 5.2.1 deep-copies the state machine with its running
    executions and their locks, and answers HTTP 500 "cannot pickle '_thread.RLock' object".
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
"""

import argparse
import copy
import importlib
import math
import os
import pkgutil
import re
import sys
import threading
import time
import uuid


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


def fix_cloudwatch_dimension_order():
    """Dimensions sort by name, then value, so equal sets compare equal whatever order they came in."""
    from moto.cloudwatch.models import Dimension

    def less_than(self, other):
        return (self.name or "", self.value or "") < (other.name or "", other.value or "")

    Dimension.__lt__ = less_than


def main():
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--lambda-endpoint", required=True)
    arguments.add_argument("--ecs-rollout-seconds", type=float, default=2.0)
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
    extend_ecs_deployments(options.ecs_rollout_seconds)
    extend_codedeploy(options.lambda_endpoint, options.codedeploy_minute_seconds, options.codedeploy_hook_timeout_seconds)
    extend_cloudwatch_percentiles()
    fix_cloudwatch_dimension_order()

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
