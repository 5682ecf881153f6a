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
  * Step Functions starts an execution while another of the same state machine runs (AWS runs
    up to a million at once); moto 5.2.1 deep-copies the state machine with its running
    executions and their locks, and answers HTTP 500 "cannot pickle '_thread.RLock' object".
  * ECS UpdateService starts a new PRIMARY deployment for a new task definition or count, with the
    old one ACTIVE until the rollout completes a moment later, as ECS reports it
    (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html).
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

        def complete():
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


def main():
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--lambda-endpoint", required=True)
    arguments.add_argument("--ecs-rollout-seconds", type=float, default=2.0)
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
    extend_cloudwatch_percentiles()

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
