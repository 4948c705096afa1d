type Command = (params: any) => Promise<unknown>;

/**
 * The child side of `BenchChild`: answers each IPC command with the named handler's result (or
 * its error message), and exits once the parent closes the channel.
 *
 * @example
 * serveBenchCommands({ async batch({ calls }) { return timeCalls(calls); } });
 */
export function serveBenchCommands(commands: Record<string, Command>, onExit: () => Promise<void> = async () => undefined): void {
  process.on('message', (message: { id: number; command: string; params: unknown }) => {
    const command = commands[message.command];
    const answer = command ? command(message.params) : Promise.reject(new Error(`unknown bench command ${message.command}`));
    answer.then(
      (result) => process.send?.({ id: message.id, result }),
      (error: unknown) => process.send?.({ id: message.id, error: describe(error) }),
    );
  });
  process.once('disconnect', () => {
    void onExit().finally(() => process.exit(0));
  });
}

/** Names and codes only: an error from a call might quote a request, never a secret, but stay terse. */
function describe(error: unknown): string {
  const { name, message, code } = error as Error & { code?: string };
  return `${name}${code ? ` (${code})` : ''}: ${message}`.slice(0, 2000);
}
