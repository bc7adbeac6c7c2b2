// What a function decides about a request before its body is read: whether to
// take it at all (a public route checks the credential first) and how many body
// bytes it may send. functions-framework's own body parsers would otherwise
// buffer up to 1 GiB before any handler runs. Functions register theirs beside
// `http(name, handler)`; the default is the step-event limit.
import type { IncomingMessage } from 'node:http';

export interface Admission {
  maxBodyBytes: number;
}

/** Throws a ProblemError to refuse the request before anything is read. */
export type Admit = (req: IncomingMessage) => Promise<Admission>;

const admissions = new Map<string, Admit>();

export function registerAdmission(name: string, admit: Admit): void {
  admissions.set(name, admit);
}

export function admissionFor(name: string): Admit | undefined {
  return admissions.get(name);
}
