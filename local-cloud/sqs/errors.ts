import { AwsServiceError } from '#cloud/aws-error';

/**
 * The SQS errors, with the JSON code (SDK v3 exception name) and the query-protocol code AWS
 * uses for each; messages follow AWS's wording where it is known.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
 */
export const SqsErrors = {
  queueDoesNotExist: () =>
    new AwsServiceError('QueueDoesNotExist', 'The specified queue does not exist.', {
      queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    }),
  queueNameExists: (attribute: string) =>
    new AwsServiceError(
      'QueueNameExists',
      `A queue already exists with the same name and a different value for attribute ${attribute}`,
      { queryCode: 'QueueAlreadyExists' },
    ),
  missingParameter: (parameter: string) =>
    new AwsServiceError('MissingParameter', `The request must contain the parameter ${parameter}.`),
  invalidParameterValue: (message: string) => new AwsServiceError('InvalidParameterValue', message),
  invalidValue: (parameter: string, value: unknown, reason: string) =>
    new AwsServiceError(
      'InvalidParameterValue',
      `Value ${typeof value === 'string' ? value : JSON.stringify(value)} for parameter ${parameter} is invalid. Reason: ${reason}`,
    ),
  invalidAttributeName: (attribute: string) =>
    new AwsServiceError('InvalidAttributeName', `Unknown Attribute ${attribute}.`),
  invalidAttributeValue: (attribute: string, reason?: string) =>
    new AwsServiceError(
      'InvalidAttributeValue',
      `Invalid value for the parameter ${attribute}.${reason === undefined ? '' : ` Reason: ${reason}`}`,
    ),
  /** A queue policy over one of SQS's policy quotas (`OverLimit`, HTTP 403 as AWS answers it). */
  policyOverLimit: (message: string) => new AwsServiceError('OverLimit', message, { statusCode: 403 }),
  invalidMessageContents: () =>
    new AwsServiceError(
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    ),
  receiptHandleIsInvalid: (message: string) =>
    new AwsServiceError('ReceiptHandleIsInvalid', message, { statusCode: 404 }),
  messageNotInflight: () =>
    new AwsServiceError('MessageNotInflight', 'The message referred to is not in flight.', {
      queryCode: 'AWS.SimpleQueueService.MessageNotInflight',
    }),
  purgeQueueInProgress: (queueName: string) =>
    new AwsServiceError(
      'PurgeQueueInProgress',
      `Only one PurgeQueue operation on ${queueName} is allowed every 60 seconds.`,
      { statusCode: 403, queryCode: 'AWS.SimpleQueueService.PurgeQueueInProgress' },
    ),
  emptyBatchRequest: (entryName: string) =>
    new AwsServiceError('EmptyBatchRequest', `There should be at least one ${entryName} in the request.`, {
      queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest',
    }),
  tooManyEntriesInBatchRequest: (count: number, max: number) =>
    new AwsServiceError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${max}. You have sent ${count}.`,
      { queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest' },
    ),
  batchEntryIdsNotDistinct: (id: string) =>
    new AwsServiceError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`, {
      queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
    }),
  invalidBatchEntryId: () =>
    new AwsServiceError(
      'InvalidBatchEntryId',
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      { queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId' },
    ),
  batchRequestTooLong: (size: number, max: number) =>
    new AwsServiceError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${max} bytes. You have sent ${size} bytes.`,
      { queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong' },
    ),
  unsupportedOperation: (operation: string) =>
    new AwsServiceError('UnsupportedOperation', `Operation ${operation} is not supported by the local SQS.`, {
      queryCode: 'AWS.SimpleQueueService.UnsupportedOperation',
    }),
  resourceNotFound: (message: string) =>
    new AwsServiceError('ResourceNotFoundException', message, { statusCode: 404 }),
} as const;
