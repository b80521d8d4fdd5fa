/**
 * Authorizing DynamoDB requests in the DynamoDB process itself, which functions call directly:
 * a request signed with a function's role session key is decided against the permission
 * model; any other key is the account's administrator's, as everywhere in the local cloud.
 */
import { AccessControl } from '#cloud/iam/access-control';
import { dynamoDbAccessDenied, type AccessRefusal } from '#cloud/iam/access-denied';
import type { PermissionModel } from '#cloud/iam/permission-model';
import { dynamoDbAuthorizationRequests } from '#cloud/iam/service-actions';

/** A refusal as DynamoDB answers it. */
export interface DynamoDbRefusalResponse {
  readonly statusCode: number;
  readonly body: Readonly<Record<string, string>>;
}

/** What the local DynamoDB asks before running a request. */
export interface DynamoDbRequestAuthorizer {
  /** Whether requests signed with this key are decided (a role session's); others run unchecked. */
  governs(accessKeyId: string | undefined): boolean;
  /** The refusal to answer with, or undefined to run the request. */
  authorize(accessKeyId: string, operation: string, input: Readonly<Record<string, unknown>>): DynamoDbRefusalResponse | undefined;
}

/** An authorizer over `model`, reporting refusals to `onRefusal`. */
export function dynamoDbAuthorizer(model: PermissionModel, onRefusal: (refusal: AccessRefusal) => void): { readonly authorizer: DynamoDbRequestAuthorizer; readonly access: AccessControl } {
  const access = new AccessControl(model, { onRefusal });
  const authorizer: DynamoDbRequestAuthorizer = {
    governs: (accessKeyId) => access.sessionOfKey(accessKeyId) !== undefined,
    authorize: (accessKeyId, operation, input) => {
      const session = access.sessionOfKey(accessKeyId);
      if (session === undefined) return undefined;
      // An operation IAM has no action for is left to DynamoDB, which answers it as unknown.
      for (const request of dynamoDbAuthorizationRequests(operation, input, model.scope) ?? []) {
        const authorization = access.authorize(session, request);
        if (!authorization.allowed) return dynamoDbAccessDenied(authorization.refusal);
      }
      return undefined;
    },
  };
  return { authorizer, access };
}
