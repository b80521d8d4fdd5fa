/**
 * The local cloud's console: a web page on its own port with the pipeline as a live graph, the
 * event stream, a flow's trace, queues and DLQs (peek, redrive), replays, faults, and throughput
 * and latency charts. The page is the bundled front end (`web/`); it reads a JSON API and
 * follows a Server-Sent Events stream (`GET /api/stream`: plain HTTP, no library on either side).
 * It knows resources, events, deliveries, invocations, logs, queues, archives and faults, and
 * nothing of the app that runs on the cloud: flows are whatever the app's correlation says.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AwsServiceError } from '#cloud/aws-error';
import { DeadLetterKind, RedriveError, redriveDeadLetterQueue, type RedrivableQueue } from '#cloud/dead-letter-redrive';
import { queueNameOfArn } from '#cloud/events/target-delivery';
import type { EventBridgeService } from '#cloud/events/eventbridge-service';
import type { FaultControl } from '#cloud/faults/fault-injector';
import { FaultKind, formatFaultSpec, parseFaultSpec } from '#cloud/faults/fault-spec';
import { FaultSettingError } from '#cloud/faults/errors';
import type { SqsService } from '#cloud/sqs/sqs-service';
import type { StackPlan } from '#cloud/template/stack-plan';
import type { ConsoleRecorder, ConsoleUpdate } from '#cloud/console/recorder';
import { NodeKind, topologyOf, type Topology } from '#cloud/console/topology';
import { bundleWebAssets, type WebAssets } from '#cloud/console/web-bundle';

/** What the console reads and acts on. */
export interface ConsoleServerOptions {
  /** @default 0, any free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  readonly plan: StackPlan;
  readonly recorder: ConsoleRecorder;
  readonly sqs: SqsService;
  readonly events: EventBridgeService;
  readonly faults: FaultControl;
  /** The cloud's AWS endpoint and region: a redrive goes through SQS's API, as `npm run dlq` does. */
  readonly awsEndpoint: string;
  readonly region: string;
  /** What a flow is called on the page (`order`, for the order pipeline). @default 'flow' */
  readonly flowName?: string;
}

/** A running console. */
export interface ConsoleServer {
  /** The page's URL. */
  readonly url: string;
  close(): Promise<void>;
}

/** Live updates are sent in batches this often: a busy cloud makes thousands a second. */
const STREAM_FLUSH_MS = 250;
/** Queue depths and edge counts are sent this often. */
const STATS_INTERVAL_MS = 1000;

/** A request the page got wrong: answered 400 (or `status`) with the message. */
class ConsoleRequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConsoleRequestError';
  }
}

/** Bundles the front end and starts serving it with its API. */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const assets = await bundleWebAssets();
  const topology = topologyOf(options.plan);
  const streams = new Set<ServerResponse>();
  // Any credentials will do: the local cloud authorizes only the functions' roles.
  const sqsClient = new SQSClient({ endpoint: options.awsEndpoint, region: options.region, credentials: { accessKeyId: 'console', secretAccessKey: 'console' } });
  const context: Context = { ...options, assets, topology, streams, sqsClient };
  const server = createServer((request, response) => {
    handle(request, response, context).catch((error: unknown) => answerError(response, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });

  let pending: ConsoleUpdate[] = [];
  const stopListening = options.recorder.listen((update) => {
    if (streams.size > 0) pending.push(update);
  });
  const flush = setInterval(() => {
    if (pending.length === 0) return;
    const data = `event: updates\ndata: ${JSON.stringify(pending)}\n\n`;
    pending = [];
    for (const stream of streams) stream.write(data);
  }, STREAM_FLUSH_MS);
  const stats = setInterval(() => {
    if (streams.size === 0) return;
    const data = `event: stats\ndata: ${JSON.stringify(statsOf(context))}\n\n`;
    for (const stream of streams) stream.write(data);
  }, STATS_INTERVAL_MS);
  flush.unref();
  stats.unref();

  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    close: async () => {
      clearInterval(flush);
      clearInterval(stats);
      stopListening();
      for (const stream of streams) stream.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      sqsClient.destroy();
    },
  };
}

interface Context extends ConsoleServerOptions {
  readonly assets: WebAssets;
  readonly sqsClient: SQSClient;
  readonly topology: Topology;
  readonly streams: Set<ServerResponse>;
}

async function handle(request: IncomingMessage, response: ServerResponse, context: Context): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://console');
  const path = url.pathname;
  const method = request.method ?? 'GET';
  const { recorder, sqs, events, faults, plan } = context;
  if (method === 'GET' && (path === '/' || path === '/index.html')) return send(response, 200, context.assets['index.html'], 'text/html; charset=utf-8');
  if (method === 'GET' && path === '/app.js') return send(response, 200, context.assets['app.js'], 'text/javascript; charset=utf-8');
  if (method === 'GET' && path === '/app.css') return send(response, 200, context.assets['app.css'], 'text/css; charset=utf-8');
  if (method === 'GET' && path === '/api/stream') return openStream(response, context);
  if (method === 'GET' && path === '/api/overview') return json(response, { stackName: plan.stackName, flowName: context.flowName ?? 'flow', topology: context.topology, faultKinds: Object.values(FaultKind) });
  if (method === 'GET' && path === '/api/stats') return json(response, statsOf(context));
  if (method === 'GET' && path === '/api/events') {
    const filter = (name: string) => url.searchParams.get(name) || undefined;
    return json(response, recorder.events({ flowId: filter('flow'), detailType: filter('detailType'), source: filter('source') }));
  }
  const eventMatch = /^\/api\/events\/([^/]+)$/.exec(path);
  if (method === 'GET' && eventMatch) return json(response, recorder.event(decodeURIComponent(eventMatch[1] ?? '')) ?? notFound('no such event'));
  if (method === 'GET' && path === '/api/flows') return json(response, recorder.flows(Number(url.searchParams.get('limit') ?? 100)));
  const flowMatch = /^\/api\/flows\/([^/]+)$/.exec(path);
  if (method === 'GET' && flowMatch) return json(response, recorder.trace(decodeURIComponent(flowMatch[1] ?? '')) ?? notFound(`no ${context.flowName ?? 'flow'} with that id`));
  if (method === 'GET' && path === '/api/invocations') return json(response, recorder.invocations());
  if (method === 'GET' && path === '/api/parkings') return json(response, recorder.parkings().map(({ body: _body, ...parking }) => parking));
  if (method === 'GET' && path === '/api/series') return json(response, recorder.series(Number(url.searchParams.get('seconds') ?? 300)));
  if (method === 'GET' && path === '/api/queues') return json(response, queuesOf(context));
  const queueMatch = /^\/api\/queues\/([^/]+)\/(messages|redrive)$/.exec(path);
  if (queueMatch) {
    const queueName = decodeURIComponent(queueMatch[1] ?? '');
    if (!plan.queues.some((queue) => queue.QueueName === queueName)) return notFound(`no queue ${queueName}`);
    if (method === 'GET' && queueMatch[2] === 'messages') return json(response, sqs.peekMessages(sqs.queueUrl(queueName), 100));
    // A move task is followed to its end, polled often: the page waits for the outcome.
    if (method === 'POST' && queueMatch[2] === 'redrive') return json(response, await redriveDeadLetterQueue(context.sqsClient, redrivableQueue(context, queueName), { pollIntervalMs: 100 }));
  }
  if (method === 'GET' && path === '/api/archives') {
    return json(response, events.listArchives({}).Archives.map((archive) => ({ ...archive, ArchiveArn: events.describeArchive({ ArchiveName: archive.ArchiveName }).ArchiveArn })));
  }
  if (method === 'GET' && path === '/api/replays') return json(response, events.listReplays({}).Replays.map((replay) => events.describeReplay({ ReplayName: replay.ReplayName })));
  if (method === 'POST' && path === '/api/replays') {
    const body = (await readJson(request)) as { archive?: string; from?: number; to?: number };
    const archive = events.describeArchive({ ArchiveName: String(body.archive ?? '') });
    const from = Number(body.from);
    const to = Math.min(Number(body.to), Math.floor(Date.now() / 1000));
    if (!Number.isFinite(from) || !Number.isFinite(to)) throw new ConsoleRequestError('from and to must be epoch seconds');
    const name = `console-${new Date().toISOString().replace(/[^0-9]/g, '').slice(0, 17)}`;
    return json(response, { ReplayName: name, ...events.startReplay({ ReplayName: name, EventSourceArn: archive.ArchiveArn, EventStartTime: from, EventEndTime: to, Destination: { Arn: archive.EventSourceArn } }) });
  }
  if (method === 'GET' && path === '/api/faults') return json(response, faultsOf(faults));
  if (method === 'PUT' && path === '/api/faults') {
    const body = (await readJson(request)) as { spec?: string };
    faults.set(parseFaultSpec(String(body.spec ?? '')));
    return json(response, faultsOf(faults));
  }
  notFound(`no ${method} ${path}`);
}

/** Seconds of throughput and latency the page's charts show. */
const CHART_SECONDS = 180;

function statsOf(context: Context): { edges: Record<string, number>; queues: Record<string, unknown>; series: unknown; faults: unknown } {
  return {
    edges: context.recorder.edgeCounts(),
    queues: Object.fromEntries(queuesOf(context).map((queue) => [queue.name, queue.statistics])),
    series: context.recorder.series(CHART_SECONDS),
    faults: faultsOf(context.faults),
  };
}

function queuesOf(context: Context): { name: string; deadLetter: boolean; deadLetterOf: string[]; statistics: unknown }[] {
  const { sqs, plan, topology } = context;
  return plan.queues.map((queue) => ({
    name: queue.QueueName,
    deadLetter: topology.nodes.some((node) => node.kind === NodeKind.queue && node.name === queue.QueueName && node.deadLetter === true),
    deadLetterOf: plan.queues.filter((source) => source.deadLetterQueueName === queue.QueueName).map((source) => source.QueueName),
    statistics: sqs.queueStatistics(sqs.queueUrl(queue.QueueName)),
  }));
}

/** Queue `queueName` as a DLQ to redrive: of the queues whose redrive policy names it, or of the rule targets whose DeadLetterConfig does. */
function redrivableQueue({ plan, sqs }: Context, queueName: string): RedrivableQueue {
  const reference = (name: string) => ({ name, url: sqs.queueUrl(name), arn: sqs.queueArn(name) });
  const queue = { ...reference(queueName), visible: sqs.queueStatistics(sqs.queueUrl(queueName)).visible };
  const redriveSources = plan.queues.filter((source) => source.deadLetterQueueName === queueName);
  if (redriveSources.length > 0) return { ...queue, kind: DeadLetterKind.queue, sources: redriveSources.map((source) => reference(source.QueueName)) };
  const targetsParkingHere = plan.rules.flatMap((rule) => rule.Targets).filter((target) => (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn === queue.arn);
  if (targetsParkingHere.length === 0) throw new ConsoleRequestError(`${queueName} is neither a queue's DLQ nor a rule target's`);
  return { ...queue, kind: DeadLetterKind.ruleTarget, sources: targetsParkingHere.map((target) => reference(queueNameOfArn(String(target.Arn)))) };
}

function faultsOf(faults: FaultControl): { spec: string; seed: number; injected: unknown } {
  return { spec: formatFaultSpec(faults.spec), seed: faults.seed, injected: faults.injected() };
}

function openStream(response: ServerResponse, context: Context): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  response.write(`event: stats\ndata: ${JSON.stringify(statsOf(context))}\n\n`);
  context.streams.add(response);
  response.on('close', () => context.streams.delete(response));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch (cause) {
    throw new ConsoleRequestError('the body is not JSON', 400, { cause });
  }
}

function json(response: ServerResponse, body: unknown): void {
  send(response, 200, JSON.stringify(body), 'application/json');
}

function send(response: ServerResponse, status: number, body: string, contentType: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

function notFound(message: string): never {
  throw new ConsoleRequestError(message, 404);
}

function answerError(response: ServerResponse, error: unknown): void {
  // A redrive that stopped left the messages it did not move in the DLQ: a conflict with the queue's state, not a fault of the console.
  const status = error instanceof ConsoleRequestError ? error.status : error instanceof AwsServiceError || error instanceof FaultSettingError ? 400 : error instanceof RedriveError ? 409 : 500;
  const message = error instanceof AwsServiceError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
  if (!response.headersSent) send(response, status, JSON.stringify({ message }), 'application/json');
  else response.end();
}
