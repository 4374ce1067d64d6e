// Running the engine's pending checks in time slices, so a big backlog (start-up,
// a configuration change) never blocks the server's event loop for long.
import type { Workspace } from '../engine/workspace';

export interface SliceResult {
  /** files whose findings may have changed */
  touched: Set<string>;
  /** true when no check is left */
  done: boolean;
}

/** Number of resources waiting to be checked. */
export function pendingChecks(ws: Workspace): number {
  return ws.pendingChecks;
}

/** Runs pending checks for about `budgetMs`. */
export function flushFor(ws: Workspace, budgetMs: number): SliceResult {
  const touched = ws.flush(budgetMs);
  return { touched, done: ws.pendingChecks === 0 };
}
