/**
 * Follows a log file as lines are appended to it (`tail -f`): the functions' threads append to
 * the file themselves (the cheap path under load), so the console reads what they wrote from
 * the file, on change notifications, instead of taking each line off their threads.
 * Hand-written: a read loop over `fs.watch`, which no small, kept library does better.
 * @see https://nodejs.org/api/fs.html#fswatchfilename-options-listener
 */
import { watch, type FSWatcher } from 'node:fs';
import { open } from 'node:fs/promises';

/** A file being followed. */
export interface LogTail {
  close(): Promise<void>;
}

/** Reads at most this much per turn, so one burst doesn't hold the event loop. */
const CHUNK_BYTES = 1 << 20;

/** Calls `onLine` with each whole line appended to `file` from now on (the file is created if missing). */
export async function tailLines(file: string, onLine: (line: string) => void): Promise<LogTail> {
  const handle = await open(file, 'a+');
  let offset = (await handle.stat()).size;
  let remainder = '';
  let reading: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const read = async (): Promise<void> => {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    for (;;) {
      const { size } = await handle.stat();
      // Truncated (a new run's log): start over from its beginning.
      if (size < offset) offset = 0;
      if (size === offset || closed) return;
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, size - offset), offset);
      offset += bytesRead;
      const lines = (remainder + buffer.toString('utf8', 0, bytesRead)).split('\n');
      remainder = lines.pop() ?? '';
      for (const line of lines) if (line.length > 0) onLine(line);
    }
  };
  const onChange = () => {
    if (reading !== undefined) {
      again = true;
      return;
    }
    reading = read()
      .catch((error: unknown) => console.error(`console: could not read ${file}: ${String(error)}`))
      .finally(() => {
        reading = undefined;
        if (again && !closed) {
          again = false;
          onChange();
        }
      });
  };
  const watcher: FSWatcher = watch(file, { persistent: false }, onChange);
  return {
    close: async () => {
      closed = true;
      watcher.close();
      await reading;
      await handle.close();
    },
  };
}
