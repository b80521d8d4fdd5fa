/**
 * The AWS SDK warns, once per process, that the Node.js it runs on (20 on this project's
 * machines) will soon be too old for it. Lambda runs the functions on Node.js 24, where the
 * notice never shows; locally it is noise in the tools' output and in the function logs.
 */

/** The variable that turns the notice off, for an environment being built (a function's, a test run's). */
export const SDK_NODE_NOTICE_OPT_OUT = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } as const;

/** Turns the notice off in this process, unless the user set the variable; call before any SDK client is made. */
export function silenceSdkNodeNotice(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= SDK_NODE_NOTICE_OPT_OUT.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
}
