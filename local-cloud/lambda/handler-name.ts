import { LocalFunctionConfigError } from './errors.ts';

/** Where a handler lives in the bundle: the module path (without extension) and the export. */
export interface HandlerLocation {
  /** Path of the module relative to the code directory, without extension, e.g. `index` or `src/app`. */
  readonly modulePath: string;
  /** Name of the exported function, e.g. `handler`. */
  readonly exportName: string;
}

/**
 * Splits a Lambda handler string (`index.handler`, `src/app.main`) at its last dot, as the
 * Node.js runtime does: the part before is the module, the part after the export.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html#nodejs-handler-naming
 * @throws LocalFunctionConfigError when either part is empty.
 */
export function parseHandler(handler: string): HandlerLocation {
  const dot = handler.lastIndexOf('.');
  const modulePath = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  if (dot < 0 || modulePath === '' || exportName === '') {
    throw new LocalFunctionConfigError(
      `Handler "${handler}" is invalid: expected <module>.<export>, e.g. index.handler`,
    );
  }
  return { modulePath, exportName };
}
