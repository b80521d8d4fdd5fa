/** Types of dynalite's entry point (the package ships none). */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB directory; in memory when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  /** Creates (but does not start) a DynamoDB-compatible HTTP server. */
  export default function dynalite(options?: DynaliteOptions): Server;
}
