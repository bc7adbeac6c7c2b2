import { existsSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';

/** True when EMBED_MODEL names a folder on disk rather than a hub id ("org/name"). */
export function isLocalModel(model: string): boolean {
  return isAbsolute(model) || model.startsWith('.') || existsSync(model);
}

/**
 * The model's stable name: the hub id, or a local folder's name (so the same model
 * baked into an image at another path keeps its name, and its collection).
 */
export function modelId(model: string): string {
  return isLocalModel(model) ? basename(model.replace(/\/+$/, '')) : model;
}
