"""The moto extensions of Tollgate's local stack: one module per AWS service moto 5.2.1 falls short of.

Each module patches moto in place for one service and says, with a link to AWS's documentation, which behaviour it
adds and what moto 5.2.1 did instead. Each exposes install(...), which moto_launcher.py calls before the server
starts; the modules import moto only inside their functions, so importing this package starts nothing.

  stepfunctions  Step Functions: executes the real ASL, Lambda calls on the local endpoint, concurrent and child
                 executions, task tokens, Wait until a timestamp, timed-out attempts, status-change events
  cloudwatch     CloudWatch GetMetricData: percentiles, dimensions as a set, an index by namespace, name, dimensions
  ecs            ECS: UpdateService rollouts (and the circuit breaker), one-off tasks (RunTask, DescribeTasks, StopTask)
  codedeploy     CodeDeploy: a deployment's lifecycle (hooks, traffic shifting, stop, rollback), deployment configs
  codepipeline   CodePipeline's job worker API, and a test route that creates and reads jobs
  awslambda      Lambda Invoke of a Python zip function in moto's process (no Docker)
  elbv2          ELBv2: a load balancer tagged tollgate-local:dns-name reports that DNS name
  events         EventBridge: delivery to a rule's Lambda function targets

Tested in MotoExtensionsIT and MotoEventDeliveryIT (and the ITs that run the local stack).
"""
