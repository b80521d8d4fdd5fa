/**
 * Resolving the CloudFormation intrinsic functions a synthesized template uses (Ref,
 * Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If and the pseudo parameters) to
 * the local cloud's names, ARNs and URLs.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */

/** What a resource resolves to: its `Ref` and its `Fn::GetAtt` attributes. */
export interface ResolvedResource {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** Everything references can point at. */
export interface ResolutionContext {
  readonly resources: ReadonlyMap<string, ResolvedResource>;
  readonly pseudo: Readonly<Record<string, string>>;
  readonly conditions?: ReadonlyMap<string, boolean>;
}

/** A template value the local cloud cannot resolve. */
export class UnresolvableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnresolvableError';
  }
}

/** Marks a property removed by `Ref: AWS::NoValue`. */
const NO_VALUE = Symbol('AWS::NoValue');

/** Resolves every intrinsic function in `value`, recursively. */
export function resolve(value: unknown, context: ResolutionContext): unknown {
  const resolved = resolveValue(value, context);
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolveValue(value: unknown, context: ResolutionContext): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, context)).filter((item) => item !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [[key, argument]] = entries as [[string, unknown]];
    const fn = FUNCTIONS[key];
    if (fn) return fn(argument, context);
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveValue(item, context)]).filter(([, item]) => item !== NO_VALUE));
}

const FUNCTIONS: Record<string, (argument: unknown, context: ResolutionContext) => unknown> = {
  Ref: (name, context) => ref(String(name), context),
  'Fn::GetAtt': (argument, context) => {
    const [logicalId, attribute] = Array.isArray(argument) ? argument.map(String) : String(argument).split(/\.(.*)/s);
    const resource = context.resources.get(logicalId ?? '');
    const value = resource?.attributes[attribute ?? ''];
    if (value === undefined) throw new UnresolvableError(`Fn::GetAtt ${logicalId}.${attribute} has no local value`);
    return value;
  },
  'Fn::Join': (argument, context) => {
    const [separator, items] = argument as [string, unknown];
    return (resolveValue(items, context) as unknown[]).map(String).join(separator);
  },
  'Fn::Sub': (argument, context) => {
    const [template, variables] = Array.isArray(argument) ? (argument as [string, Record<string, unknown>]) : [String(argument), {}];
    const locals = Object.fromEntries(Object.entries(variables).map(([name, item]) => [name, String(resolveValue(item, context))]));
    return template.replace(/\$\{([^}!][^}]*)\}|\$\{!([^}]*)\}/g, (_match: string, name?: string, literal?: string): string => {
      if (literal !== undefined) return `\${${literal}}`;
      const key = name as string;
      if (key in locals) return locals[key] as string;
      if (key.includes('.') && !key.startsWith('AWS::')) {
        const [logicalId, attribute] = key.split(/\.(.*)/s);
        return String(FUNCTIONS['Fn::GetAtt']?.([logicalId, attribute], context));
      }
      return String(ref(key, context));
    });
  },
  'Fn::Select': (argument, context) => {
    const [index, list] = argument as [unknown, unknown];
    const items = resolveValue(list, context) as unknown[];
    const position = Number(resolveValue(index, context));
    if (!Array.isArray(items) || position < 0 || position >= items.length) throw new UnresolvableError(`Fn::Select index ${position} out of range`);
    return items[position];
  },
  'Fn::Split': (argument, context) => {
    const [separator, text] = argument as [string, unknown];
    return String(resolveValue(text, context)).split(separator);
  },
  'Fn::If': (argument, context) => {
    const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
    const holds = context.conditions?.get(condition);
    if (holds === undefined) throw new UnresolvableError(`condition ${condition} is not known`);
    return resolveValue(holds ? whenTrue : whenFalse, context);
  },
  'Fn::ImportValue': (argument) => {
    throw new UnresolvableError(`Fn::ImportValue ${JSON.stringify(argument)}: the local cloud runs one stack, it has no exports to import`);
  },
};

function ref(name: string, context: ResolutionContext): string | typeof NO_VALUE {
  if (name === 'AWS::NoValue') return NO_VALUE;
  const pseudo = context.pseudo[name];
  if (pseudo !== undefined) return pseudo;
  const resource = context.resources.get(name);
  if (!resource) throw new UnresolvableError(`Ref ${name} names no resource or parameter the local cloud knows`);
  return resource.ref;
}
