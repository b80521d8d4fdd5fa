import { describe, expect, it } from 'vitest';
import { InvalidLoggingConfigError, loggingConfigFromTemplate, writesPlatformInvocationLines, type LambdaLoggingConfig } from '#cloud/lambda/logging-config';

describe('loggingConfigFromTemplate', () => {
  it.each([
    { given: undefined, expected: { logFormat: 'Text' } },
    { given: { LogGroup: { Ref: 'Logs' } }, expected: { logFormat: 'Text' } },
    { given: { LogFormat: 'Text' }, expected: { logFormat: 'Text' } },
    { given: { LogFormat: 'JSON' }, expected: { logFormat: 'JSON', applicationLogLevel: 'INFO', systemLogLevel: 'INFO' } },
    { given: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'WARN' }, expected: { logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'WARN' } },
    { given: { LogFormat: 'JSON', ApplicationLogLevel: 'TRACE' }, expected: { logFormat: 'JSON', applicationLogLevel: 'TRACE', systemLogLevel: 'INFO' } },
  ])("reads $given as Lambda applies it: $expected", ({ given, expected }) => {
    expect(loggingConfigFromTemplate(given)).toEqual(expected);
  });

  it.each([
    { given: { LogFormat: 'json' }, message: /LogFormat must be one of Text, JSON, got "json"/ },
    { given: { LogFormat: 'JSON', ApplicationLogLevel: 'VERBOSE' }, message: /ApplicationLogLevel must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, got "VERBOSE"/ },
    { given: { LogFormat: 'JSON', SystemLogLevel: 'ERROR' }, message: /SystemLogLevel must be one of DEBUG, INFO, WARN, got "ERROR"/ },
    { given: { SystemLogLevel: 'WARN' }, message: /need LogFormat JSON/ },
  ])('refuses $given, as Lambda would', ({ given, message }) => {
    expect(() => loggingConfigFromTemplate(given)).toThrow(InvalidLoggingConfigError);
    expect(() => loggingConfigFromTemplate(given)).toThrow(message);
  });
});

describe('writesPlatformInvocationLines', () => {
  it.each<{ config: LambdaLoggingConfig; expected: boolean }>([
    { config: { logFormat: 'Text' }, expected: true },
    { config: { logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'DEBUG' }, expected: true },
    { config: { logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'INFO' }, expected: true },
    { config: { logFormat: 'JSON', applicationLogLevel: 'DEBUG', systemLogLevel: 'WARN' }, expected: false },
  ])('is $expected for $config', ({ config, expected }) => {
    expect(writesPlatformInvocationLines(config)).toBe(expected);
  });
});
