import { describe, expect, it } from 'vitest';
import { readPartialBatchResponse } from '#cloud/lambda/partial-batch-response';

const batch = new Set(['m-1', 'm-2']);

describe('readPartialBatchResponse', () => {
  it.each([
    ['no response', undefined],
    ['a null response', null],
    ['an empty response', {}],
    ['a null batchItemFailures', { batchItemFailures: null }],
    ['an empty batchItemFailures', { batchItemFailures: [] }],
    ['a response that is not an object', 'done'],
  ])('reads %s as a complete success', (_case, response) => {
    expect(readPartialBatchResponse(response, batch)).toEqual({ valid: true, failedMessageIds: new Set() });
  });

  it('returns the listed message IDs, once each', () => {
    const response = { batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-2' }] };

    expect(readPartialBatchResponse(response, batch)).toEqual({ valid: true, failedMessageIds: new Set(['m-2']) });
  });

  it.each([
    ['batchItemFailures is not an array', { batchItemFailures: { itemIdentifier: 'm-1' } }, /not an array/],
    ['an itemIdentifier is missing', { batchItemFailures: [{ id: 'm-1' }] }, /missing or empty/],
    ['an itemIdentifier is null', { batchItemFailures: [{ itemIdentifier: null }] }, /missing or empty/],
    ['an itemIdentifier is empty', { batchItemFailures: [{ itemIdentifier: '' }] }, /missing or empty/],
    ['an entry is not an object', { batchItemFailures: ['m-1'] }, /missing or empty/],
    ['an itemIdentifier is not in the batch', { batchItemFailures: [{ itemIdentifier: 'm-9' }] }, /m-9 is not the messageId/],
  ])('reads the response as malformed when %s', (_case, response, reason) => {
    const verdict = readPartialBatchResponse(response, batch);

    expect(verdict).toEqual({ valid: false, reason: expect.stringMatching(reason) });
  });
});
