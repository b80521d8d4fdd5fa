/**
 * The AWS prices the cost model uses: US East (N. Virginia), on-demand, list prices without
 * free tiers, savings plans or volume tiers (every figure here is the first tier, the one a
 * pipeline of a few hundred million orders a month stays in). One place, with the date they
 * were taken and the page each comes from, so a price change is one edit and a reviewer can
 * check every figure.
 *
 * Taken on {@link PRICES_TAKEN_ON} from the pricing pages below (as served or as archived and
 * quoted on that date); a figure that could only be confirmed through a secondary source says so.
 */

/** When the prices were read. */
export const PRICES_TAKEN_ON = '2026-11-22';

/** The region every price is for. */
export const PRICES_REGION = 'us-east-1';

/** A price, its unit and where it comes from. */
export interface Price {
  /** US dollars per `unit`. */
  readonly usd: number;
  /** What one `usd` buys, e.g. `million requests`. */
  readonly unit: string;
  /** The page it was read from. */
  readonly source: string;
  /** How billing counts the unit, and how sure the figure is. */
  readonly note?: string;
}

const LAMBDA_PRICING = 'https://aws.amazon.com/lambda/pricing/';
const SQS_PRICING = 'https://aws.amazon.com/sqs/pricing/';
const EVENTBRIDGE_PRICING = 'https://aws.amazon.com/eventbridge/pricing/';
const API_GATEWAY_PRICING = 'https://aws.amazon.com/api-gateway/pricing/';
const DYNAMODB_ON_DEMAND_PRICING = 'https://aws.amazon.com/dynamodb/pricing/on-demand/';
const CLOUDWATCH_PRICING = 'https://aws.amazon.com/cloudwatch/pricing/';
const KMS_PRICING = 'https://aws.amazon.com/kms/pricing/';

/** The prices, by what they price. */
export const PRICES = {
  lambdaRequests: {
    usd: 0.2,
    unit: 'million requests',
    source: LAMBDA_PRICING,
    note: 'Same for x86_64 and arm64. Every invocation counts, whatever the batch size.',
  },
  lambdaGbSecondArm64: {
    usd: 0.0000133334,
    unit: 'GB-second',
    source: LAMBDA_PRICING,
    note: 'First 7.5 billion GB-s a month. Duration is rounded up to the nearest 1 ms; memory in GB = MB / 1024.',
  },
  lambdaGbSecondX86: {
    usd: 0.0000166667,
    unit: 'GB-second',
    source: LAMBDA_PRICING,
    note: 'First 6 billion GB-s a month. Duration is rounded up to the nearest 1 ms.',
  },
  sqsStandardRequests: {
    usd: 0.4,
    unit: 'million requests',
    source: SQS_PRICING,
    note:
      'Standard queues, first 100 billion requests a month. Every API action is a request, empty receives included; ' +
      'a batch of up to 10 messages (SendMessageBatch, DeleteMessageBatch, a ReceiveMessage returning 10) is one request, ' +
      'and each 64 KB chunk of a payload counts as one request. SSE-SQS (the queues\' encryption) costs nothing extra.',
  },
  eventBridgeCustomEvents: {
    usd: 1.0,
    unit: 'million events',
    source: EVENTBRIDGE_PRICING,
    note: 'Custom events put on a bus; each 64 KB chunk of an entry counts as one event. Same-account delivery to targets is not charged.',
  },
  eventBridgeArchiveProcessing: {
    usd: 0.1,
    unit: 'GB archived',
    source: EVENTBRIDGE_PRICING,
    note: 'Archive event processing; storage ($0.023 per GB-month) is left out: it depends on retention, not on the order. Confirmed through secondary sources quoting the page.',
  },
  httpApiRequests: {
    usd: 1.0,
    unit: 'million requests',
    source: API_GATEWAY_PRICING,
    note: 'HTTP APIs, first 300 million requests a month; metered in 512 KB increments.',
  },
  dynamoDbWriteRequestUnits: {
    usd: 0.625,
    unit: 'million write request units',
    source: DYNAMODB_ON_DEMAND_PRICING,
    note: 'Standard table class, on-demand (halved on 2024-11-01). 1 WRU per 1 KB written; a transactional write costs 2 per 1 KB. Confirmed through secondary sources quoting the page.',
  },
  dynamoDbReadRequestUnits: {
    usd: 0.125,
    unit: 'million read request units',
    source: DYNAMODB_ON_DEMAND_PRICING,
    note: 'Standard table class, on-demand. 1 RRU per strongly consistent read of up to 4 KB, 0.5 per eventually consistent one, 2 per transactional one. Confirmed through secondary sources quoting the page.',
  },
  cloudWatchLogsIngestion: {
    usd: 0.5,
    unit: 'GB ingested',
    source: CLOUDWATCH_PRICING,
    note: 'Standard log class; Lambda logs are tiered since 2025-05-01 and the first tier (up to 10 TB a month) is this price. Storage ($0.03 per GB-month) is left out.',
  },
  cloudWatchStandardAlarms: {
    usd: 0.1,
    unit: 'alarm-month',
    source: CLOUDWATCH_PRICING,
    note: 'Standard resolution (a period of 60 s or more), one metric per alarm; high-resolution alarms cost $0.30. Confirmed through secondary sources quoting the page.',
  },
  kmsCustomerManagedKeys: {
    usd: 1.0,
    unit: 'key-month',
    source: KMS_PRICING,
    note:
      'Each customer managed key. With automatic rotation, each of the first two rotations (a year apart) adds $1 a month, so a rotating key costs $2 in its second year and $3 from its third. ' +
      'Requests ($0.03 per 10,000) are made only when an alarm publishes and are left out.',
  },
} as const satisfies Record<string, Price>;

/** The prices the cost model reads, by name. */
export type Prices = { readonly [K in keyof typeof PRICES]: Price };
