// The only module that reads process.env. Each function composes the concerns it
// needs; a bad value fails the start naming the variable, never echoing its value
// (a revision that cannot start never becomes Ready, so traffic stays where it was).
import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig<S extends z.ZodObject>(schema: S, env: Record<string, string | undefined> = process.env): z.output<S> {
  const keys = Object.keys(schema.shape);
  const slice = Object.fromEntries(keys.map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const result = schema.safeParse(slice);
  if (!result.success) {
    const names = [...new Set(result.error.issues.map((issue) => String(issue.path[0])))];
    const reasons = result.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid configuration for ${names.join(', ')} (${reasons})`);
  }
  return result.data;
}
