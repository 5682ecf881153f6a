"""ECS: services that roll out and one-off tasks that run, as ECS reports them.

* ECS UpdateService starts a new PRIMARY deployment for a new task definition or count, with the
  old one ACTIVE until the rollout completes a moment later, as ECS reports it
  (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html).
  A task definition tagged tollgate-local:rollout=FAILED rolls out as the deployment circuit
  breaker reports a failure: rolloutState FAILED, failed tasks, none running
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html).
* ECS RunTask / DescribeTasks / StopTask for one-off tasks (Tollgate's ECS_TASK migrations), see
  extend_ecs_one_off_tasks: moto 5.2.1 answers RunTask with HTTP 500 when awsvpcConfiguration has no
  securityGroups (a KeyError; AWS uses the VPC's default group), and with a bare Exception (HTTP 500)
  for the EC2 launch type on a cluster without instances; it ignores RunTask's clientToken; and its
  tasks never run anything: they walk to STOPPED on describes, with no exit code or stop code.
"""

import re
import threading
import time
import uuid


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


def install(rollout_seconds, task_seconds):
    """Applies the ECS extensions: a service's rollout completes after rollout_seconds, a one-off task runs task_seconds."""
    extend_ecs_deployments(rollout_seconds)
    extend_ecs_one_off_tasks(task_seconds)
