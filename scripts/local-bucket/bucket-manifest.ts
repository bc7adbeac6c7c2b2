// What the local bucket last announced as present, kept across restarts, so that
// a file deleted while the stack was down is announced as deleted at the next
// start (a real bucket sends that event when it happens). A manifest written for
// another folder is ignored: pointing RAG_WATCH_DIR elsewhere deletes nothing.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface BucketManifest {
  /** Keys announced as present when the stack last ran over this folder. */
  readonly previous: ReadonlySet<string>;
  present(key: string): void;
  gone(key: string): void;
  /** Writes what changed (also done shortly after each change). */
  flush(): Promise<void>;
}

interface Stored {
  folder: string;
  keys: string[];
}

const WRITE_DELAY_MS = 500;

/** The keys stored for this folder; none when there is no manifest, it is for another folder, or it cannot be read (reported). */
async function read(file: string, folder: string, onError: (error: unknown) => void): Promise<Set<string>> {
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as Partial<Stored>;
    return stored.folder === folder && Array.isArray(stored.keys) ? new Set(stored.keys.filter((k) => typeof k === 'string')) : new Set();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onError(new Error(`${file} cannot be read, so no deletions are announced from it: ${(error as Error).message}`));
    return new Set();
  }
}

export async function openBucketManifest(file: string, folder: string, onError: (error: unknown) => void): Promise<BucketManifest> {
  const previous = await read(file, folder, onError);
  const keys = new Set(previous);
  let timer: NodeJS.Timeout | undefined;
  let writing = Promise.resolve();

  const write = () => {
    clearTimeout(timer);
    timer = undefined;
    const body = JSON.stringify({ folder, keys: [...keys].sort() } satisfies Stored);
    // One write at a time, each complete before the rename, so a crash leaves the old or the new file.
    writing = writing.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, body);
      await rename(`${file}.tmp`, file);
    }).catch(onError);
    return writing;
  };
  const changed = () => {
    timer ??= setTimeout(write, WRITE_DELAY_MS);
  };

  return {
    previous,
    present(key) {
      if (keys.has(key)) return;
      keys.add(key);
      changed();
    },
    gone(key) {
      if (keys.delete(key)) changed();
    },
    flush: () => (timer ? write() : writing),
  };
}
