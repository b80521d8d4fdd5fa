import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChangeLog, type StateModel } from '#cloud/persistence/change-log';
import { ChangeNotApplicableError, JournalReplayError } from '#cloud/persistence/errors';
import { Journal } from '#cloud/persistence/journal';
import { DataDirectories } from '#test/support/data-directories';

/** A stock ledger: units per SKU, as a service's state would be. */
type Stock = Map<string, number>;
type StockChange = { readonly type: 'sku-added'; readonly sku: string } | { readonly type: 'units-received'; readonly sku: string; readonly units: number };

const stockModel: StateModel<Stock, StockChange> = {
  journalName: 'stock',
  restore: (snapshot) => new Map(Object.entries((snapshot ?? {}) as Record<string, number>)),
  apply(state, change) {
    if (change.type === 'sku-added') {
      state.set(change.sku, 0);
      return;
    }
    const units = state.get(change.sku);
    if (units === undefined) throw new ChangeNotApplicableError(change.type, `SKU ${change.sku} is not stocked.`);
    state.set(change.sku, units + change.units);
  },
  snapshot: (state) => Object.fromEntries(state),
};

const directories = new DataDirectories();
afterAll(() => directories.removeAll());

const journalLines = (directory: string) => readFileSync(join(directory, 'stock.journal'), 'utf8').split('\n').filter(Boolean);

describe('ChangeLog', () => {
  it('rebuilds the state after a crash by applying the committed changes again', () => {
    // Prepare
    const directory = directories.create();
    const before = ChangeLog.open(stockModel, { persistence: directory });
    before.commit({ type: 'sku-added', sku: 'SKU-MOUSE' });
    before.commit({ type: 'units-received', sku: 'SKU-MOUSE', units: 3 });
    before.commit({ type: 'units-received', sku: 'SKU-MOUSE', units: 4 });
    // Crash: `before` is dropped without close().

    // Act
    const after = ChangeLog.open(stockModel, { persistence: directory });

    // Assess
    expect(before.state).toEqual(new Map([['SKU-MOUSE', 7]]));
    expect(after.state).toEqual(before.state);
    after.close();
  });

  it("writes a batch's changes as one journal line, each applied as it was committed", () => {
    // Prepare
    const directory = directories.create();
    const log = ChangeLog.open(stockModel, { persistence: directory });
    const linesBefore = journalLines(directory).length;

    // Act
    const seenInBatch = log.batch(() => {
      log.commit({ type: 'sku-added', sku: 'SKU-CABLE' });
      log.commit({ type: 'units-received', sku: 'SKU-CABLE', units: 5 });
      return log.state.get('SKU-CABLE');
    });

    // Assess
    expect(seenInBatch).toBe(5);
    expect(journalLines(directory)).toHaveLength(linesBefore + 1);
    expect(JSON.parse(journalLines(directory).at(-1) ?? '')).toEqual([
      { type: 'sku-added', sku: 'SKU-CABLE' },
      { type: 'units-received', sku: 'SKU-CABLE', units: 5 },
    ]);
    log.close();
  });

  it('compacts when it opens, so the next start replays nothing', () => {
    // Prepare
    const directory = directories.create();
    const before = ChangeLog.open(stockModel, { persistence: directory });
    before.commit({ type: 'sku-added', sku: 'SKU-LAPTOP' });
    before.commit({ type: 'units-received', sku: 'SKU-LAPTOP', units: 2 });

    // Act
    const after = ChangeLog.open(stockModel, { persistence: directory });

    // Assess
    expect(journalLines(directory)).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(directory, 'stock.snapshot'), 'utf8')).state).toEqual({ 'SKU-LAPTOP': 2 });
    after.close();
  });

  it('refuses a journal with a change that does not fit the state, naming the file and the change', () => {
    // Prepare
    const directory = directories.create();
    const journal = Journal.open<readonly StockChange[]>({ directory, name: 'stock' });
    journal.append([{ type: 'units-received', sku: 'SKU-UNKNOWN', units: 1 }]);
    journal.close();

    // Act
    const open = () => ChangeLog.open(stockModel, { persistence: directory });

    // Assess
    expect(open).toThrow(JournalReplayError);
    expect(open).toThrow(`${join(directory, 'stock.journal')}: cannot replay change "units-received": SKU SKU-UNKNOWN is not stocked.`);
  });

  it('in memory, applies each change and writes nothing', () => {
    // Prepare
    const log = ChangeLog.open(stockModel);

    // Act
    log.batch(() => {
      log.commit({ type: 'sku-added', sku: 'SKU-MONITOR' });
      log.commit({ type: 'units-received', sku: 'SKU-MONITOR', units: 1 });
    });

    // Assess
    expect(log.persistent).toBe(false);
    expect(log.state).toEqual(new Map([['SKU-MONITOR', 1]]));
  });
});
