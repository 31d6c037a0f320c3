export interface CollectorProcess {
  /** http://127.0.0.1:PORT */
  base: string;
  /** What it printed so far. */
  output(): string;
  /** Stops it (SIGTERM) and removes its database. */
  close(): Promise<void>;
}
export function startCollectorProcess(): Promise<CollectorProcess>;
