/**
 * The console's front end (`web/`), bundled with the project's esbuild when the console starts:
 * its libraries (Cytoscape.js with the dagre layout, uPlot) come from node_modules into one
 * script and one stylesheet served by the console itself, so the page works offline, with no
 * CDN and no build step before `npm start`.
 */
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

const WEB_DIRECTORY = new URL('./web/', import.meta.url);

/** The files the console serves, by path. */
export interface WebAssets {
  readonly 'index.html': string;
  readonly 'app.js': string;
  readonly 'app.css': string;
}

/** Bundles the front end in memory (a few hundred milliseconds). */
export async function bundleWebAssets(): Promise<WebAssets> {
  const result = await build({
    entryPoints: [new URL('app.ts', WEB_DIRECTORY).pathname],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: '/',
    entryNames: 'app',
    write: false,
    logLevel: 'warning',
  });
  const output = (extension: string) => result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? '';
  return { 'index.html': await readFile(new URL('index.html', WEB_DIRECTORY), 'utf8'), 'app.js': output('.js'), 'app.css': output('.css') };
}
