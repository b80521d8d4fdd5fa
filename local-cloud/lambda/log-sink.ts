/**
 * Where a function's output goes: each line its code writes to stdout/stderr (on Lambda, one
 * CloudWatch Logs event; here, typically one structured JSON log record).
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Where a log line came from. */
export interface LogLineSource {
  /** Name of the function that wrote the line. */
  readonly functionName: string;
  /** The stream the function wrote to. */
  readonly stream: 'stdout' | 'stderr';
}

/** Receives each line a function writes, without its trailing newline. */
export type LogSink = (line: string, source: LogLineSource) => void;

/** The default sink: the host's stdout, one line per line, as `sam local` shows function logs. */
export const writeToStdout: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Feeds each line of `stream` to `sink`. */
export function pipeLines(stream: Readable, sink: LogSink, source: LogLineSource): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => sink(line, source));
}
