"""The demo team's smoke-test function: Tollgate invokes it with the deployment's facts and the canary's test
endpoint (docs/spec.md#smoketest) and it answers PASS or FAIL with a reason. It sends GET /health to the canary:
through the test listener's URL (ECS_ALB), or by invoking the new version with the request an ALB would send
(LAMBDA_ALIAS)."""
import json
import os
import urllib.error
import urllib.request


def handler(event, context):
    endpoint = event["endpoint"]
    if "url" in endpoint:
        try:
            with urllib.request.urlopen(endpoint["url"] + "/health", timeout=3) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
    else:
        import boto3

        region = endpoint["functionArn"].split(":")[3]
        lambda_client = boto3.client("lambda", region_name=region, endpoint_url="http://127.0.0.1:" + os.environ["MOTO_PORT"],
                                     aws_access_key_id="local", aws_secret_access_key="local")
        answer = lambda_client.invoke(FunctionName=endpoint["functionArn"],
                                      Payload=json.dumps({"httpMethod": "GET", "path": "/health"}))
        status = json.loads(answer["Payload"].read()).get("statusCode")
    verdict = "PASS" if status == 200 else "FAIL"
    return {"result": verdict, "reason": f"GET /health on release {event['release']} answered {status}"}
