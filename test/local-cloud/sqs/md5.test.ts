import { describe, expect, it } from 'vitest';
import { md5OfBody, md5OfMessageAttributes } from '#cloud/sqs/md5';

// Digests pinned by moto's SQS test suite (tests/test_sqs/test_sqs.py) as the values AWS returns.
describe('SQS message digests', () => {
  it('digests the body as MD5 of its UTF-8 bytes', () => {
    // Prepare
    const body = 'derp';

    // Act
    const digest = md5OfBody(body);

    // Assess
    expect(digest).toBe('58fd9edd83341c29f1aebba81c31e257');
  });

  it.each([
    ['1493147359900', '235c5c510d26fb653d073faed50ae77c'],
    ['1493147359901', '994258b45346a2cc3f9cbb611aa7af30'],
  ])('digests a Number attribute %s as AWS does', (value, expected) => {
    // Prepare
    const attributes = { timestamp: { DataType: 'Number', StringValue: value } };

    // Act
    const digest = md5OfMessageAttributes(attributes);

    // Assess
    expect(digest).toBe(expected);
  });

  it('digests String, Number, Binary and non-ASCII attributes in byte order of their names', () => {
    // Prepare: given out of order, with a binary value and a non-ASCII name and value
    const attributes = {
      ccc: { DataType: 'String', StringValue: 'testjunk' },
      zzz: { DataType: 'Number', StringValue: '0230.01' },
      öther_encodings: { DataType: 'String', StringValue: 'Tüst' },
      aaa: { DataType: 'Binary', BinaryValue: Buffer.from([2, 3, 4]).toString('base64') },
    };

    // Act
    const digest = md5OfMessageAttributes(attributes);

    // Assess
    expect(digest).toBe('8ae21a7957029ef04146b42aeaa18a22');
  });

  it('has no digest for a message without attributes', () => {
    // Act
    const digest = md5OfMessageAttributes({});

    // Assess
    expect(digest).toBeUndefined();
  });
});
