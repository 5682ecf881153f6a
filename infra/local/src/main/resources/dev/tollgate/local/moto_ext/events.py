"""EventBridge: rules deliver to their Lambda function targets.

* EventBridge delivers to a rule's Lambda function targets (asynchronous Invoke on the local Lambda
  endpoint, honouring Input, InputPath and InputTransformer); moto 5.2.1 answers PutEvents with HTTP 500
  once a matching rule has one. See deliver_events_to_lambda_targets.
"""

import json
import re
import sys
import threading


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


def install(lambda_endpoint):
    """Applies EventBridge's delivery to Lambda function targets, invoked on lambda_endpoint."""
    deliver_events_to_lambda_targets(lambda_endpoint)
