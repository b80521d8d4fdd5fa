/// <reference lib="dom" />
/**
 * The console's page: follows the cloud through `GET /api/stream` (Server-Sent Events) and
 * reads the rest from the JSON API, with no reload. The graph is Cytoscape.js laid out by
 * dagre; the charts are uPlot. Plain DOM otherwise: a few tables and forms need no framework.
 */
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import type { ConsoleUpdate, EventRecord, EventSummary, FlowSeries, FlowTrace, InvocationRecord } from '../recorder.ts';
import type { Topology } from '../topology.ts';

cytoscape.use(dagre);

interface Overview {
  readonly stackName: string;
  readonly flowName: string;
  readonly topology: Topology;
  readonly faultKinds: readonly string[];
}
interface QueueStatistics {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  readonly oldestAgeSeconds: number;
}
interface Faults {
  readonly spec: string;
  readonly seed: number;
  readonly injected: Record<string, number>;
}
interface Stats {
  readonly edges: Record<string, number>;
  readonly queues: Record<string, QueueStatistics>;
  readonly series: FlowSeries;
  readonly faults: Faults;
}
interface QueueInfo {
  readonly name: string;
  readonly deadLetterOf: readonly string[];
  readonly deadLetter: boolean;
  readonly statistics: QueueStatistics;
}

const MAX_STREAM_ROWS = 500;

const $ = <T extends HTMLElement = HTMLElement>(selector: string): T => {
  const element = document.querySelector<T>(selector);
  if (element === null) throw new Error(`no ${selector} on the page`);
  return element;
};

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { 'content-type': 'application/json' } });
  const body = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new Error(body.message ?? `${response.status}`);
  return body;
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 23);
const badge = (text: string, kind = text) => element('span', { class: `badge ${kind}` }, text);

const overview = await api<Overview>('/api/overview');
$('#stack-name').textContent = overview.stackName;
for (const node of document.querySelectorAll('.flow-name')) node.textContent = overview.flowName;

// ---- tabs
for (const button of document.querySelectorAll<HTMLButtonElement>('#tabs button')) {
  button.addEventListener('click', () => showTab(button.dataset.tab ?? 'stream'));
}
function showTab(name: string): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('#tabs button')) button.classList.toggle('active', button.dataset.tab === name);
  for (const tab of document.querySelectorAll('.tab')) tab.classList.toggle('active', tab.id === `tab-${name}`);
  if (name === 'queues') void refreshQueues();
  if (name === 'replay') void refreshReplays();
}

// ---- the graph
const graph: Core = cytoscape({
  container: $('#graph'),
  elements: [
    ...overview.topology.nodes.map((node): ElementDefinition => ({ data: { id: node.id, label: node.label, base: node.label, kind: node.kind, name: node.name, ...(node.pattern === undefined ? {} : { pattern: node.pattern }) }, classes: `${node.kind}${node.deadLetter === true ? ' dead-letter' : ''}` })),
    ...overview.topology.edges.map((edge): ElementDefinition => ({ data: { id: edge.id, source: edge.source, target: edge.target, kind: edge.kind, count: 0, label: '' }, classes: edge.kind })),
  ],
  style: [
    { selector: 'node', style: { label: 'data(label)', 'font-size': 9, 'text-wrap': 'wrap', 'text-valign': 'center', 'text-halign': 'center', width: 'label', height: 'label', padding: '6px', shape: 'round-rectangle', 'background-color': '#e8ebf0', 'border-width': 1, 'border-color': '#9aa5b4' } },
    { selector: 'node.route', style: { 'background-color': '#dff3e3' } },
    { selector: 'node.function', style: { 'background-color': '#ffe8d1', 'border-color': '#ec7211' } },
    { selector: 'node.bus', style: { 'background-color': '#ece1ff', 'border-color': '#8c54ff' } },
    { selector: 'node.rule', style: { 'background-color': '#f3edff', shape: 'round-tag' } },
    { selector: 'node.queue', style: { 'background-color': '#dbe9ff', 'border-color': '#0073bb' } },
    { selector: 'node.dead-letter', style: { 'background-color': '#fde2e1', 'border-color': '#a4161a' } },
    { selector: 'node.table', style: { 'background-color': '#e0f0ff', shape: 'barrel' } },
    { selector: 'edge', style: { width: 1, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'arrow-scale': 0.7, 'line-color': '#b8c0cc', 'target-arrow-color': '#b8c0cc', label: 'data(label)', 'font-size': 9, 'text-background-color': '#fff', 'text-background-opacity': 1 } },
    { selector: 'edge.accesses, edge.publishes', style: { 'line-style': 'dashed' } },
    { selector: 'edge.redrive, edge.target-dead-letter, edge.sends', style: { 'line-color': '#e8a2a0', 'target-arrow-color': '#e8a2a0' } },
    { selector: 'edge.active', style: { width: 2, 'line-color': '#ec7211', 'target-arrow-color': '#ec7211' } },
  ],
  layout: { name: 'dagre', rankDir: 'LR', nodeSep: 8, rankSep: 60 } as cytoscape.LayoutOptions,
  wheelSensitivity: 0.2,
});
// The graph draws on a canvas: its state is read from the instance (by people in devtools, and the browser test).
(window as Window & { consoleGraph?: Core }).consoleGraph = graph;
graph.on('tap', 'node', (tap) => {
  const data = tap.target.data() as { kind: string; name: string; pattern?: string };
  if (data.kind === 'queue') {
    showTab('queues');
    void peek(data.name);
  } else if (data.pattern !== undefined) {
    $('#event-detail').replaceChildren(element('h3', {}, `Rule ${data.name}`), element('pre', {}, JSON.stringify(JSON.parse(data.pattern), null, 2)));
    showTab('stream');
  }
});

function showStats(stats: Stats): void {
  graph.batch(() => {
    for (const [id, count] of Object.entries(stats.edges)) {
      const edge = graph.getElementById(id);
      if (edge.empty() || edge.data('count') === count) continue;
      edge.data({ count, label: String(count) });
      edge.addClass('active');
    }
    for (const [name, queue] of Object.entries(stats.queues)) {
      const node = graph.getElementById(`queue:${name}`);
      if (node.empty()) continue;
      const label = `${node.data('base') as string}\n${queue.visible} visible · ${queue.inFlight} in flight${queue.oldestAgeSeconds > 0 ? ` · ${queue.oldestAgeSeconds}s old` : ''}`;
      if (node.data('label') !== label) node.data({ label, visible: queue.visible, inFlight: queue.inFlight, oldest: queue.oldestAgeSeconds });
    }
  });
  showSeries(stats.series);
  showFaults(stats.faults);
  if ($('#tab-queues').classList.contains('active')) showQueues(Object.entries(stats.queues).map(([name, statistics]) => ({ name, statistics })));
}

// ---- charts
const chartSize = () => ({ width: Math.max(200, $('#charts').clientWidth / 2 - 16), height: 150 });
const throughputChart = new uPlot(
  { ...chartSize(), series: [{}, { label: 'started', stroke: '#0073bb' }, { label: 'finished', stroke: '#1d8102' }], axes: [{}, { size: 40 }], scales: { x: { time: true } } },
  [[], [], []],
  $('#throughput-chart'),
);
const latencyChart = new uPlot(
  { ...chartSize(), series: [{}, { label: 'p50', stroke: '#1d8102' }, { label: 'p95', stroke: '#ec7211' }, { label: 'p99', stroke: '#d13212' }], axes: [{}, { size: 60 }], scales: { x: { time: true } } },
  [[], [], [], []],
  $('#latency-chart'),
);
function showSeries(series: FlowSeries): void {
  throughputChart.setData([[...series.t], [...series.started], [...series.finished]]);
  latencyChart.setData([[...series.t], [...series.p50], [...series.p95], [...series.p99]] as uPlot.AlignedData);
}
window.addEventListener('resize', () => {
  throughputChart.setSize(chartSize());
  latencyChart.setSize(chartSize());
});

// ---- the event stream
const streamBody = $('#stream tbody');
const filterForm = $<HTMLFormElement>('#stream-filter');
const knownDetailTypes = new Set<string>();
const knownSources = new Set<string>();
function streamFilter(): { flow: string; detailType: string; source: string } {
  const form = new FormData(filterForm);
  return { flow: String(form.get('flow') ?? '').trim(), detailType: String(form.get('detailType') ?? ''), source: String(form.get('source') ?? '') };
}
function matchesFilter(event: EventSummary): boolean {
  const filter = streamFilter();
  return (filter.flow === '' || (event.flowId ?? '').startsWith(filter.flow)) && (filter.detailType === '' || event.detailType === filter.detailType) && (filter.source === '' || event.source === filter.source);
}
function learnOption(set: Set<string>, select: HTMLSelectElement, value: string): void {
  if (set.has(value)) return;
  set.add(value);
  select.append(element('option', { value }, value));
}
function streamRow(event: EventSummary): HTMLTableRowElement {
  const row = element(
    'tr',
    { class: 'clickable', 'data-event-id': event.id, 'data-flow-id': event.flowId ?? '' },
    element('td', {}, clock(event.at)),
    element('td', {}, event.detailType, ...(event.replayName === undefined ? [] : [badge(`replay ${event.replayName}`, 'replay')])),
    element('td', {}, event.source),
    element('td', {}, (event.flowId ?? '').slice(0, 8)),
    element('td', {}, String(event.matchedRules)),
  );
  row.addEventListener('click', () => void showEvent(event.id, row));
  return row;
}
function addToStream(event: EventSummary): void {
  learnOption(knownDetailTypes, $<HTMLSelectElement>('[name=detailType]'), event.detailType);
  learnOption(knownSources, $<HTMLSelectElement>('[name=source]'), event.source);
  if (!matchesFilter(event)) return;
  streamBody.prepend(streamRow(event));
  while (streamBody.childElementCount > MAX_STREAM_ROWS) streamBody.lastElementChild?.remove();
}
async function reloadStream(): Promise<void> {
  const filter = streamFilter();
  const query = new URLSearchParams(Object.entries({ flow: filter.flow, detailType: filter.detailType, source: filter.source }).filter(([, value]) => value !== ''));
  const events = await api<EventSummary[]>(`/api/events?${query}`);
  streamBody.replaceChildren(...events.slice(-MAX_STREAM_ROWS).reverse().map(streamRow));
}
filterForm.addEventListener('input', () => void reloadStream());
filterForm.addEventListener('submit', (submit) => submit.preventDefault());
async function showEvent(id: string, row: HTMLElement): Promise<void> {
  for (const selected of streamBody.querySelectorAll('.selected')) selected.classList.remove('selected');
  row.classList.add('selected');
  const record = await api<EventRecord>(`/api/events/${encodeURIComponent(id)}`);
  const deliveries = element(
    'table',
    {},
    element('thead', {}, element('tr', {}, ...['rule', 'target', 'status', 'attempts', 'target DLQ'].map((heading) => element('th', {}, heading)))),
    element(
      'tbody',
      {},
      ...record.deliveries.map((delivery) =>
        element('tr', {}, element('td', {}, delivery.rule), element('td', {}, delivery.target), element('td', {}, badge(delivery.status)), element('td', {}, String(delivery.attempts)), element('td', {}, delivery.deadLetterQueue ?? '')),
      ),
    ),
  );
  const trace = element('button', {}, `Trace this ${overview.flowName}`);
  trace.addEventListener('click', () => record.flowId !== undefined && void openTrace(record.flowId));
  $('#event-detail').replaceChildren(element('h3', {}, `${record.detailType} ${record.id}`), ...(record.flowId === undefined ? [] : [trace]), element('h3', {}, 'Delivered to'), deliveries, element('h3', {}, 'Event'), element('pre', {}, JSON.stringify(record.event, null, 2)));
}

// ---- a flow's trace
let tracedFlow: string | undefined;
let traceRefresh: number | undefined;
$<HTMLFormElement>('#trace-form').addEventListener('submit', (submit) => {
  submit.preventDefault();
  void openTrace(String(new FormData(submit.target as HTMLFormElement).get('flow') ?? '').trim());
});
async function openTrace(flowId: string): Promise<void> {
  showTab('trace');
  $<HTMLInputElement>('[data-testid=trace-flow]').value = flowId;
  tracedFlow = flowId;
  await renderTrace();
}
async function renderTrace(): Promise<void> {
  if (tracedFlow === undefined) return;
  let trace: FlowTrace;
  try {
    trace = await api<FlowTrace>(`/api/flows/${encodeURIComponent(tracedFlow)}`);
  } catch (error) {
    $('#trace').replaceChildren(element('p', {}, String(error instanceof Error ? error.message : error)));
    return;
  }
  tracedFlow = trace.id;
  const rows: { at: number; until: number; node: HTMLElement; logs?: HTMLElement }[] = [];
  for (const event of trace.events) {
    rows.push({ at: event.at, until: event.at, node: traceRow('event', event.at, event.at, [`${event.detailType}`, ...(event.replayName === undefined ? [] : [badge('replay', 'replay')])]) });
    for (const delivery of event.deliveries) {
      const retried = delivery.attempts > 1 ? [badge(`${delivery.attempts - 1} ${delivery.attempts === 2 ? 'retry' : 'retries'}`, 'retried')] : [];
      rows.push({ at: delivery.at, until: delivery.at, node: traceRow('delivery', event.at, delivery.at, [`→ ${shortLabel('rule', delivery.rule)} → ${shortLabel('queue', delivery.target)}`, badge(delivery.status), ...retried, ...(delivery.deadLetterQueue === undefined ? [] : [badge(`DLQ ${shortLabel('queue', delivery.deadLetterQueue)}`, '')])], delivery.error) });
    }
  }
  for (const invocation of trace.invocations) rows.push(invocationRow(invocation));
  for (const parking of trace.parkings) rows.push({ at: parking.at, until: parking.at, node: traceRow('parking', parking.at, parking.at, [`parked in ${parking.queue}`, badge('parked')], parking.cause) });
  rows.sort((a, b) => a.at - b.at);
  const start = Math.min(trace.startedAt, ...rows.map((row) => row.at));
  const end = Math.max(start + 1, trace.finishedAt ?? 0, ...rows.map((row) => row.until));
  for (const row of rows) {
    const bar = row.node.querySelector<HTMLElement>('.bar');
    if (bar === null) continue;
    bar.style.left = `${(((row.at - start) / (end - start)) * 100).toFixed(2)}%`;
    bar.style.width = `${(((row.until - row.at) / (end - start)) * 100).toFixed(2)}%`;
  }
  const summary = `${overview.flowName} ${trace.id}: started ${clock(trace.startedAt)}${trace.finishedAt === undefined ? ', not finished' : `, finished in ${trace.finishedAt - trace.startedAt} ms`}`;
  $('#trace').replaceChildren(element('h3', {}, summary), element('div', { class: 'waterfall' }, ...rows.flatMap((row) => [row.node, ...(row.logs === undefined ? [] : [row.logs])])));
}
function invocationRow(invocation: InvocationRecord): { at: number; until: number; node: HTMLElement; logs?: HTMLElement } {
  const trigger = 'queue' in invocation.trigger ? `from ${shortLabel('queue', invocation.trigger.queue)}` : `${invocation.trigger.route} ${invocation.trigger.statusCode ?? ''}`;
  const facts = [
    badge(invocation.outcome),
    badge(invocation.cold ? `cold ${Math.round(invocation.initDurationMs ?? 0)} ms` : 'warm', invocation.cold ? 'cold' : ''),
    badge(`batch ${invocation.batchSize}`, ''),
    badge(`${Math.round(invocation.durationMs)} ms`, ''),
    ...(invocation.codeVersion === undefined ? [] : [badge(`code v${invocation.codeVersion}`, 'code-version')]),
  ];
  const node = traceRow(`invocation ${invocation.outcome}`, invocation.startedAt, invocation.startedAt + invocation.durationMs, [`λ ${shortLabel('function', invocation.functionName)}`, ...facts], `${trigger}${invocation.error === undefined ? '' : ` — ${invocation.error}`}`);
  const logs = invocation.logs.length === 0 ? undefined : element('div', { class: 'logs', 'data-testid': 'invocation-logs' }, invocation.logs.map((log) => `${clock(log.at)} ${log.level ?? ''} ${log.message ?? (log.line.includes('"_aws"') ? '(EMF metrics)' : log.line)}`).join('\n'));
  return { at: invocation.startedAt, until: invocation.startedAt + invocation.durationMs, node, ...(logs === undefined ? {} : { logs }) };
}
function traceRow(kind: string, _at: number, _until: number, label: (string | Node)[], title?: string): HTMLElement {
  return element('div', { class: `row ${kind}`, 'data-kind': kind.split(' ')[0] ?? kind, ...(title === undefined ? {} : { title }) }, element('div', { class: 'label' }, ...label), element('div', { class: 'lane' }, element('div', { class: 'bar' })), ...(title === undefined ? [] : [element('div', { class: 'logs' }, title)]));
}
function scheduleTraceRefresh(): void {
  if (traceRefresh !== undefined) return;
  traceRefresh = window.setTimeout(() => {
    traceRefresh = undefined;
    void renderTrace();
  }, 300);
}
async function refreshFlows(): Promise<void> {
  const flows = await api<{ id: string; startedAt: number; finishedAt?: number; events: number }[]>('/api/flows?limit=20');
  $('#flows').replaceChildren(
    ...flows
      .slice(-20)
      .reverse()
      .map((flow) => {
        const item = element('li', { 'data-flow-id': flow.id }, `${flow.id.slice(0, 8)} ${clock(flow.startedAt)} · ${flow.events} events${flow.finishedAt === undefined ? '' : ` · ${flow.finishedAt - flow.startedAt} ms`}`);
        item.addEventListener('click', () => void openTrace(flow.id));
        return item;
      }),
  );
}

// ---- queues and DLQs
let queueInfo: QueueInfo[] = [];
async function refreshQueues(): Promise<void> {
  queueInfo = await api<QueueInfo[]>('/api/queues');
  showQueues(queueInfo);
}
function showQueues(queues: readonly { name: string; statistics: QueueStatistics }[]): void {
  const rows = queues.map(({ name, statistics }) => {
    const info = queueInfo.find((queue) => queue.name === name);
    const peekButton = element('button', { 'data-action': 'peek' }, 'Peek');
    peekButton.addEventListener('click', () => void peek(name));
    const actions: HTMLElement[] = [peekButton];
    if (info?.deadLetter === true) {
      const redriveButton = element('button', { 'data-action': 'redrive' }, 'Redrive');
      redriveButton.addEventListener('click', () => void redrive(name));
      actions.push(redriveButton);
    }
    return element(
      'tr',
      { 'data-queue': name, class: info?.deadLetter === true ? 'dead-letter' : '' },
      element('td', {}, shortQueueName(name), ...(info?.deadLetter === true ? [badge('DLQ', 'parked')] : [])),
      element('td', { 'data-field': 'visible' }, String(statistics.visible)),
      element('td', {}, String(statistics.inFlight)),
      element('td', {}, String(statistics.delayed)),
      element('td', {}, `${statistics.oldestAgeSeconds}s`),
      element('td', {}, ...actions),
    );
  });
  $('#queues tbody').replaceChildren(...rows);
}
function shortQueueName(name: string): string {
  return shortLabel('queue', name);
}
/** A resource's name as the graph labels it (the stack's prefix and CloudFormation's hash left out). */
function shortLabel(kind: 'queue' | 'function' | 'rule', name: string): string {
  return (graph.getElementById(`${kind}:${name}`).data('base') as string | undefined) ?? name;
}
async function peek(name: string): Promise<void> {
  const messages = await api<{ messageId: string; body: string; messageAttributes: Record<string, { StringValue?: string }>; sentTimestamp: number; receiveCount: number; state: string }[]>(`/api/queues/${encodeURIComponent(name)}/messages`);
  $('#queue-detail').replaceChildren(
    element('h3', {}, `${shortQueueName(name)}: ${messages.length} message(s)`),
    ...messages.map((message) =>
      element(
        'div',
        { class: 'message', 'data-message-id': message.messageId },
        element('div', {}, `${message.messageId} · ${clock(message.sentTimestamp)} · received ${message.receiveCount}× · `, badge(message.state, '')),
        element('pre', {}, `${Object.entries(message.messageAttributes).map(([attribute, value]) => `${attribute}: ${value.StringValue ?? '(binary)'}`).join('\n')}\n\n${prettyJson(message.body)}`),
      ),
    ),
  );
}
async function redrive(name: string): Promise<void> {
  try {
    const result = await api<{ method: string; toMove: number; moved: number }>(`/api/queues/${encodeURIComponent(name)}/redrive`, { method: 'POST' });
    $('#queue-detail').replaceChildren(element('p', { 'data-testid': 'redrive-result' }, `Redrive of ${shortQueueName(name)} done (${result.method}): ${result.moved} of ${result.toMove} message(s) moved.`));
  } catch (error) {
    $('#queue-detail').replaceChildren(element('p', { 'data-testid': 'redrive-result' }, `Redrive stopped: ${error instanceof Error ? error.message : String(error)}`));
  }
  await refreshQueues();
}
function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

// ---- replay
const replayForm = $<HTMLFormElement>('#replay-form');
const localInput = (ms: number) => new Date(ms - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
$<HTMLInputElement>('[name=from]').value = localInput(Date.now() - 5 * 60_000);
$<HTMLInputElement>('[name=to]').value = localInput(Date.now() + 60 * 60_000);
replayForm.addEventListener('submit', (submit) => {
  submit.preventDefault();
  const form = new FormData(replayForm);
  const seconds = (field: string) => Math.floor(new Date(String(form.get(field))).getTime() / 1000);
  void api('/api/replays', { method: 'POST', body: JSON.stringify({ archive: form.get('archive'), from: seconds('from'), to: seconds('to') }) })
    .then(refreshReplays)
    .catch((error: unknown) => alert(String(error)));
});
async function refreshReplays(): Promise<void> {
  const [archives, replays] = await Promise.all([api<{ ArchiveName: string; EventCount?: number }[]>('/api/archives'), api<{ ReplayName: string; State: string; EventStartTime: number; EventEndTime: number }[]>('/api/replays')]);
  const select = $<HTMLSelectElement>('[name=archive]');
  if (select.childElementCount !== archives.length) select.replaceChildren(...archives.map((archive) => element('option', { value: archive.ArchiveName }, archive.ArchiveName)));
  $('#replays tbody').replaceChildren(...replays.map((replay) => element('tr', {}, element('td', {}, replay.ReplayName), element('td', {}, replay.State), element('td', {}, `${clock(toMs(replay.EventStartTime))} – ${clock(toMs(replay.EventEndTime))}`))));
}
/** The API's times are epoch seconds (numbers) or Dates serialized as strings. */
function toMs(time: number | string): number {
  return typeof time === 'number' ? time * 1000 : Date.parse(time);
}

// ---- faults
const FAULT_DEFAULTS: Record<string, string> = { throw: '0.2', crash: '0.1', duplicate: '0.2', delay: '200ms', putEventsFailure: '0.1', unreachableTarget: '0.2' };
const faultsForm = $<HTMLFormElement>('#faults-form');
for (const kind of overview.faultKinds) {
  faultsForm.append(
    element(
      'div',
      { class: 'fault' },
      element('label', {}, element('input', { type: 'checkbox', name: `${kind}-on`, 'data-fault': kind }), ` ${kind}`),
      element('input', { name: `${kind}-value`, value: FAULT_DEFAULTS[kind] ?? '0.1', size: '6' }),
      element('input', { name: `${kind}-targets`, placeholder: 'targets (all)' }),
    ),
  );
}
faultsForm.addEventListener('change', () => {
  const form = new FormData(faultsForm);
  const items = overview.faultKinds.flatMap((kind) => {
    if (form.get(`${kind}-on`) === null) return [];
    const targets = String(form.get(`${kind}-targets`) ?? '')
      .split(/[\s,+]+/)
      .filter(Boolean);
    return [`${kind}=${String(form.get(`${kind}-value`))}${targets.length === 0 ? '' : `@${targets.join('+')}`}`];
  });
  void api<Faults>('/api/faults', { method: 'PUT', body: JSON.stringify({ spec: items.join(',') || 'none' }) })
    .then(showFaults)
    .catch((error: unknown) => alert(String(error)));
});
function showFaults(faults: Faults): void {
  $('#fault-spec').textContent = `${faults.spec} (seed ${faults.seed})`;
  $('#fault-counts').textContent = Object.entries(faults.injected)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
}

// ---- live
await reloadStream();
await refreshFlows();
const stream = new EventSource('/api/stream');
stream.addEventListener('open', () => ($('#connection').textContent = 'live'));
stream.addEventListener('error', () => ($('#connection').textContent = 'reconnecting…'));
stream.addEventListener('stats', (message) => showStats(JSON.parse((message as MessageEvent<string>).data) as Stats));
let flowsRefresh: number | undefined;
stream.addEventListener('updates', (message) => {
  const updates = JSON.parse((message as MessageEvent<string>).data) as ConsoleUpdate[];
  for (const update of updates) {
    if (update.type === 'event') addToStream(update.event);
    if (tracedFlow !== undefined && touchesFlow(update, tracedFlow)) scheduleTraceRefresh();
  }
  flowsRefresh ??= window.setTimeout(() => {
    flowsRefresh = undefined;
    void refreshFlows();
  }, 1000);
});
function touchesFlow(update: ConsoleUpdate, flowId: string): boolean {
  switch (update.type) {
    case 'event':
      return update.event.flowId === flowId;
    case 'invocation':
      return update.invocation.flowIds.includes(flowId);
    case 'parking':
      return update.parking.flowId === flowId;
    case 'delivery':
      return true;
  }
}
