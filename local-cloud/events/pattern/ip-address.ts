/**
 * IP addresses and CIDR blocks as event-ruler reads them: IPv4 dotted quads and IPv6 hex
 * groups (with `::`), an IPv4-mapped IPv6 address standing for its IPv4 address.
 *
 * @see https://github.com/aws/event-ruler#ip-address-matching
 * @see https://github.com/aws/event-ruler/blob/main/src/main/software/amazon/event/ruler/CIDR.java
 */
import { InvalidEventPatternError } from './invalid-event-pattern-error.ts';
import type { ValuePredicate } from './types.ts';

const IPV4_SHAPE = /^\d+\.\d+\.\d+\.\d+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const MAX_INT32 = 2 ** 31 - 1;

/** A block of addresses: those whose first `maskBits` bits equal the network's. */
interface AddressBlock {
  readonly network: Uint8Array;
  readonly maskBits: number;
}

/**
 * Parses an IPv4 or IPv6 literal into its 4 or 16 bytes.
 * @returns undefined when the text is not an IP literal.
 */
export function parseIpAddress(text: string): Uint8Array | undefined {
  if (IPV4_SHAPE.test(text)) {
    return parseIpv4(text);
  }
  if (IPV6_SHAPE.test(text)) {
    const bytes = parseIpv6(text);
    return bytes && unmapIpv4(bytes);
  }
  return undefined;
}

/**
 * Compiles a `{"cidr": "10.0.0.0/24"}` operand into a test on string values.
 * @throws InvalidEventPatternError when the block is malformed, worded as event-ruler words it.
 */
export function compileCidr(cidr: string, where: string): ValuePredicate {
  return blockPredicate(parseCidr(cidr, where));
}

/**
 * A pattern string that is an IP literal matches the same address however it is written
 * (`::1` and `0:0:0:0:0:0:0:1`), because event-ruler turns it into a one-address range.
 * @returns undefined when the string is not an IP literal, so it is matched as plain text.
 */
export function compileIpLiteral(text: string): ValuePredicate | undefined {
  const address = parseIpAddress(text);
  return address && blockPredicate({ network: address, maskBits: address.length * 8 });
}

function parseCidr(cidr: string, where: string): AddressBlock {
  const parts = splitLikeJava(cidr, '/');
  const fail = (reason: string): never => {
    throw new InvalidEventPatternError(reason, { path: where });
  };
  if (parts.length !== 2) {
    fail("Malformed CIDR, one '/' required");
  }
  const [addressText = '', maskText = ''] = parts;
  const maskBits = /^[+-]?\d+$/.test(maskText) ? Number(maskText) : Number.NaN;
  if (!Number.isInteger(maskBits) || Math.abs(maskBits) > MAX_INT32) {
    fail('Malformed CIDR, mask bits must be an integer');
  }
  if (maskBits < 0) {
    fail('Malformed CIDR, mask bits must not be negative');
  }
  const network = parseIpAddress(addressText) ?? fail(`${looksLikeIpAddress(addressText) ? 'Invalid' : 'Nonstandard'} IP address: ${addressText}`);
  // event-ruler only accepts masks strictly shorter than the address: /32 and /128 are rejected.
  const maxBits = network.length * 8 - 1;
  if (maskBits > maxBits) {
    fail(`${network.length === 4 ? 'IPv4' : 'IPv6'} mask bits must be < ${maxBits + 1}`);
  }
  return { network, maskBits };
}

function blockPredicate(block: AddressBlock): ValuePredicate {
  return (value) => {
    if (typeof value !== 'string') {
      return false;
    }
    const address = parseIpAddress(value);
    return address !== undefined && isInBlock(address, block);
  };
}

function isInBlock(address: Uint8Array, { network, maskBits }: AddressBlock): boolean {
  if (address.length !== network.length) {
    return false;
  }
  const wholeBytes = maskBits >> 3;
  for (let i = 0; i < wholeBytes; i++) {
    if (address[i] !== network[i]) {
      return false;
    }
  }
  const restBits = maskBits & 7;
  if (restBits === 0) {
    return true;
  }
  const mask = (0xff << (8 - restBits)) & 0xff;
  return ((address[wholeBytes] ?? 0) & mask) === ((network[wholeBytes] ?? 0) & mask);
}

/** event-ruler only hands text of these shapes to Java's parser; anything else is "nonstandard". */
function looksLikeIpAddress(text: string): boolean {
  return IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);
}

/** Java's `InetAddress` reads each part as decimal, leading zeros included (`010` is 10). */
function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.').map(Number);
  return parts.every((part) => part <= 255) ? Uint8Array.from(parts) : undefined;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const head = parseHexGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseHexGroups(halves[1] ?? '') : [];
  if (!head || !tail) {
    return undefined;
  }
  const compressed = halves.length === 2;
  const groupCount = head.length + tail.length;
  // `::` must stand for at least one zero group, as in Java's parser.
  if (compressed ? groupCount > 7 : groupCount !== 8) {
    return undefined;
  }
  const groups = [...head, ...new Array<number>(8 - groupCount).fill(0), ...tail];
  return Uint8Array.from(groups.flatMap((group) => [group >> 8, group & 0xff]));
}

function parseHexGroups(text: string): number[] | undefined {
  if (text === '') {
    return [];
  }
  const groups = text.split(':');
  return groups.every((group) => HEX_GROUP.test(group)) ? groups.map((group) => Number.parseInt(group, 16)) : undefined;
}

/** `::ffff:a.b.c.d` is an IPv4 address to Java, so it falls in IPv4 blocks. */
function unmapIpv4(bytes: Uint8Array): Uint8Array {
  const isMapped = bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return isMapped ? bytes.slice(12) : bytes;
}

/** Java's `String.split` drops trailing empty strings (`"10.0.0.0/"` has one part). */
function splitLikeJava(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') {
    parts.pop();
  }
  return parts;
}
