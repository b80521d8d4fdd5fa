/**
 * What a rule target receives: the whole event, a constant (`Input`), a part of the event
 * (`InputPath`), or a template filled from the event (`InputTransformer`).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
import { EventBridgeErrors } from '#cloud/events/errors';
import type { EventEnvelope } from '#cloud/events/put-events-entry';

/** How a target's input is shaped (the target fields of PutTargets). */
export interface TargetInput {
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: { readonly InputPathsMap?: Readonly<Record<string, string>>; readonly InputTemplate: string };
}

/** Facts about the matching rule and the event that templates may name. */
export interface DeliveryFacts {
  readonly ruleArn: string;
  readonly ruleName: string;
  readonly ingestionTime: string;
}

/** At most 100 variables per InputPathsMap. */
const MAX_INPUT_PATHS = 100;

/** Checks a target's input settings the way PutTargets does. */
export function validateTargetInput(target: TargetInput, targetId: string): void {
  const set = [target.Input, target.InputPath, target.InputTransformer].filter((value) => value !== undefined).length;
  if (set > 1) throw EventBridgeErrors.validation(`Target ${targetId}: only one of Input, InputPath and InputTransformer may be set.`);
  if (target.InputPath !== undefined) parsePath(target.InputPath);
  if (target.Input !== undefined) {
    try {
      JSON.parse(target.Input);
    } catch {
      throw EventBridgeErrors.validation(`Target ${targetId}: Input is not valid JSON.`);
    }
  }
  const paths = target.InputTransformer?.InputPathsMap ?? {};
  if (Object.keys(paths).length > MAX_INPUT_PATHS) throw EventBridgeErrors.validation(`Target ${targetId}: InputPathsMap has more than ${MAX_INPUT_PATHS} entries.`);
  for (const [name, path] of Object.entries(paths)) {
    if (name.startsWith('aws.')) throw EventBridgeErrors.validation(`Target ${targetId}: InputPathsMap key "${name}" uses the reserved prefix "aws.".`);
    parsePath(path);
  }
}

/** The message body a target receives for `event`; `eventJson` serializes the whole event (shared across targets). */
export function targetInputOf(target: TargetInput, event: EventEnvelope, facts: DeliveryFacts, eventJson: () => string = () => JSON.stringify(event)): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(select(event, target.InputPath) ?? null);
  if (target.InputTransformer === undefined) return eventJson();
  const values = new Map<string, unknown>(Object.entries(target.InputTransformer.InputPathsMap ?? {}).map(([name, path]) => [name, select(event, path)]));
  values.set('aws.events.rule-arn', facts.ruleArn);
  values.set('aws.events.rule-name', facts.ruleName);
  values.set('aws.events.event.ingestion-time', facts.ingestionTime);
  values.set('aws.events.event', event);
  values.set('aws.events.event.json', event);
  return fillTemplate(target.InputTransformer.InputTemplate, values);
}

/**
 * Fills `<name>` placeholders. Inside a JSON string a value is inserted as text (a string
 * without its quotes, escaped for JSON); elsewhere as its JSON. A missing value is `null`
 * outside strings and empty inside them.
 */
function fillTemplate(template: string, values: ReadonlyMap<string, unknown>): string {
  let output = '';
  let inString = false;
  for (let index = 0; index < template.length; index += 1) {
    const char = template[index] as string;
    if (char === '\\' && inString) {
      output += char + (template[index + 1] ?? '');
      index += 1;
      continue;
    }
    if (char === '"') inString = !inString;
    if (char === '<') {
      const end = template.indexOf('>', index);
      const name = end > index ? template.slice(index + 1, end) : '';
      if (/^[A-Za-z0-9_.-]+$/.test(name) && values.has(name)) {
        const value = values.get(name);
        if (inString) output += typeof value === 'string' ? JSON.stringify(value).slice(1, -1) : value === undefined ? '' : JSON.stringify(JSON.stringify(value)).slice(1, -1);
        else output += value === undefined ? 'null' : JSON.stringify(value);
        index = end;
        continue;
      }
    }
    output += char;
  }
  return output;
}

type PathStep = string | number;

/** Parses the JSONPath subset targets use: `$`, `.name`, `['name']`, `[index]`. */
function parsePath(path: string): PathStep[] {
  if (!path.startsWith('$')) throw EventBridgeErrors.validation(`Invalid JSONPath "${path}": it must start with "$".`);
  const steps: PathStep[] = [];
  const pattern = /\.([A-Za-z0-9_$@-]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/gy;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const match = pattern.exec(path);
    if (!match) throw EventBridgeErrors.validation(`Invalid JSONPath "${path}".`);
    steps.push(match[1] ?? match[2] ?? Number(match[3]));
  }
  return steps;
}

function select(event: EventEnvelope, path: string): unknown {
  let value: unknown = event;
  for (const step of parsePath(path)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}
