import { randomUUID } from 'node:crypto';
import { MoveTaskStatus, SqsLimits } from '#cloud/sqs/constants';
import { SqsErrors } from '#cloud/sqs/errors';
import type { Queue } from '#cloud/sqs/queue';
import type {
  CancelMessageMoveTaskInput,
  CancelMessageMoveTaskOutput,
  ListMessageMoveTasksInput,
  ListMessageMoveTasksOutput,
  MessageMoveTaskEntry,
  StartMessageMoveTaskInput,
  StartMessageMoveTaskOutput,
} from '#cloud/sqs/types';
import { optionalInteger, optionalString, requiredString } from '#cloud/sqs/validation';
import type { ChangeSink, DeepReadonly } from '#cloud/persistence/change-log';
import type { SqsChange } from '#cloud/sqs/changes';
import type { MoveTaskState } from '#cloud/sqs/state';

/** What the tasks need from the service. */
export interface MoveTaskEnvironment {
  readonly now: () => number;
  /** The queue with this ARN, if it exists. */
  readonly queueByArn: (arn: string) => Queue | undefined;
  /** Whether some queue's RedrivePolicy names this ARN as its dead-letter queue. */
  readonly isDeadLetterQueue: (arn: string) => boolean;
  /** The tasks, in the order they started: the service's state, changed only by committing. */
  readonly tasks: readonly DeepReadonly<MoveTaskState>[];
  /** Where the tasks commit their changes. */
  readonly changes: ChangeSink<SqsChange>;
}

/** How often a running task moves its next share of messages. */
const TICK_MS = 100;

/**
 * The message move tasks of one SQS service (DLQ redrive): StartMessageMoveTask,
 * CancelMessageMoveTask, ListMessageMoveTasks. A task moves the messages visible in a
 * dead-letter queue when it starts, at most `MaxNumberOfMessagesPerSecond` a second, to the
 * destination or back to each message's source queue, then completes.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 */
export class MessageMoveTasks {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly environment: MoveTaskEnvironment) {}

  /** StartMessageMoveTask. */
  start(input: StartMessageMoveTaskInput): StartMessageMoveTaskOutput {
    const sourceArn = requiredString(input.SourceArn, 'SourceArn');
    const destinationArn = optionalString(input.DestinationArn, 'DestinationArn');
    const rate = optionalInteger(input.MaxNumberOfMessagesPerSecond, 'MaxNumberOfMessagesPerSecond', 1, SqsLimits.maxMoveRatePerSecond);
    const source = this.environment.queueByArn(sourceArn);
    if (source === undefined) {
      throw SqsErrors.resourceNotFound('The resource that you specified for the SourceArn parameter doesn\'t exist.');
    }
    if (!this.environment.isDeadLetterQueue(sourceArn)) {
      throw SqsErrors.invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
    }
    if (destinationArn !== undefined && this.environment.queueByArn(destinationArn) === undefined) {
      throw SqsErrors.resourceNotFound('The resource that you specified for the DestinationArn parameter doesn\'t exist.');
    }
    if (this.environment.tasks.some((task) => task.sourceArn === sourceArn && task.status === MoveTaskStatus.running)) {
      throw SqsErrors.invalidParameterValue(
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      );
    }
    const now = this.environment.now();
    const task: MoveTaskState = {
      taskId: randomUUID(),
      sourceArn,
      ...(destinationArn === undefined ? {} : { destinationArn }),
      ...(rate === undefined ? {} : { maxNumberOfMessagesPerSecond: rate }),
      status: MoveTaskStatus.running,
      moved: 0,
      toMove: source.counts(now).visible,
      startedTimestamp: now,
    };
    this.environment.changes.commit({ type: 'move-task-started', task });
    this.schedule(task.taskId);
    return { TaskHandle: encodeTaskHandle(task) };
  }

  /** CancelMessageMoveTask: stops a running task; messages already moved stay moved. */
  cancel(input: CancelMessageMoveTaskInput): CancelMessageMoveTaskOutput {
    const handle = requiredString(input.TaskHandle, 'TaskHandle');
    const task = this.environment.tasks.find((candidate) => candidate.taskId === decodeTaskId(handle));
    if (task === undefined) throw SqsErrors.resourceNotFound('Task does not exist.');
    if (task.status !== MoveTaskStatus.running) {
      throw SqsErrors.invalidParameterValue('Only active tasks can be cancelled.');
    }
    // AWS passes through CANCELLING while in-flight moves settle; here moves are synchronous.
    this.finish(task, MoveTaskStatus.cancelled);
    return { ApproximateNumberOfMessagesMoved: task.moved };
  }

  /** ListMessageMoveTasks: the most recent tasks of a source queue, newest first. */
  list(input: ListMessageMoveTasksInput): ListMessageMoveTasksOutput {
    const sourceArn = requiredString(input.SourceArn, 'SourceArn');
    const maxResults = optionalInteger(input.MaxResults, 'MaxResults', 1, SqsLimits.maxMoveTaskResults) ?? 1;
    if (this.environment.queueByArn(sourceArn) === undefined) {
      throw SqsErrors.resourceNotFound('The resource that you specified for the SourceArn parameter doesn\'t exist.');
    }
    const results = this.environment.tasks
      .filter((task) => task.sourceArn === sourceArn)
      .reverse()
      .slice(0, maxResults)
      .map(toEntry);
    return results.length > 0 ? { Results: results } : {};
  }

  /**
   * Carries on the running tasks of a state read back from disk, where they stopped, as an AWS
   * task does not notice a restart of the service.
   */
  resume(): void {
    for (const task of this.environment.tasks) {
      if (task.status === MoveTaskStatus.running) this.schedule(task.taskId);
    }
  }

  /** Stops every running task's timer (service shutdown). */
  close(): void {
    for (const timer of this.timers.values()) clearInterval(timer);
    this.timers.clear();
  }

  private schedule(taskId: string): void {
    let budget = 0;
    const timer = setInterval(() => {
      const task = this.environment.tasks.find((candidate) => candidate.taskId === taskId);
      if (task === undefined) return;
      budget += task.maxNumberOfMessagesPerSecond === undefined ? Infinity : (task.maxNumberOfMessagesPerSecond * TICK_MS) / 1000;
      // One journal line per tick: the moves and the task's progress are on disk together.
      const moved = this.environment.changes.batch(() => this.moveSome(task, budget));
      budget = Number.isFinite(budget) ? budget - moved : 0;
    }, TICK_MS);
    timer.unref();
    this.timers.set(taskId, timer);
  }

  /** Moves up to `budget` messages; returns how many it moved. */
  private moveSome(task: DeepReadonly<MoveTaskState>, budget: number): number {
    const source = this.environment.queueByArn(task.sourceArn);
    if (source === undefined) {
      this.finish(task, MoveTaskStatus.failed, 'The source queue was deleted.');
      return 0;
    }
    let moved = 0;
    while (moved < Math.floor(Math.min(budget, Number.MAX_SAFE_INTEGER)) && task.moved < task.toMove) {
      const now = this.environment.now();
      const message = source.firstVisible(now);
      if (message === undefined) break;
      const destinationArn = task.destinationArn ?? message.deadLetterQueueSourceArn;
      const destination = destinationArn === undefined ? undefined : this.environment.queueByArn(destinationArn);
      if (destination === undefined) {
        this.finish(
          task,
          MoveTaskStatus.failed,
          destinationArn === undefined
            ? `Message ${message.messageId} was not moved to this queue by a redrive policy, so it has no source queue to return to.`
            : `The destination queue ${destinationArn} does not exist.`,
        );
        return moved;
      }
      source.take(message);
      destination.adopt(message, now, { redriven: true });
      this.environment.changes.commit({ type: 'move-task-progressed', taskId: task.taskId, moved: task.moved + 1 });
      moved += 1;
    }
    if (task.moved >= task.toMove || source.firstVisible(this.environment.now()) === undefined) {
      this.finish(task, MoveTaskStatus.completed);
    }
    return moved;
  }

  private finish(task: DeepReadonly<MoveTaskState>, status: MoveTaskStatus, failureReason?: string): void {
    this.environment.changes.commit({ type: 'move-task-finished', taskId: task.taskId, status, ...(failureReason === undefined ? {} : { failureReason }) });
    clearInterval(this.timers.get(task.taskId));
    this.timers.delete(task.taskId);
  }
}

function toEntry(task: DeepReadonly<MoveTaskState>): MessageMoveTaskEntry {
  return {
    ...(task.status === MoveTaskStatus.running ? { TaskHandle: encodeTaskHandle(task) } : {}),
    Status: task.status,
    SourceArn: task.sourceArn,
    ...(task.destinationArn === undefined ? {} : { DestinationArn: task.destinationArn }),
    ...(task.maxNumberOfMessagesPerSecond === undefined ? {} : { MaxNumberOfMessagesPerSecond: task.maxNumberOfMessagesPerSecond }),
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    ...(task.failureReason === undefined ? {} : { FailureReason: task.failureReason }),
    StartedTimestamp: task.startedTimestamp,
  };
}

/** Task handles are opaque to clients; like AWS's, they name the task and its source queue. */
function encodeTaskHandle(task: Pick<MoveTaskState, 'taskId' | 'sourceArn'>): string {
  return Buffer.from(JSON.stringify({ taskId: task.taskId, sourceArn: task.sourceArn }), 'utf8').toString('base64');
}

function decodeTaskId(handle: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(handle, 'base64').toString('utf8'));
    const taskId = (parsed as { taskId?: unknown } | null)?.taskId;
    return typeof taskId === 'string' ? taskId : undefined;
  } catch {
    return undefined;
  }
}
