"""Lambda: Invoke runs a Python zip function in moto's process, without Docker.

* Lambda Invoke (RequestResponse) of a Python zip function runs its handler in this process, as the
  Invoke API documents the answer (payload, or X-Amz-Function-Error with errorType/errorMessage, a
  run past the function's Timeout included); moto 5.2.1 needs Docker to run any function. Smoke
  tests invoke the demo's functions this way. See run_python_functions_in_process.
"""

import json
import threading


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


def install():
    """Applies the in-process Invoke of Python zip functions."""
    run_python_functions_in_process()
