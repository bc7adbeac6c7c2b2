// The local bucket: a watched folder that emits the storage events a GCS bucket
// would (google.cloud.storage.object.v1.finalized / .deleted, as Eventarc
// delivers them) to the local broker. Files present at start are announced too,
// marked with the extension `ragnativerestated`, which the ingest step checks
// against the index: an unchanged file (same generation, that is mtime, already
// completely indexed) costs one query and nothing more. Files deleted while the
// stack was down are announced as deleted at start, from the manifest of what
// was present (bucket-manifest.ts).
import { CloudEvent } from 'cloudevents';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createPublisher } from '../../shared/http/publish-event.ts';
import { RESTATED } from '../../functions/ingest/storage-change.ts';
import { openBucketManifest } from './bucket-manifest.ts';

export interface WatchedFolder {
  close(): Promise<void>;
}

const IGNORED = /(^|\/)(\.|~)|~$|\.(swp|tmp|part|crdownload)$/;
const SETTLE_MS = 300; // editors write in several steps: announce once the file settles

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** `manifestFile` keeps what was present between runs (see bucket-manifest.ts). */
export async function watchFolder(dir: string, sinkUrl: string, bucket: string, manifestFile: string, onError: (error: unknown) => void): Promise<WatchedFolder> {
  await mkdir(dir, { recursive: true });
  const publish = createPublisher(sinkUrl);
  const manifest = await openBucketManifest(manifestFile, dir, onError);
  const pending = new Map<string, NodeJS.Timeout>();
  // fs.watch may report one change several times (e.g. from a parent and a new
  // subfolder's watcher): announce each distinct state of a file once.
  const announced = new Map<string, string>();

  /** `restated`: announced because the stack started, not because the file changed. */
  const announce = async (path: string, restated: boolean) => {
    const key = relative(dir, path).split(sep).join('/');
    if (IGNORED.test(key)) return;
    const info = await stat(path, { bigint: true }).catch(() => undefined);
    if (info && !info.isFile()) return;
    const deleted = !info;
    // A deletion's generation is the wall-clock time in nanoseconds, like a file's
    // mtime, so it orders after every earlier write and before every later one.
    const generation = deleted ? BigInt(Date.now()) * 1_000_000n : info.mtimeNs;
    const data = {
      bucket,
      name: key,
      generation: generation.toString(),
      ...(info ? { size: info.size.toString(), updated: new Date(Number(info.mtimeMs)).toISOString() } : {}),
    };
    const type = `google.cloud.storage.object.v1.${deleted ? 'deleted' : 'finalized'}`;
    const state = deleted ? 'deleted' : `${info.mtimeNs}:${info.size}`;
    if (announced.get(key) === state) return;
    announced.set(key, state);
    const source = `//storage.googleapis.com/projects/_/buckets/${bucket}`;
    await publish(new CloudEvent<unknown>({ type, source, subject: `objects/${key}`, datacontenttype: 'application/json', data, ...(restated ? { [RESTATED]: 'true' } : {}) }));
    if (deleted) manifest.gone(key);
    else manifest.present(key);
  };

  const schedule = (path: string, restated = false) => {
    clearTimeout(pending.get(path));
    pending.set(path, setTimeout(() => {
      pending.delete(path);
      announce(path, restated).catch(onError);
    }, SETTLE_MS));
  };

  const watcher: FSWatcher = watch(dir, { recursive: true }, (_event, name) => {
    if (name) schedule(join(dir, name.toString()));
  });
  watcher.on('error', onError);
  const found = new Set<string>();
  for await (const path of walk(dir)) {
    found.add(relative(dir, path).split(sep).join('/'));
    schedule(path, true);
  }
  for (const key of manifest.previous) if (!found.has(key)) schedule(join(dir, key), true); // deleted while the stack was down
  return {
    async close() {
      watcher.close();
      for (const timer of pending.values()) clearTimeout(timer);
      await manifest.flush();
    },
  };
}
