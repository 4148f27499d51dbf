/** A service's V8 heap in MiB: what its JavaScript holds (used) and what V8 has reserved for it (total). */
export interface HeapMiB {
  used: number;
  total: number;
}

const mebibytes = (bytes: number) => bytes / 2 ** 20;

/** Reads the heap gauges prom-client's default metrics put on a service's /metrics. */
export async function heapOf(url: string): Promise<HeapMiB> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const gauge = (name: string) => {
    const value = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1];
    if (value === undefined) throw new Error(`${url}/metrics has no ${name}`);
    return mebibytes(Number(value));
  };
  return { used: gauge('nodejs_heap_size_used_bytes'), total: gauge('nodejs_heap_size_total_bytes') };
}

/** Reads each service's heap every everyMs (as a scrape would); stop() gives the highest of each. */
export function heapPeaks<K extends string>(urls: Record<K, string>, everyMs = 1_000) {
  const names = Object.keys(urls) as K[];
  const peak = Object.fromEntries(names.map((name) => [name, { used: 0, total: 0 }])) as Record<K, HeapMiB>;
  const sample = async () => {
    await Promise.all(
      names.map(async (name) => {
        const heap = await heapOf(urls[name]);
        peak[name] = {
          used: Math.max(peak[name].used, heap.used),
          total: Math.max(peak[name].total, heap.total),
        };
      }),
    );
  };
  let failure: unknown;
  const sampleOnce = () => sample().catch((err: unknown) => (failure ??= err));
  let sampling = sampleOnce();
  // One read at a time: a slow answer delays the next sample instead of piling reads up.
  const timer = setInterval(() => {
    sampling = sampling.then(sampleOnce);
  }, everyMs);
  return {
    /** Stops sampling and gives the peaks; a failed read fails here, not silently. */
    stop: async (): Promise<Record<K, HeapMiB>> => {
      clearInterval(timer);
      await sampling;
      if (failure) throw failure;
      return { ...peak };
    },
  };
}
