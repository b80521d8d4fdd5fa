import { appendFileSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JournalCorruptError } from '#cloud/persistence/errors';
import { Journal } from '#cloud/persistence/journal';
import { DataDirectories } from '#test/support/data-directories';

interface OrderRecord {
  readonly orderId: string;
  readonly step: number;
}

const directories = new DataDirectories();
afterAll(() => directories.removeAll());

const orderRecord = (step: number): OrderRecord => ({ orderId: `order-${step}`, step });
const openJournal = (directory: string, compactAfterBytes?: number) =>
  Journal.open<OrderRecord>({ directory, name: 'orders', ...(compactAfterBytes === undefined ? {} : { compactAfterBytes }) });

describe('Journal', () => {
  it('replays the records appended before a reopen, in order', () => {
    const directory = directories.create();
    const journal = openJournal(directory);
    for (const step of [1, 2, 3]) journal.append(orderRecord(step));

    const reopened = openJournal(directory);

    expect([...reopened.replay()]).toEqual([orderRecord(1), orderRecord(2), orderRecord(3)]);
    expect(reopened.loadSnapshot()).toBeUndefined();
  });

  it('drops a torn last line (a kill mid-write) and appends cleanly after it', () => {
    const directory = directories.create();
    const journal = openJournal(directory);
    journal.append(orderRecord(1));
    journal.append(orderRecord(2));
    appendFileSync(journal.file, '{"orderId":"order-3","st');

    const reopened = openJournal(directory);
    reopened.append(orderRecord(4));

    expect([...openJournal(directory).replay()]).toEqual([orderRecord(1), orderRecord(2), orderRecord(4)]);
  });

  it('drops an unparsable last line even when it ends in a newline', () => {
    const directory = directories.create();
    const journal = openJournal(directory);
    journal.append(orderRecord(1));
    appendFileSync(journal.file, '{"orderId":\n');

    expect([...openJournal(directory).replay()]).toEqual([orderRecord(1)]);
  });

  it('rejects a corrupt line before the last, naming the file and the line', () => {
    const directory = directories.create();
    const journal = openJournal(directory);
    journal.append(orderRecord(1));
    appendFileSync(journal.file, 'not json\n');
    journal.append(orderRecord(2));

    const replay = () => [...openJournal(directory).replay()];

    expect(replay).toThrow(JournalCorruptError);
    expect(replay).toThrow(`${journal.file}, line 3: not a JSON record`);
  });

  it('compacts into a snapshot and an empty journal, and reopens from both', () => {
    const directory = directories.create();
    const journal = openJournal(directory);
    journal.append(orderRecord(1));
    journal.append(orderRecord(2));

    journal.compact({ orders: ['order-1', 'order-2'] });
    journal.append(orderRecord(3));

    const lines = readFileSync(journal.file, 'utf8').trimEnd().split('\n');
    expect(lines).toEqual(['{"journal":"orders","generation":1}', JSON.stringify(orderRecord(3))]);
    expect(journal.sizeBytes).toBe(readFileSync(journal.file).length);
    const reopened = openJournal(directory);
    expect(reopened.loadSnapshot()).toEqual({ orders: ['order-1', 'order-2'] });
    expect([...reopened.replay()]).toEqual([orderRecord(3)]);
  });

  it('skips a journal already in the snapshot (a kill between the two steps of compaction)', () => {
    const directory = directories.create();
    const journal = openJournal(directory);
    journal.append(orderRecord(1));
    const beforeCompaction = join(directory, 'before-compaction');
    copyFileSync(journal.file, beforeCompaction);
    journal.compact({ orders: ['order-1'] });
    copyFileSync(beforeCompaction, journal.file);

    const reopened = openJournal(directory);

    expect(reopened.loadSnapshot()).toEqual({ orders: ['order-1'] });
    expect([...reopened.replay()]).toEqual([]);
  });

  it('refuses a journal newer than its snapshot: the snapshot was lost', () => {
    const directory = directories.create();
    const journal = openJournal(directory);
    journal.compact({ orders: [] });
    rmSync(join(directory, 'orders.snapshot'));

    expect(() => openJournal(directory)).toThrow(/generation 1 but its snapshot is generation 0/);
  });

  it('refuses a file that is not this journal', () => {
    const directory = directories.create();
    writeFileSync(join(directory, 'orders.journal'), '{"journal":"payments","generation":0}\n');

    expect(() => openJournal(directory)).toThrow(JournalCorruptError);
  });

  it('asks for compaction once it has grown past compactAfterBytes', () => {
    const directory = directories.create();
    const journal = openJournal(directory, 200);

    journal.append(orderRecord(1));
    const before = journal.needsCompaction;
    for (let step = 2; step <= 10; step += 1) journal.append(orderRecord(step));

    expect(before).toBe(false);
    expect(journal.needsCompaction).toBe(true);
  });
});
