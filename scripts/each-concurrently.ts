// Runs `fn` over the items with at most `concurrency` calls in flight, each
// worker taking the next item as soon as its last one is done. Shared by the
// CLI's folder upload and the benchmarks that drive a step at a fixed concurrency.
export async function eachConcurrently<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
