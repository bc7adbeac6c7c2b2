// ragnative's command line, against a running stack (`npm start`).
// Usage: npm run cli -- <command>
//   ingest <folder>     index every document under <folder> (PDF, DOCX, PPTX, XLSX, CSV, HTML, Markdown, text, JSON), with progress
//   ask "<question>"    ask; the answer streams to the terminal, then its citations
//   docs                list the indexed documents
//   tail                print lifecycle events (indexed, deleted, failed, answered) as they happen
// Environment: RAGNATIVE_URL (default http://127.0.0.1:8080),
//              RAGNATIVE_API_KEY (default: npm start's key in .local/dev-api-key),
//              RAGNATIVE_BROKER_URL (default: the local broker, port 8089),
//              RAGNATIVE_INGEST_CONCURRENCY (uploads in flight during ingest, default 4)
import { readSse } from '../shared/http/sse-reader.ts';
import type { Citation } from '../shared/events/data-schemas.ts';
import { readDevApiKey } from './dev-api-key.ts';
import { DEFAULT_INGEST_CONCURRENCY, ingestFolder, progressLine, type IngestProgress } from './cli/ingest-folder.ts';

const BASE = process.env.RAGNATIVE_URL ?? 'http://127.0.0.1:8080';
const BROKER = process.env.RAGNATIVE_BROKER_URL ?? 'http://127.0.0.1:8089';
const INGEST_CONCURRENCY = Number(process.env.RAGNATIVE_INGEST_CONCURRENCY ?? DEFAULT_INGEST_CONCURRENCY);

class CliError extends Error {}

/** "[2] handbook.pdf, page 3, Travel Policy › Hotels (chunk 4)" */
const citationLine = (c: Citation) =>
  `[${c.n}] ${[c.source, c.page ? `page ${c.page}` : '', c.sheet ? `sheet ${c.sheet}` : '', c.section ?? ''].filter(Boolean).join(', ')} (chunk ${c.chunkIndex})`;

const API_KEY = process.env.RAGNATIVE_API_KEY ?? (await readDevApiKey());

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = { ...(init.headers as Record<string, string>), ...(API_KEY ? { authorization: `Bearer ${API_KEY}` } : {}) };
  const response = await fetch(`${BASE}${path}`, { ...init, headers }).catch((error: unknown) => {
    throw new CliError(`cannot reach ${BASE} (is \`npm start\` running?): ${(error as Error).message}`);
  });
  if (!response.ok && response.headers.get('content-type')?.includes('problem+json')) {
    const problem = (await response.json()) as { code: string; detail: string };
    throw new CliError(`${response.status} ${problem.code}: ${problem.detail}`);
  }
  return response;
}

/** One line that redraws in a terminal, one line per update in a log. */
function showProgress(progress: IngestProgress): void {
  const line = progressLine(progress);
  if (process.stderr.isTTY) process.stderr.write(`\r${line.slice(0, process.stderr.columns - 1).padEnd(process.stderr.columns - 1)}`);
  else process.stderr.write(`${line}\n`);
}

async function ingest(folder: string | undefined): Promise<void> {
  if (!folder) throw new CliError('usage: ingest <folder>');
  const result = await ingestFolder(folder, {
    post: call,
    concurrency: INGEST_CONCURRENCY,
    onProgress: showProgress,
    onWarning: (source, warning) => process.stderr.write(`\n${source}: warning ${warning.code}: ${warning.detail}\n`),
    onError: (source, error) => process.stderr.write(`\n${source}: ${error.message}\n`),
  });
  process.stderr.write('\n');
  const rate = result.seconds > 0 ? ` in ${result.seconds.toFixed(1)} s (${(result.done / result.seconds).toFixed(1)} docs/s, ${Math.round(result.chunks / result.seconds)} chunks/s)` : '';
  console.log(`indexed ${result.done - result.failed} of ${result.total} files, ${result.chunks} chunks${rate}`);
  if (result.failed > 0) process.exitCode = 1;
}

async function ask(question: string | undefined): Promise<void> {
  if (!question) throw new CliError('usage: ask "<question>"');
  const response = await call('/v1/query', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: question }),
  });
  let citations: Citation[] = [];
  for await (const message of readSse(response.body!)) {
    const data = JSON.parse(message.data);
    if (message.event === 'citations') citations = data.citations;
    else if (message.event === 'delta') process.stdout.write(data.text);
    else if (message.event === 'error') throw new CliError(`${data.code}: ${data.detail}`);
    else if (message.event === 'done') {
      process.stdout.write('\n\n');
      for (const c of citations) console.log(citationLine(c));
      if (data.fallback) console.log(`(${data.fallback === 'no_llm_configured' ? 'extractive answer: no LLM configured' : `fallback: ${data.fallback}`})`);
    }
  }
}

async function docs(): Promise<void> {
  const { documents } = (await (await call('/v1/documents?limit=1000')).json()) as { documents: { id: string; source: string; tenant: string }[] };
  for (const d of documents) console.log(`${d.id}  ${d.tenant}  ${d.source}`);
  console.log(`${documents.length} document${documents.length === 1 ? '' : 's'}`);
}

async function tail(): Promise<void> {
  const response = await fetch(`${BROKER}/events`).catch((error: unknown) => {
    throw new CliError(`cannot reach the local broker at ${BROKER}: ${(error as Error).message}`);
  });
  for await (const message of readSse(response.body!)) console.log(message.data);
}

const COMMANDS: Record<string, (arg: string | undefined) => Promise<void>> = { ingest, ask, docs, tail };
const [command, arg] = process.argv.slice(2);
const run = command ? COMMANDS[command] : undefined;
if (!run) {
  console.error('usage: npm run cli -- ingest <folder> | ask "<question>" | docs | tail');
  process.exit(2);
}
run(arg).catch((error: unknown) => {
  console.error(error instanceof CliError ? `error: ${error.message}` : error);
  process.exit(1);
});
