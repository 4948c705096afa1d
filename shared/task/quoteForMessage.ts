import { TaskLimits } from './taskLimits.ts';

/**
 * A piece of input quoted for an error message: cut so a huge value never lands in a log line or
 * a Step Functions `Cause`, and JSON-escaped so control characters cannot break the line.
 */
export function quoteForMessage(value: string): string {
  const clipped =
    value.length > TaskLimits.messageClipLength ? `${value.slice(0, TaskLimits.messageClipLength)}…` : value;
  return JSON.stringify(clipped);
}
