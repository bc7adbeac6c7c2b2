// Work a function must finish before its process exits, such as events still
// queued for the Broker: registered by the function's module, run by
// serve-function on SIGTERM or SIGINT, each given the same bounded time.
export type ShutdownTask = (timeoutMs: number) => Promise<void>;

const tasks: ShutdownTask[] = [];

export function onShutdown(task: ShutdownTask): void {
  tasks.push(task);
}

export async function runShutdownTasks(timeoutMs: number): Promise<void> {
  await Promise.all(tasks.map((task) => task(timeoutMs).catch(() => undefined)));
}
