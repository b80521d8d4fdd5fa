/** The text report of a soak, as `npm run soak` prints it. */
import type { DeadLetter } from '#local/soak/invariants';
import type { SoakReport } from '#local/soak/soak-run';

/** Violations listed per invariant; the rest are counted. */
const MAX_VIOLATIONS_SHOWN = 10;

/** Formats `report` for a console. */
export function formatSoakReport(report: SoakReport): string {
  const lines: string[] = [];
  const section = (title: string) => lines.push('', title);
  lines.push(`Soak of ${report.planned} orders, faults ${report.faults}, seed ${report.seed} (repeat with --seed ${report.seed})`);
  lines.push(`Duration ${seconds(report.durationMs)}: placing ${seconds(report.phaseMs.place)}, settling ${seconds(report.phaseMs.settle)}, redrive ${seconds(report.phaseMs.redrive)}`);

  section('Orders');
  lines.push(`  accepted ${report.accepted.length}, refused ${report.refused.length}, POSTs retried ${report.retriedPosts}, settled before the redrive ${report.settledBeforeRedrive}`);
  for (const [status, count] of [...report.statusCounts].sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${pad(status, 34)} ${count}`);
  for (const reason of new Set(report.refused)) lines.push(`  refused: ${reason}`);

  section('Faults injected');
  lines.push(`  ${Object.entries(report.injected).map(([kind, count]) => `${kind} ${count}`).join(', ')}`);

  section('Retries and redeliveries (records per function)');
  lines.push(`  ${pad('function', 26)} ${pad('received', 9)} ${pad('failed', 7)} ${pad('redelivered', 12)} invocation errors`);
  for (const [functionName, counts] of [...report.records].sort(([a], [b]) => a.localeCompare(b))) {
    const errors = Object.entries(counts.invocationErrors).map(([type, count]) => `${type} x${count}`).join(', ') || '-';
    lines.push(`  ${pad(shortName(functionName), 26)} ${pad(String(counts.received), 9)} ${pad(String(counts.failed), 7)} ${pad(String(counts.redelivered), 12)} ${errors}`);
  }
  const { delivered, retried, deadLettered, dropped } = report.deliveries;
  lines.push(`  EventBridge to SQS: ${delivered} delivered (${retried} after retries), ${deadLettered} dead-lettered, ${dropped} dropped`);
  lines.push(`  events on the bus: ${[...report.eventCounts].map(([type, count]) => `${type} ${count}`).join(', ')}`);
  const environments = report.executionEnvironments;
  lines.push(`  execution environments: at most ${environments.peak} alive at once (limit ${environments.limit}), ${environments.coldStarts} cold starts, ${environments.aliveAtEnd} alive at the end`);

  section(`Dead letters before the redrive: ${report.deadLettersBeforeRedrive.length}`);
  lines.push(...groupDeadLetters(report.deadLettersBeforeRedrive).map(([group, count]) => `  ${pad(group, 70)} ${count}`));
  lines.push(`  redriven: ${[...report.redriven].filter(([, count]) => count > 0).map(([queue, count]) => `${shortName(queue)} ${count}`).join(', ') || 'nothing'}`);
  lines.push(`  left after the redrive: ${report.deadLettersAfterRedrive.length}`);
  lines.push(...groupDeadLetters(report.deadLettersAfterRedrive).map(([group, count]) => `  ${pad(group, 70)} ${count}`));

  section('Invariants');
  for (const result of report.invariants) {
    lines.push(`  ${result.holds ? 'PASS' : 'FAIL'}  ${result.invariant}${result.holds ? '' : ` (${result.violations.length} violation(s))`}`);
    for (const violation of result.violations.slice(0, MAX_VIOLATIONS_SHOWN)) lines.push(`          ${violation}`);
    if (result.violations.length > MAX_VIOLATIONS_SHOWN) lines.push(`          … and ${result.violations.length - MAX_VIOLATIONS_SHOWN} more`);
  }
  lines.push('', report.passed ? 'All invariants hold.' : 'INVARIANTS VIOLATED.');
  return lines.join('\n');
}

/** Dead letters counted by queue and cause (the handler's errorName, EventBridge's ERROR_CODE, or none). */
function groupDeadLetters(letters: readonly DeadLetter[]): [string, number][] {
  const groups = new Map<string, number>();
  for (const letter of letters) {
    const cause = letter.attributes.errorName ?? letter.attributes.ERROR_CODE ?? 'no cause (moved by SQS after maxReceiveCount)';
    const key = `${shortName(letter.queueName)}: ${cause}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

/** `OrderPipeline-CapturePaymentFunctionB1BCB66E` -> `CapturePaymentFunction`: the logical part of a physical name. */
function shortName(name: string): string {
  return name.replace(/^OrderPipeline-/, '').replace(/[0-9A-F]{8}$/, '');
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
