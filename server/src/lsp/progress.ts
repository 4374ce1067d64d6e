// Server-initiated work-done progress ($/progress), created only when the
// client supports it and never allowed to stall the work it reports on.
import {
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type Connection,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver';

export interface Progress {
  report(done: number, total: number): void;
  done(message?: string): void;
}

const NO_PROGRESS: Progress = { report() {}, done() {} };
let nextToken = 1;

export async function startProgress(connection: Connection, supported: boolean, title: string, message: string): Promise<Progress> {
  if (!supported) return NO_PROGRESS;
  const token = `kube-expose/index/${nextToken++}`;
  try {
    // A client that never answers must not hold the indexing up.
    const created = await Promise.race([
      connection.sendRequest(WorkDoneProgressCreateRequest.type, { token }).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref()),
    ]);
    if (!created) return NO_PROGRESS;
  } catch {
    return NO_PROGRESS;
  }
  const send = (value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd) => {
    connection.sendProgress(WorkDoneProgress.type, token, value).catch(() => undefined);
  };
  send({ kind: 'begin', title, message, percentage: 0, cancellable: false });
  let last = -1;
  let ended = false;
  return {
    report(done, total) {
      if (ended) return;
      const percentage = total ? Math.min(100, Math.floor((done / total) * 100)) : 100;
      if (percentage === last) return;
      last = percentage;
      send({ kind: 'report', message: `${done}/${total} files`, percentage });
    },
    done(msg) {
      if (ended) return;
      ended = true;
      send({ kind: 'end', message: msg });
    },
  };
}
