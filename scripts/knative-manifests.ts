// Reads the Knative manifests under knative/: the source of truth for how events
// are routed, in the cluster and in the local broker alike.
import { readdir, readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
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

/**
 * Every manifest under `dir`, except the overlays in `optional/<name>/` that are
 * not asked for. An overlay's manifest replaces the one of the same kind,
 * namespace and name, as `kubectl apply` of the overlay after the base would.
 */
export async function loadManifests(dir = KNATIVE_DIR, { optional = [] }: { optional?: readonly string[] } = {}): Promise<Manifest[]> {
  const wanted = (file: string) => {
    const overlay = /^optional\/([^/]+)\//.exec(file.split(sep).join('/'))?.[1];
    return overlay === undefined || optional.includes(overlay);
  };
  const files = (await readdir(dir, { recursive: true })).filter((f) => /\.ya?ml$/.test(f) && wanted(f)).sort();
  const manifests = new Map<string, Manifest>();
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(join(dir, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      const value = doc.toJS() as Manifest | null;
      // Documents that are not Kubernetes objects (Helm values) keep their own place.
      const key = value?.metadata?.name ? `${value.kind}/${value.metadata.namespace ?? ''}/${value.metadata.name}` : `${file}#${manifests.size}`;
      if (value) manifests.set(key, { ...value, file });
    }
  }
  return [...manifests.values()];
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
