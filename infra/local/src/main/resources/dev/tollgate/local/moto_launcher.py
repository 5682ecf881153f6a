"""Starts moto in server mode for Tollgate's local stack, with the few extensions Tollgate needs.

Started by the Java local stack (dev.tollgate.local.MotoServer), which owns this process:
  python3 moto_launcher.py --lambda-endpoint http://127.0.0.1:PORT
It prints "READY <port>" once moto listens on 127.0.0.1:<port> (a free port), and stops when its
standard input closes, so it never outlives the JVM that started it.

The extensions (each one a documented AWS behaviour that moto 5.2.1 lacks; tested in MotoExtensionsIT)
live in the package moto_ext beside this file, one module per AWS service: stepfunctions, cloudwatch,
ecs, codedeploy, codepipeline, awslambda (Lambda), elbv2 and events (EventBridge). This launcher only
reads its options, installs each module's extensions and starts the server. MotoServer copies the
launcher and the package together (MotoServer.LAUNCHER_FILES).
"""

import argparse
import os
import sys

from moto_ext import awslambda, cloudwatch, codedeploy, codepipeline, ecs, elbv2, events, stepfunctions


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

    # Each service's patches in its own module (moto_ext/<service>.py); no patch of one touches another's.
    stepfunctions.install(options.lambda_endpoint)
    ecs.install(options.ecs_rollout_seconds, options.ecs_task_seconds)
    cloudwatch.install()
    codepipeline.install()
    codedeploy.install(options.lambda_endpoint, options.codedeploy_minute_seconds, options.codedeploy_hook_timeout_seconds)
    awslambda.install()
    elbv2.install()
    events.install(options.lambda_endpoint)

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
