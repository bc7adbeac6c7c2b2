// Server-Timing (https://www.w3.org/TR/server-timing/): how long a step spent on
// the work it waits on (the embedding model, Milvus, the LLM), by name, in the
// header of its reply, so that the caller can tell that work apart from the
// pipeline's own time (HTTP hops, CloudEvents, validation).
const round = (ms: number) => Math.round(ms * 100) / 100;

export interface ServerTiming {
  /** Runs the work and adds its duration under `name`. */
  time<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Milliseconds per name, as timed. */
  durations(): Record<string, number>;
  /** The header's value, or undefined when nothing was timed. */
  header(): string | undefined;
}

export function createServerTiming(): ServerTiming {
  const spent = new Map<string, number>();
  return {
    async time(name, work) {
      const started = performance.now();
      try {
        return await work();
      } finally {
        spent.set(name, (spent.get(name) ?? 0) + performance.now() - started);
      }
    },
    durations: () => Object.fromEntries(spent),
    header: () => (spent.size === 0 ? undefined : [...spent].map(([name, ms]) => `${name};dur=${round(ms)}`).join(', ')),
  };
}

/** Durations by name from a Server-Timing header; entries without a valid `dur` are left out. */
export function parseServerTiming(header: string | null): Record<string, number> {
  const spent: Record<string, number> = {};
  for (const entry of (header ?? '').split(',')) {
    const [name, ...params] = entry.trim().split(';').map((part) => part.trim());
    const dur = params.map((p) => /^dur=(\d+(?:\.\d+)?)$/i.exec(p)?.[1]).find((d) => d !== undefined);
    if (name && /^[\w.-]+$/.test(name) && dur !== undefined) spent[name] = Number(dur);
  }
  return spent;
}
