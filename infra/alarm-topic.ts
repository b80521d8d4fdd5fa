/**
 * Where the pipeline's alarms go: an SNS topic encrypted with a KMS key of its own, which only
 * TLS requests and the CloudWatch alarms of this account and region may publish to, and which
 * e-mails an operator when the `alarmEmail` context value names one.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import * as z from 'zod/mini';
import { InvalidPropError } from '#infra/validation';

/** The CDK context value that subscribes an e-mail address to the alarms: `cdk deploy -c alarmEmail=ops@example.com`. */
export const ALARM_EMAIL_CONTEXT_KEY = 'alarmEmail';

/** The service principal CloudWatch alarms act as when they run an SNS action. */
const CLOUDWATCH_PRINCIPAL = new ServicePrincipal('cloudwatch.amazonaws.com');

const EMAIL_ADDRESS = z.email();

/**
 * The `alarmEmail` context value, if any.
 * @throws InvalidPropError naming the context value when it is not an e-mail address.
 */
export function alarmEmailFromContext(scope: Construct): string | undefined {
  const requested: unknown = scope.node.tryGetContext(ALARM_EMAIL_CONTEXT_KEY);
  if (requested === undefined) return undefined;
  if (typeof requested !== 'string' || !z.safeParse(EMAIL_ADDRESS, requested).success) {
    throw new InvalidPropError(
      ALARM_EMAIL_CONTEXT_KEY,
      requested,
      `context value ${ALARM_EMAIL_CONTEXT_KEY} must be an e-mail address (e.g. cdk deploy -c ${ALARM_EMAIL_CONTEXT_KEY}=ops@example.com), got ${JSON.stringify(requested)}`,
    );
  }
  return requested;
}

/** Properties of an `AlarmTopic`. */
export interface AlarmTopicProps {
  /**
   * An address that gets every notification by e-mail. SNS mails it a confirmation link first;
   * nothing is delivered until someone follows it.
   * @default - no subscription: the notifications reach whoever subscribes to the topic later
   */
  readonly email?: string;
}

/**
 * An SNS topic for alarm notifications that satisfies cdk-nag's SNS rules (encrypted at rest,
 * TLS only) and still lets CloudWatch publish to it. Two grants make that work, and a missing
 * one fails silently, only in the alarm's history ("Failed to execute action"):
 * - the topic policy must allow `cloudwatch.amazonaws.com` to publish: CDK's `enforceSSL`
 *   writes a topic policy, which replaces SNS's default one;
 * - the key policy must let CloudWatch use the key (`kms:GenerateDataKey*`, `kms:Decrypt`).
 *   That is why the key is a customer managed one: the policy of SNS's AWS managed key
 *   (`alias/aws/sns`) cannot be changed and does not let CloudWatch use it.
 * Both grants hold only for alarms of this account and region (`aws:SourceAccount`,
 * `aws:SourceArn`), so another account's alarms cannot use them (confused deputy).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * @see https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
 */
export class AlarmTopic extends Construct {
  /** The topic every alarm notifies. */
  readonly topic: Topic;
  /** The key that encrypts the topic's messages at rest. */
  readonly key: Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    if (props.email !== undefined && !z.safeParse(EMAIL_ADDRESS, props.email).success) {
      throw new InvalidPropError('email', props.email, `email must be an e-mail address (e.g. ops@example.com), got ${JSON.stringify(props.email)}`);
    }
    const stack = Stack.of(this);
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    };

    this.key = new Key(this, 'Key', {
      description: 'Encrypts the order pipeline alarm notifications at rest in SNS',
      enableKeyRotation: true,
      // The key protects only notifications in transit through SNS, none kept anywhere: when
      // the stack goes, the key may go too (after KMS's waiting period, shortened to a week).
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [CLOUDWATCH_PRINCIPAL],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: fromOurAlarms,
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      displayName: 'Order pipeline alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [CLOUDWATCH_PRINCIPAL],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOurAlarms,
      }),
    );
    if (props.email !== undefined) {
      const subscription = this.topic.addSubscription(new EmailSubscription(props.email));
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'An e-mail subscription that carries alarm notifications only: a notification that could not be mailed loses nothing, since the alarm keeps its state and history in CloudWatch, and a dead-letter queue for it would need an alarm of its own, notifying this same topic.',
      });
    }
  }
}
