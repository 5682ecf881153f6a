"""A Task attempt that begins after its state timed out does nothing more (moto_ext.stepfunctions.end_timed_out_task_attempts).

Run by MotoExtensionsIT with the directory that holds the launcher's package moto_ext: moto in-process with the
package's Step Functions fixes, the attempt's thread held back (as a busy machine does) until the state's timeout
has ended. On AWS a timed-out task
records nothing more and its call does not begin after the timeout
(https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html, TimeoutSeconds); GetExecutionHistory's
timeoutInSeconds is a number (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TaskScheduledEventDetails.html).
Exits 0 and prints "history readable" when both hold.
"""
import json
import sys
import time

import boto3
from moto import mock_aws

# The package is read from the source tree: no __pycache__ there, or the build would ship it with the resources.
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from moto_ext import stepfunctions  # noqa: E402

stepfunctions.enable_state_machine_execution()
stepfunctions.allow_concurrent_executions()
stepfunctions.end_timed_out_task_attempts()

from moto.dynamodb.models import DynamoDBBackend  # noqa: E402
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service import (  # noqa: E402
    StateTaskService,
)

HELD_BACK_SECONDS = 2
held_back = {"on": False}
service_calls = []

original_scheduling = StateTaskService._before_eval_execution


def late_scheduling(self, env, *args, **kwargs):
    # The attempt's thread has its parameters, then waits for the processor while the state's timeout runs out.
    if held_back["on"]:
        time.sleep(HELD_BACK_SECONDS)
    return original_scheduling(self, env, *args, **kwargs)


StateTaskService._before_eval_execution = late_scheduling
original_get_item = DynamoDBBackend.get_item


def counted_get_item(self, *args, **kwargs):
    service_calls.append(time.time())
    return original_get_item(self, *args, **kwargs)


DynamoDBBackend.get_item = counted_get_item

DEFINITION = {"StartAt": "Read", "States": {"Read": {
    "Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
    "Parameters": {"TableName": "probe", "Key": {"id": {"S": "x"}}},
    "TimeoutSecondsPath": "$.window", "End": True}}}


def run(sfn, machine, name, window):
    execution = sfn.start_execution(stateMachineArn=machine, name=name, input=json.dumps({"window": window}))["executionArn"]
    status = "RUNNING"
    for _ in range(100):
        status = sfn.describe_execution(executionArn=execution)["status"]
        if status != "RUNNING":
            break
        time.sleep(0.1)
    # The held-back attempt wakes after the execution has moved on.
    time.sleep(HELD_BACK_SECONDS + 1)
    events = sfn.get_execution_history(executionArn=execution)["events"]
    return status, events


def fail(message):
    print(message)
    sys.exit(1)


with mock_aws():
    boto3.client("dynamodb", region_name="us-east-1").create_table(
        TableName="probe", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    sfn = boto3.client("stepfunctions", region_name="us-east-1")
    machine = sfn.create_state_machine(name="probe", definition=json.dumps(DEFINITION),
                                       roleArn="arn:aws:iam::123456789012:role/probe")["stateMachineArn"]

    status, events = run(sfn, machine, "on-time", 5)
    scheduled = [e["taskScheduledEventDetails"] for e in events if e["type"] == "TaskScheduled"]
    if status != "SUCCEEDED" or [s.get("timeoutInSeconds") for s in scheduled] != [5] or len(service_calls) != 1:
        fail(f"an attempt within its timeout: {status}, scheduled {scheduled}, {len(service_calls)} calls")

    held_back["on"] = True
    try:
        status, events = run(sfn, machine, "late", 1)
    except Exception as failure:  # GetExecutionHistory answered HTTP 500
        fail(f"history unreadable after a late attempt: {failure}")
    if status == "RUNNING":
        fail("the execution did not end when its state timed out")
    if any(e["type"] == "TaskScheduled" for e in events):
        fail(f"a late attempt recorded its scheduling: {[e['type'] for e in events]}")
    if len(service_calls) != 1:
        fail(f"a late attempt called the service after its state timed out ({len(service_calls) - 1} calls)")
    print(f"history readable: {[e['type'] for e in events]}")
