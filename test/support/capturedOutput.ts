/** Text written to stdout/stderr during the current test (filled by test/setup/secretGuard.ts). */
export const captured: { lines: string[] } = { lines: [] };

/** Log records (JSON lines) captured so far in this test. */
export function capturedLogRecords(): Record<string, unknown>[] {
  return captured.lines
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return {};
      }
    });
}
