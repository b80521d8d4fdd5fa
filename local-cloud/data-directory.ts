/**
 * The layout of the local cloud's data directory (`npm start -- --data DIR`): which service
 * keeps what where, as the options each service takes. The journals themselves are the generic
 * machinery of `persistence/`; each service names its own (its state model's `journalName`).
 *
 * - `DIR/sqs.journal`, `DIR/sqs.snapshot`: queues, messages (in flight included), FIFO
 *   deduplication, move tasks ({@link SqsServiceOptions.persistence}).
 * - `DIR/events.journal`, `DIR/events.snapshot`: buses, rules, targets, archives and their
 *   events, replays, unfinished deliveries ({@link EventBridgeServiceOptions.persistence}).
 * - `DIR/dynamodb/`: dynalite's LevelDB store of the tables ({@link LocalDynamoDbOptions.path});
 *   LevelDB writes each change to its log with write(2) before dynalite answers, so it
 *   survives SIGKILL like the journals do. `DIR/dynamodb.undo`: the items a transaction is
 *   changing, put back at the next start if the process died in the middle of it.
 * - `DIR/cognito/<pool id>.json`: each user pool's signing key and users ({@link LocalCognito.start}).
 */
import { join } from 'node:path';
import type { LocalDynamoDbOptions } from '#cloud/dynamodb/dynamodb-service';
import type { EventBridgeServiceOptions } from '#cloud/events/eventbridge-service';
import type { SqsServiceOptions } from '#cloud/sqs/sqs-service';
import type { LocalCognito } from '#cloud/cognito/cognito-service';

/** The persistence options of each local service, for one data directory. */
export interface DataDirectoryOptions {
  readonly sqs: Pick<SqsServiceOptions, 'persistence'>;
  readonly eventBridge: Pick<EventBridgeServiceOptions, 'persistence'>;
  readonly dynamoDb: LocalDynamoDbOptions;
  /** The directory of the user pools' state files. */
  readonly cognito: { readonly persistence: string };
}

/**
 * The options that keep every local service's state under `directory`, to spread into each
 * service's own options.
 *
 * @example
 * const data = dataDirectoryOptions(dataDir);
 * const sqs = new SqsService({ endpoint, ...data.sqs });
 * const events = new EventBridgeService({ sqs: sqsPort, ...data.eventBridge });
 * const dynamoDb = await startLocalDynamoDb(data.dynamoDb);
 */
export function dataDirectoryOptions(directory: string): DataDirectoryOptions {
  return {
    sqs: { persistence: directory },
    eventBridge: { persistence: directory },
    dynamoDb: { path: join(directory, 'dynamodb') },
    cognito: { persistence: join(directory, 'cognito') },
  };
}
