/**
 * Reads a function's partial batch response (`{ batchItemFailures: [{ itemIdentifier }] }`)
 * as Lambda does for SQS when `ReportBatchItemFailures` is on.
 *
 * Lambda treats the batch as fully successful for a null/empty response or a null/empty
 * `batchItemFailures`, and as a complete failure when an `itemIdentifier` is null, empty or
 * not the message ID of a record in the batch.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
 */

/** What the response means for the batch. */
export type PartialBatchVerdict =
  /** The response is valid; `failedMessageIds` (possibly empty) stay on the queue. */
  | { readonly valid: true; readonly failedMessageIds: ReadonlySet<string> }
  /** The response is malformed: the whole batch counts as failed. */
  | { readonly valid: false; readonly reason: string };

/**
 * @param response - The function's result.
 * @param messageIds - IDs of the messages in the batch.
 */
export function readPartialBatchResponse(response: unknown, messageIds: ReadonlySet<string>): PartialBatchVerdict {
  // Anything that is not an object carries no failures: Lambda reads it as an empty response.
  if (typeof response !== 'object' || response === null || Array.isArray(response)) {
    return { valid: true, failedMessageIds: new Set() };
  }
  const failures: unknown = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { valid: true, failedMessageIds: new Set() };
  if (!Array.isArray(failures)) return { valid: false, reason: 'batchItemFailures is not an array' };
  const failedMessageIds = new Set<string>();
  for (const failure of failures) {
    const itemIdentifier: unknown = typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof itemIdentifier !== 'string' || itemIdentifier === '') {
      return { valid: false, reason: `itemIdentifier is missing or empty in ${JSON.stringify(failure)}` };
    }
    if (!messageIds.has(itemIdentifier)) {
      return { valid: false, reason: `itemIdentifier ${itemIdentifier} is not the messageId of a record in the batch` };
    }
    failedMessageIds.add(itemIdentifier);
  }
  return { valid: true, failedMessageIds };
}
