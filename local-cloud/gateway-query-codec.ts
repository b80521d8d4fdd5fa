import { AwsServiceError } from '#cloud/aws-error';

/**
 * A shape of the AWS query protocol, just detailed enough to translate a form-encoded
 * request into the input the JSON protocol would have given, and an output into XML.
 *
 * `flattenedName` is the shape's `xmlName` when the service marks the member
 * `xmlFlattened` (SQS does for every list and map): `AttributeName.1` rather than
 * `AttributeNames.member.1`. Both spellings are accepted on input, as older SDKs use either.
 *
 * @see https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 */
export type QueryShape =
  | { readonly type: 'string' }
  | { readonly type: 'integer' }
  | { readonly type: 'boolean' }
  | { readonly type: 'list'; readonly member: QueryShape; readonly flattenedName?: string }
  | {
      readonly type: 'map';
      readonly value: QueryShape;
      readonly flattenedName?: string;
      /** Element name of a key. @default 'key' */
      readonly keyName?: string;
      /** Element name of a value. @default 'value' */
      readonly valueName?: string;
    }
  | { readonly type: 'structure'; readonly members: Readonly<Record<string, QueryShape>> };

/** A structure shape: the input or output of one operation. */
export type QueryStructureShape = Extract<QueryShape, { type: 'structure' }>;

/** Form parameters of a query-protocol request (body and URL query string merged). */
export type QueryParameters = ReadonlyMap<string, string>;

/**
 * Reads the parameters under `prefix` as `shape`, e.g. `Entries.member.1.Id` as
 * `{ Entries: [{ Id }] }`. Absent members stay absent.
 *
 * @throws AwsServiceError `InvalidParameterValue` (via `MalformedQueryString` wording) for a
 *   non-numeric integer or a boolean other than true/false.
 */
export function decodeQueryParameters(params: QueryParameters, shape: QueryStructureShape): Record<string, unknown> {
  return decodeStructure(params, '', shape) ?? {};
}

function decodeValue(params: QueryParameters, name: string, prefix: string, shape: QueryShape): unknown {
  switch (shape.type) {
    case 'string':
      return params.get(prefix + name);
    case 'integer':
      return decodeInteger(params.get(prefix + name), prefix + name);
    case 'boolean':
      return decodeBoolean(params.get(prefix + name), prefix + name);
    case 'structure':
      return decodeStructure(params, `${prefix}${name}.`, shape);
    case 'list':
      return decodeList(params, name, prefix, shape);
    case 'map':
      return decodeMap(params, name, prefix, shape);
  }
}

function decodeStructure(
  params: QueryParameters,
  prefix: string,
  shape: QueryStructureShape,
): Record<string, unknown> | undefined {
  const result: Record<string, unknown> = {};
  for (const [member, memberShape] of Object.entries(shape.members)) {
    const value = decodeValue(params, member, prefix, memberShape);
    if (value !== undefined) result[member] = value;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

function decodeList(
  params: QueryParameters,
  name: string,
  prefix: string,
  shape: Extract<QueryShape, { type: 'list' }>,
): unknown[] | undefined {
  for (const listPrefix of collectionPrefixes(prefix, name, shape.flattenedName, 'member')) {
    const indices = indicesUnder(params, listPrefix);
    if (indices.length === 0) continue;
    return indices.map((index) =>
      shape.member.type === 'structure'
        ? (decodeStructure(params, `${listPrefix}${index}.`, shape.member) ?? {})
        : decodeValue(params, String(index), listPrefix, shape.member),
    );
  }
  return undefined;
}

function decodeMap(
  params: QueryParameters,
  name: string,
  prefix: string,
  shape: Extract<QueryShape, { type: 'map' }>,
): Record<string, unknown> | undefined {
  const keyName = shape.keyName ?? 'key';
  const valueName = shape.valueName ?? 'value';
  for (const mapPrefix of collectionPrefixes(prefix, name, shape.flattenedName, 'entry')) {
    const indices = indicesUnder(params, mapPrefix);
    if (indices.length === 0) continue;
    const result: Record<string, unknown> = {};
    for (const index of indices) {
      const key = params.get(`${mapPrefix}${index}.${keyName}`);
      if (key === undefined) continue;
      result[key] = decodeValue(params, valueName, `${mapPrefix}${index}.`, shape.value);
    }
    return result;
  }
  return undefined;
}

/** The prefixes a list or map may be spelled with, most specific first. */
function collectionPrefixes(prefix: string, name: string, flattenedName: string | undefined, wrapper: string): string[] {
  const prefixes = [`${prefix}${name}.${wrapper}.`, `${prefix}${name}.`];
  if (flattenedName !== undefined) prefixes.unshift(`${prefix}${flattenedName}.`);
  return prefixes;
}

/** The 1-based indices present under `prefix` (`prefix` + `3` or `prefix` + `3.Something`), sorted. */
function indicesUnder(params: QueryParameters, prefix: string): number[] {
  const indices = new Set<number>();
  for (const key of params.keys()) {
    if (!key.startsWith(prefix)) continue;
    const match = /^(\d+)(?:\.|$)/.exec(key.slice(prefix.length));
    if (match?.[1] !== undefined) indices.add(Number(match[1]));
  }
  return [...indices].sort((a, b) => a - b);
}

function decodeInteger(raw: string | undefined, parameter: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw new AwsServiceError('InvalidParameterValue', `Value ${raw} for parameter ${parameter} is invalid. Reason: must be an integer.`);
  }
  return Number(raw);
}

function decodeBoolean(raw: string | undefined, parameter: string): boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false') {
    throw new AwsServiceError('InvalidParameterValue', `Value ${raw} for parameter ${parameter} is invalid. Reason: must be true or false.`);
  }
  return raw === 'true';
}

/**
 * Serializes an operation's output as the query protocol's XML document:
 * `<ActionResponse xmlns><ActionResult>…</ActionResult><ResponseMetadata>…</ResponseMetadata></ActionResponse>`.
 * Without an output shape (operations that return nothing) the `Result` element is left out,
 * as AWS does.
 */
export function encodeQueryResponse(
  action: string,
  xmlNamespace: string,
  requestId: string,
  output: unknown,
  shape: QueryStructureShape | undefined,
): string {
  const result = shape === undefined ? '' : encodeElement(`${action}Result`, output ?? {}, shape);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${action}Response xmlns="${escapeXml(xmlNamespace)}">${result}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>` +
    `</${action}Response>`
  );
}

/**
 * Serializes an error as the query protocol does:
 * `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…`.
 */
export function encodeQueryError(error: AwsServiceError, xmlNamespace: string, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<ErrorResponse xmlns="${escapeXml(xmlNamespace)}"><Error>` +
    `<Type>${error.senderFault ? 'Sender' : 'Receiver'}</Type>` +
    `<Code>${escapeXml(error.queryCode)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message><Detail/>` +
    `</Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

function encodeElement(name: string, value: unknown, shape: QueryShape): string {
  if (value === undefined || value === null) return '';
  switch (shape.type) {
    case 'string':
    case 'integer':
    case 'boolean':
      return `<${name}>${escapeXml(String(value))}</${name}>`;
    case 'structure': {
      const record = value as Record<string, unknown>;
      const body = Object.entries(shape.members)
        .map(([member, memberShape]) => encodeElement(member, record[member], memberShape))
        .join('');
      return `<${name}>${body}</${name}>`;
    }
    case 'list': {
      const items = value as readonly unknown[];
      if (shape.flattenedName !== undefined) {
        const itemName = shape.flattenedName;
        return items.map((item) => encodeElement(itemName, item, shape.member)).join('');
      }
      return `<${name}>${items.map((item) => encodeElement('member', item, shape.member)).join('')}</${name}>`;
    }
    case 'map': {
      const keyName = shape.keyName ?? 'key';
      const valueName = shape.valueName ?? 'value';
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([key, entry]) =>
          `<${keyName}>${escapeXml(key)}</${keyName}>${encodeElement(valueName, entry, shape.value)}`,
      );
      if (shape.flattenedName !== undefined) {
        return entries.map((entry) => `<${shape.flattenedName}>${entry}</${shape.flattenedName}>`).join('');
      }
      return `<${name}>${entries.map((entry) => `<entry>${entry}</entry>`).join('')}</${name}>`;
    }
  }
}

/**
 * Escapes text for an XML element or attribute. Carriage returns are escaped too, because
 * an XML parser would otherwise normalize `\r\n` to `\n` and break the message body's MD5.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (character) => XML_ESCAPES[character] ?? character);
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};
