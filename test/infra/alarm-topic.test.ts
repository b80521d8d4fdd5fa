import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ALARM_EMAIL_CONTEXT_KEY, AlarmTopic, alarmEmailFromContext, type AlarmTopicProps } from '#infra/alarm-topic';
import { InvalidPropError } from '#infra/validation';
import { referencedId, resourcesOfType, type TemplateJson } from './template-queries.ts';

/** The statement a policy document grants to the CloudWatch service principal. */
function cloudWatchStatement(document: { Statement: Record<string, any>[] }): Record<string, any> | undefined {
  return document.Statement.find((statement) => statement.Effect === 'Allow' && statement.Principal?.Service === 'cloudwatch.amazonaws.com');
}

function synthesizeAlarmTopic(props: AlarmTopicProps = {}): { json: TemplateJson } {
  const stack = new Stack(new App(), 'Test');
  new AlarmTopic(stack, 'AlarmTopic', props);
  return { json: Template.fromStack(stack).toJSON() as TemplateJson };
}

function only(json: TemplateJson, type: string): [string, Record<string, any>] {
  const found = resourcesOfType(json, type);
  expect(found).toHaveLength(1);
  return [found[0]![0], found[0]![1].Properties ?? {}];
}

/** The conditions that keep a grant to alarms of the stack's own account and region. */
const FROM_OUR_ALARMS = {
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
  ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] } },
};

describe('AlarmTopic', () => {
  describe('with defaults', () => {
    const { json } = synthesizeAlarmTopic();

    it('encrypts the topic with its own KMS key, which rotates', () => {
      const [keyId, key] = only(json, 'AWS::KMS::Key');
      const [, topic] = only(json, 'AWS::SNS::Topic');

      expect(referencedId(topic.KmsMasterKeyId)).toBe(keyId);
      expect(key.EnableKeyRotation).toBe(true);
    });

    it("lets CloudWatch alarms of the stack's account and region use the key, and only to publish", () => {
      const [, key] = only(json, 'AWS::KMS::Key');

      expect(cloudWatchStatement(key.KeyPolicy)).toMatchObject({ Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*', Condition: FROM_OUR_ALARMS });
    });

    it("lets CloudWatch alarms of the stack's account and region publish, and refuses publishing without TLS", () => {
      const [topicId] = only(json, 'AWS::SNS::Topic');
      const [, policy] = only(json, 'AWS::SNS::TopicPolicy');

      expect(policy.Topics).toEqual([{ Ref: topicId }]);
      expect(cloudWatchStatement(policy.PolicyDocument)).toMatchObject({ Action: 'sns:Publish', Resource: { Ref: topicId }, Condition: FROM_OUR_ALARMS });
      expect(policy.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    });

    it('subscribes nobody', () => {
      expect(resourcesOfType(json, 'AWS::SNS::Subscription')).toEqual([]);
    });
  });

  it('e-mails the address it is given', () => {
    const { json } = synthesizeAlarmTopic({ email: 'ops@example.com' });

    const [topicId] = only(json, 'AWS::SNS::Topic');
    expect(only(json, 'AWS::SNS::Subscription')[1]).toEqual({ Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } });
  });

  it('refuses an email that is not an e-mail address, naming it', () => {
    const create = () => synthesizeAlarmTopic({ email: 'ops.example.com' });

    expect(create).toThrow(InvalidPropError);
    expect(create).toThrow('email must be an e-mail address (e.g. ops@example.com), got "ops.example.com"');
  });
});

describe('alarmEmailFromContext', () => {
  function withContext(context: Record<string, unknown>): () => string | undefined {
    return () => alarmEmailFromContext(new App({ context }));
  }

  it('is undefined without the context value', () => {
    expect(withContext({})()).toBeUndefined();
  });

  it('is the context value when it is an e-mail address', () => {
    expect(withContext({ [ALARM_EMAIL_CONTEXT_KEY]: 'ops@example.com' })()).toBe('ops@example.com');
  });

  it.each(['ops', '', 'ops@', 'two words@example.com', 42])('refuses the context value %j, saying what it must be', (value) => {
    expect(withContext({ [ALARM_EMAIL_CONTEXT_KEY]: value })).toThrow(InvalidPropError);
    expect(withContext({ [ALARM_EMAIL_CONTEXT_KEY]: value })).toThrow(
      `context value alarmEmail must be an e-mail address (e.g. cdk deploy -c alarmEmail=ops@example.com), got ${JSON.stringify(value)}`,
    );
  });
});
