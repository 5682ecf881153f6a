"""Step Functions: moto 5.2.1's engine runs the real ASL, with what AWS does and moto lacks.

* Step Functions executes state machines, and its Lambda Invoke calls go to the local Lambda
  endpoint, where the Java handlers run (like Step Functions Local's LAMBDA_ENDPOINT).
* Step Functions starts an execution while another of the same state machine runs (AWS runs
  up to a million at once); moto 5.2.1 deep-copies the state machine with its running
  executions and their locks, and answers HTTP 500 "cannot pickle '_thread.RLock' object".
* Step Functions starts a child execution from a Task (states:startExecution, .sync, .sync:2) with
  the parameters as the ASL names them and answers with the API's capitalised fields, as AWS does
  (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html); moto 5.2.1 fails
  the task with States.Runtime. See extend_stepfunctions_start_execution.
* Step Functions SendTaskFailure passes its cause to the waiting task, as AWS does
  (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskFailure.html);
  moto 5.2.1 drops it, so a Catch sees "Cause": null.
* Step Functions' Wait with Timestamp or TimestampPath waits until that instant in UTC, to the second
  (https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html: the time is read up to seconds and
  the milliseconds truncated); moto 5.2.1 compares the UTC timestamp with the machine's local time and
  truncates the seconds left to a whole number, so it ends up to a second early (hours off outside UTC).
  Tollgate's analysis ticks wait until a metric period is published, and an early end reads one period
  short. See wait_until_timestamps_in_utc.
* Step Functions puts every execution status change on the default event bus, as AWS does
  (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html): RUNNING, then one of SUCCEEDED,
  FAILED, TIMED_OUT, ABORTED, child executions included; moto 5.2.1 emits none. StopExecution ends the
  execution at once, as on AWS. See emit_stepfunctions_status_events.
"""

import copy
import importlib
import json
import pkgutil
import sys
import threading


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


def install(lambda_endpoint):
    """Applies every Step Functions extension; the Task routes its Lambda calls to lambda_endpoint."""
    enable_state_machine_execution()
    route_lambda_invoke(lambda_endpoint)
    allow_concurrent_executions()
    extend_stepfunctions_start_execution()
    pass_task_failure_cause()
    answer_each_task_token_once()
    wait_until_timestamps_in_utc()
    end_timed_out_task_attempts()
    emit_stepfunctions_status_events()
