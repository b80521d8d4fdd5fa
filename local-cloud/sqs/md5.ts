import { createHash } from 'node:crypto';
import type { MessageAttributeMap } from '#cloud/sqs/types';

/** Transport type byte SQS puts before an attribute value in the digest. */
const TransportType = { string: 1, binary: 2 } as const;

/** MD5 hex digest of the UTF-8 message body: `MD5OfMessageBody` / `MD5OfBody`. */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/**
 * `MD5OfMessageAttributes` (and `MD5OfMessageSystemAttributes`) as SQS computes it: over the
 * attributes sorted by name, each encoded as length-prefixed (4-byte big-endian) UTF-8 name,
 * length-prefixed data type, one transport byte (1 for String/Number, 2 for Binary) and the
 * length-prefixed value. Undefined when there are no attributes, as SQS then omits the field.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
 */
export function md5OfMessageAttributes(attributes: MessageAttributeMap | undefined): string | undefined {
  const names = Object.keys(attributes ?? {}).sort(compareUtf8);
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const attribute = attributes?.[name];
    if (attribute === undefined) continue;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(attribute.DataType, 'utf8')));
    if (attribute.BinaryValue !== undefined) {
      hash.update(Buffer.of(TransportType.binary));
      hash.update(lengthPrefixed(Buffer.from(attribute.BinaryValue, 'base64')));
    } else {
      hash.update(Buffer.of(TransportType.string));
      hash.update(lengthPrefixed(Buffer.from(attribute.StringValue ?? '', 'utf8')));
    }
  }
  return hash.digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** SQS sorts names by their bytes, which for UTF-8 is code point order, not UTF-16 order. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
