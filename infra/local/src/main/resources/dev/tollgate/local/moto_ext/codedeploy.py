"""CodeDeploy: deployments with a lifecycle, for the ECS and Lambda compute platforms.

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

import json
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid


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


def _client_error(code, message):
    from moto.codedeploy.exceptions import CodeDeployException

    failure = CodeDeployException(code, message)
    failure.code = 400
    return failure


class Lifecycle(threading.Thread):
    """One deployment's progress; every change happens under the lock and stops once the deployment ended."""

    def __init__(self, backend, deployment, platform, app_spec, routing, lambda_endpoint, minute_seconds, hook_timeout_seconds):
        super().__init__(name=f"codedeploy-{deployment.deployment_id}", daemon=True)
        self.lambda_endpoint = lambda_endpoint
        self.minute_seconds = minute_seconds
        self.hook_timeout_seconds = hook_timeout_seconds
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
            if not self.sleep(self.routing["timeBasedCanary"]["canaryInterval"] * self.minute_seconds):
                return
        elif kind == "TimeBasedLinear":
            step = self.routing["timeBasedLinear"]["linearPercentage"]
            percent = step
            while percent < 100:
                self.set_weight(percent)
                if not self.sleep(self.routing["timeBasedLinear"]["linearInterval"] * self.minute_seconds):
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
        url = f"{self.lambda_endpoint}/2015-03-31/functions/{urllib.parse.quote(function, safe='')}/invocations"

        def invoke():
            # CodeDeploy invokes hooks asynchronously; their answer comes back through PutLifecycleEventHookExecutionStatus.
            try:
                request = urllib.request.Request(url, data=payload, method="POST",
                                                 headers={"X-Amz-Invocation-Type": "Event"})
                with urllib.request.urlopen(request, timeout=self.hook_timeout_seconds) as response:
                    failed = response.headers.get("X-Amz-Function-Error")
                    body = response.read().decode(errors="replace")
                if failed:
                    print(f"codedeploy hook {event} of {self.deployment.deployment_id} failed: {body}", file=sys.stderr)
                    self.answer(execution, "Failed")
            except Exception as failure:  # noqa: BLE001 - an unreachable hook function fails the hook, as on AWS
                print(f"codedeploy hook {event} of {self.deployment.deployment_id}: {failure}", file=sys.stderr)
                self.answer(execution, "Failed")

        threading.Thread(target=invoke, daemon=True, name=f"hook-{event}").start()
        deadline = time.monotonic() + self.hook_timeout_seconds
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
                raise _client_error("InvalidLifecycleEventHookExecutionIdException",
                                    f"Lifecycle event hook execution {execution} is not part of deployment {self.deployment.deployment_id}")
            if self.executions[execution] is not None or self.ended.is_set():
                raise _client_error("LifecycleEventAlreadyCompletedException",
                                    f"The lifecycle event of hook execution {execution} has already completed")
            self.executions[execution] = status

    # -- the run -------------------------------------------------------------------------
    def run(self):
        from moto.core.utils import iso_8601_datetime_with_milliseconds

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
        from moto.codedeploy.models import DeploymentInfo
        from moto.core.utils import iso_8601_datetime_with_milliseconds

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


def extend_codedeploy(lambda_endpoint, minute_seconds, hook_timeout_seconds):
    """CodeDeploy deployments that progress, stop and roll back, enough for Tollgate's flow."""
    from moto.codedeploy.models import CodeDeployBackend, DeploymentInfo
    from moto.codedeploy.responses import CodeDeployResponse

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
        raise _client_error("DeploymentConfigDoesNotExistException", f"The deployment configuration {name} does not exist")

    def create_deployment_config(self, name, compute_platform, traffic_routing_config):
        if name in PREDEFINED_DEPLOYMENT_CONFIGS or name in configs(self):
            raise _client_error("DeploymentConfigAlreadyExistsException", f"A deployment configuration named {name} already exists")
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
                raise _client_error("DeploymentLimitExceededException",
                                    f"The deployment group {deployment_group_name} already has an active deployment {other.deployment_id}")
        deployment_id = original_create_deployment(self, application_name, deployment_group_name, revision, deployment_config_name,
                                                   *args, **kwargs)
        deployment = self.deployments[deployment_id]
        app_spec = json.loads(((revision or {}).get("appSpecContent") or {}).get("content") or "{}")
        if app_spec.get("Resources"):
            platform = platform or deployment.application.compute_platform
            deployment.tollgate_lifecycle = Lifecycle(self, deployment, platform, app_spec, routing,
                                                      lambda_endpoint, minute_seconds, hook_timeout_seconds)
            deployment.tollgate_lifecycle.start()
        return deployment_id

    def lifecycle(backend, deployment_id):
        deployment = backend.get_deployment(deployment_id)
        found = getattr(deployment, "tollgate_lifecycle", None)
        if found is None:
            raise _client_error("UnsupportedActionForDeploymentTypeException", f"Deployment {deployment_id} has no traffic lifecycle")
        return found

    def stop_deployment(self, deployment_id, auto_rollback_enabled):
        deployment = self.get_deployment(deployment_id)
        if deployment.status not in ACTIVE_DEPLOYMENT_STATUSES:
            raise _client_error("DeploymentAlreadyCompletedException", f"The deployment {deployment_id} has already completed")
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


def install(lambda_endpoint, minute_seconds, hook_timeout_seconds):
    """Applies the CodeDeploy extensions: hooks run on lambda_endpoint, one CodeDeploy minute lasts minute_seconds."""
    extend_codedeploy(lambda_endpoint, minute_seconds, hook_timeout_seconds)
