import { describeCause } from './describeCause.ts';
import type { WorkflowEvent } from './workflowEvent.ts';

/** One line of a trace: an attempt's outcome, a retry, a catch, or a Map starting. */
export interface TraceEntry {
  state: string;
  stateType: string;
  index?: number;
  attempt: number;
  /** `succeeded`, `started` (Map), `retry`, `caught`, or the error name of a failed attempt. */
  outcome: string;
  durationMs?: number;
  /** Cause summary of a failure, wait before a retry, or the state a catch goes to. */
  detail?: string;
}

interface Attempt {
  attempt: number;
  startedAt: number;
  failedAt?: number;
}

/**
 * Turns workflow events into trace entries (state, attempt, outcome or error name, duration),
 * keeping each state's (and each Map iteration's) attempt count and start time.
 *
 * @example
 * const trace = new WorkflowTrace();
 * onEvent: (event) => { const entry = trace.record(event); if (entry) console.log(WorkflowTrace.format(entry)); }
 */
export class WorkflowTrace {
  readonly entries: TraceEntry[] = [];
  readonly #attempts = new Map<string, Attempt>();

  record(event: WorkflowEvent): TraceEntry | undefined {
    if (!('state' in event)) return undefined;
    const key = `${event.state}#${event.index ?? ''}`;
    const base = { state: event.state, stateType: event.stateType, ...(event.index === undefined ? {} : { index: event.index }) };
    const current = this.#attempts.get(key);
    let entry: TraceEntry | undefined;
    switch (event.type) {
      case 'StateEntered':
        this.#attempts.set(key, { attempt: 1, startedAt: event.at });
        if (event.stateType === 'Map' || event.stateType === 'Parallel') entry = { ...base, attempt: 1, outcome: 'started' };
        break;
      case 'StateExited':
        entry = { ...base, attempt: current?.attempt ?? 1, outcome: 'succeeded', durationMs: elapsed(current, event.at) };
        break;
      case 'StateFailed':
        if (current) current.failedAt = event.at;
        entry = { ...base, attempt: current?.attempt ?? 1, outcome: event.error, durationMs: elapsed(current, event.at), detail: describeCause(event.cause) };
        break;
      case 'StateRetried': {
        const waited = current?.failedAt === undefined ? undefined : event.at - current.failedAt;
        // Counted here: the engines number retries per retrier, the trace numbers attempts per state.
        const attempt = (current?.attempt ?? 1) + 1;
        this.#attempts.set(key, { attempt, startedAt: event.at });
        entry = { ...base, attempt, outcome: 'retry', ...(waited === undefined ? {} : { detail: `after ${waited} ms` }) };
        break;
      }
      case 'StateCaught':
        entry = { ...base, attempt: current?.attempt ?? 1, outcome: 'caught', detail: `→ ${event.next}` };
        break;
    }
    if (entry) this.entries.push(entry);
    return entry;
  }

  /** One fixed-width line: state [index], attempt, outcome, duration, detail. */
  static format(entry: TraceEntry): string {
    const name = entry.index === undefined ? entry.state : `${entry.state} [${entry.index}]`;
    const duration = entry.durationMs === undefined ? '' : `${entry.durationMs} ms`;
    const columns = [name.padEnd(26), String(entry.attempt).padEnd(8), entry.outcome.padEnd(20), duration.padStart(7)];
    return `${columns.join(' ')}${entry.detail ? `  ${entry.detail}` : ''}`.trimEnd();
  }

  /** The header matching `format`. */
  static header(): string {
    return `${'state'.padEnd(26)} ${'attempt'.padEnd(8)} ${'outcome'.padEnd(20)} ${'time'.padStart(7)}`;
  }
}

function elapsed(attempt: Attempt | undefined, at: number): number | undefined {
  return attempt ? at - attempt.startedAt : undefined;
}
