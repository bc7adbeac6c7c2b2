// Looking figures up by name and parameters, for the report, the charts and the ratios.
import type { Figure } from './stats.ts';

export const find = (figures: Figure[], name: string, params: Record<string, unknown> = {}) =>
  figures.find((f) => f.name === name && Object.entries(params).every(([k, v]) => f.params[k] === v));

export const value = (figures: Figure[], name: string, params: Record<string, unknown> = {}) => find(figures, name, params)?.value;

/** The distinct values one parameter takes across the figures of one name, ascending. */
export const paramValues = (figures: Figure[], name: string, param: string) =>
  [...new Set(figures.filter((f) => f.name === name).map((f) => f.params[param] as number))].sort((a, b) => a - b);

/** The distinct values one parameter takes, as strings, in the order the figures were made. */
export const paramLabels = (figures: Figure[], name: string, param: string) => [...new Set(figures.filter((f) => f.name === name).map((f) => String(f.params[param])))];
