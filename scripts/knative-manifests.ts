// Reads the Knative manifests under knative/: the source of truth for how events
// are routed, in the cluster and in the local broker alike.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const KNATIVE_DIR = fileURLToPath(new URL('../knative', import.meta.url));

export interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Route {
  trigger: string;
  /** Exact CloudEvent types the Trigger passes (all must match). */
  exact: Record<string, string>;
  subscriber: string;
}

export async function loadManifests(dir = KNATIVE_DIR): Promise<Manifest[]> {
  const files = (await readdir(dir, { recursive: true })).filter((f) => /\.ya?ml$/.test(f)).sort();
  const manifests: Manifest[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(join(dir, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      const value = doc.toJS() as Manifest | null;
      if (value) manifests.push({ ...value, file });
    }
  }
  return manifests;
}

/** Each Trigger as a route: its exact-match filters and the Service it delivers to. */
export function routesOf(manifests: Manifest[]): Route[] {
  return manifests
    .filter((m) => m.kind === 'Trigger')
    .map((m) => {
      const spec = m.spec as { filters?: { exact?: Record<string, string> }[]; subscriber: { ref: { name: string } } };
      const exact = Object.assign({}, ...(spec.filters ?? []).map((f) => f.exact ?? {})) as Record<string, string>;
      return { trigger: m.metadata.name, exact, subscriber: spec.subscriber.ref.name };
    });
}
