/**
 * The local physical identity of each template resource: what its `Ref` and attributes
 * resolve to. Names the template leaves to CloudFormation are derived from the stack name and
 * logical id (deterministic, unlike CloudFormation's random suffix, so restarts keep them).
 */
import { createHash } from 'node:crypto';
import type { ResolvedResource } from '#cloud/template/intrinsics';

/** Where the local cloud serves things, for URLs and ARNs. */
export interface LocalEndpoints {
  readonly region: string;
  readonly accountId: string;
  /** Base URL of the AWS APIs, e.g. `http://127.0.0.1:4566`. */
  readonly awsEndpoint: string;
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:3000`. */
  readonly httpApiUrl: string;
}

/** A template resource. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
}

/** The name of the event bus every account has. */
const DEFAULT_EVENT_BUS = 'default';

/**
 * A rule's ARN: `rule/<name>` on the default bus, `rule/<bus>/<name>` on another.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html#amazoneventbridge-resources-for-iam-policies
 */
export function ruleArn(where: Pick<LocalEndpoints, 'region' | 'accountId'>, name: string, bus: string): string {
  return `arn:aws:events:${where.region}:${where.accountId}:rule/${bus === DEFAULT_EVENT_BUS ? name : `${bus}/${name}`}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const LOWER_ALPHANUMERIC = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `length` characters of `alphabet` derived from `seed`: an id that looks generated and is the same on every start. */
function digestOf(seed: string, alphabet: string, length: number): string {
  const bytes = createHash('sha256').update(seed).digest();
  return Array.from(bytes.subarray(0, length), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** The name CloudFormation would generate, made deterministic and within `maxLength`. */
export function generatedName(stackName: string, logicalId: string, maxLength = 64): string {
  return `${stackName}-${logicalId}`.slice(0, maxLength);
}

/** The `Ref` and attributes of `resource`. Properties given as plain strings are used as names. */
export function physicalResource(logicalId: string, resource: TemplateResource, stackName: string, where: LocalEndpoints): ResolvedResource {
  const props = resource.Properties ?? {};
  const named = (property: string, maxLength?: number) => (typeof props[property] === 'string' ? (props[property] as string) : generatedName(stackName, logicalId, maxLength));
  const arn = (service: string, resourcePart: string) => `arn:aws:${service}:${where.region}:${where.accountId}:${resourcePart}`;
  switch (resource.Type) {
    case 'AWS::SQS::Queue': {
      const name = named('QueueName', 80);
      const fifoName = props.FifoQueue === true && !name.endsWith('.fifo') ? `${name.slice(0, 75)}.fifo` : name;
      const url = `${where.awsEndpoint}/${where.accountId}/${fifoName}`;
      return { ref: url, attributes: { Arn: arn('sqs', fifoName), QueueName: fifoName, QueueUrl: url } };
    }
    case 'AWS::Events::EventBus': {
      const name = named('Name');
      return { ref: name, attributes: { Arn: arn('events', `event-bus/${name}`), Name: name } };
    }
    case 'AWS::Events::Rule': {
      // On the default bus; a rule on another bus gets its ARN from `ruleArn` once the bus is known.
      const name = named('Name');
      return { ref: name, attributes: { Arn: ruleArn(where, name, DEFAULT_EVENT_BUS) } };
    }
    case 'AWS::Events::Archive': {
      const name = named('ArchiveName', 48);
      return { ref: name, attributes: { Arn: arn('events', `archive/${name}`) } };
    }
    case 'AWS::DynamoDB::Table': {
      const name = named('TableName', 255);
      return { ref: name, attributes: { Arn: arn('dynamodb', `table/${name}`), StreamArn: arn('dynamodb', `table/${name}/stream/local`) } };
    }
    case 'AWS::Lambda::Function': {
      const name = named('FunctionName');
      return { ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } };
    }
    case 'AWS::ApiGatewayV2::Api':
      return { ref: logicalId.toLowerCase().slice(0, 10), attributes: { ApiEndpoint: where.httpApiUrl, ApiId: logicalId.toLowerCase().slice(0, 10) } };
    case 'AWS::IAM::Role': {
      const name = named('RoleName');
      return { ref: name, attributes: { Arn: arn('iam', `role/${name}`).replace(`:${where.region}:`, '::'), RoleId: name } };
    }
    case 'AWS::IAM::ManagedPolicy': {
      // A customer managed policy's Ref is its ARN.
      const name = named('ManagedPolicyName', 128);
      const policyArn = `arn:aws:iam::${where.accountId}:policy/${name}`;
      return { ref: policyArn, attributes: { PolicyArn: policyArn } };
    }
    case 'AWS::Cognito::UserPool': {
      // `<region>_<9 alphanumerics>`, as Cognito names pools; derived from the stack and logical id, so restarts keep it.
      const id = `${where.region}_${digestOf(`${stackName}/${logicalId}`, BASE62, 9)}`;
      const provider = `cognito-idp.${where.region}.amazonaws.com/${id}`;
      return { ref: id, attributes: { Arn: arn('cognito-idp', `userpool/${id}`), ProviderName: provider, ProviderURL: `https://${provider}`, UserPoolId: id } };
    }
    case 'AWS::Cognito::UserPoolClient': {
      // 26 lower-case alphanumerics, as Cognito's app client ids.
      const clientId = digestOf(`${stackName}/${logicalId}`, LOWER_ALPHANUMERIC, 26);
      return { ref: clientId, attributes: { ClientId: clientId, Name: typeof props.ClientName === 'string' ? props.ClientName : logicalId } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = named('LogGroupName', 512);
      return { ref: name, attributes: { Arn: arn('logs', `log-group:${name}:*`) } };
    }
    default: {
      // Resources the local cloud does not run still need a value when others reference them.
      const name = generatedName(stackName, logicalId, 255);
      return { ref: name, attributes: { Arn: arn(resource.Type.split('::')[1]?.toLowerCase() ?? 'local', name) } };
    }
  }
}
