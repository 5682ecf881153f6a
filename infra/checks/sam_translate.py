#!/usr/bin/env python3
"""Turns template.yaml into the CloudFormation template AWS would deploy, with the SAM translator.

The translator is AWS's own (samtranslator, the library `sam validate` and CloudFormation's
AWS::Serverless transform run; it ships with cfn-lint). As `sam package` does before `sam deploy`,
every function's CodeUri and the state machine's DefinitionUri become S3 locations: what
CloudFormation receives. (Inlined, the definition would become a Fn::Join of its 1,300 lines, on
which cfn-lint 1.51 fails with "maximum recursion depth exceeded"; the ASL is checked on its own by
asl-validator.)

    python3 infra/checks/sam_translate.py template.yaml > translated.json
    python3 infra/checks/sam_translate.py --parse-only infra/pipeline/pipeline.yaml > pipeline.json

--parse-only reads a plain CloudFormation template (no transform) into JSON, short-form tags (!Sub, !Ref)
written as the intrinsic functions they stand for.
"""

import json
import os
import sys

from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator
from samtranslator.yaml_helper import yaml_parse

# Where `sam package` would have put the code and the definition; the translator requires S3 locations.
ARTIFACTS_BUCKET = "tollgate-artifacts-123456789012"


def parse(template_path):
    with open(template_path, encoding="utf-8") as source:
        return yaml_parse(source.read())


def translate(template_path, region):
    template = parse(template_path)
    for resource in template.get("Resources", {}).values():
        properties = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::Function":
            properties["CodeUri"] = {"Bucket": ARTIFACTS_BUCKET, "Key": "tollgate/function.zip"}
        if resource.get("Type") == "AWS::Serverless::StateMachine" and "DefinitionUri" in properties:
            properties["DefinitionUri"] = {"Bucket": ARTIFACTS_BUCKET, "Key": "tollgate/" + os.path.basename(properties["DefinitionUri"])}
    # The translator asks boto3 for the partition of the region it translates in.
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    return Translator(managed_policy_map={}, sam_parser=Parser()).translate(
        sam_template=template, parameter_values={}, passthrough_metadata=True)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--parse-only"] and len(arguments) == 2:
        result = parse(arguments[1])
    elif len(arguments) in (1, 2) and not arguments[0].startswith("-"):
        result = translate(arguments[0], arguments[1] if len(arguments) == 2 else "us-east-1")
    else:
        sys.exit("usage: sam_translate.py TEMPLATE [REGION] | sam_translate.py --parse-only TEMPLATE")
    json.dump(result, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
