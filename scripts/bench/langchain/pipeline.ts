// A minimal RAG pipeline as a LangChain.js user would write it, for the side by
// side in `npm run bench`: RecursiveCharacterTextSplitter, the transformers.js
// model through HuggingFaceTransformersEmbeddings, LangChain's Milvus vector
// store with ragnative's index definition, and ChatOpenAI with the same system
// prompt and source format, so the local LLM server checks both alike.
// Runs in its own process: node --import tsx pipeline.ts <job.json>; prints JSON.
import { readFile } from 'node:fs/promises';
import { env } from '@huggingface/transformers';
import { HuggingFaceTransformersEmbeddings } from '@langchain/community/embeddings/huggingface_transformers';
import { Milvus } from '@langchain/community/vectorstores/milvus';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { ChatOpenAI } from '@langchain/openai';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import indexDefinition from '../../../milvus/index.json' with { type: 'json' };
import { SYSTEM_PROMPT } from '../../../functions/prompt/build-prompt.ts';
import { cpuSeconds } from '../process-cpu.ts';
import type { IngestMode, LangChainJob, LangChainResult, ModeResult } from './contract.ts';

const job = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as LangChainJob;
env.allowRemoteModels = false;
const embeddings = new HuggingFaceTransformersEmbeddings({ model: job.modelDir, pretrainedOptions: { dtype: 'fp32', local_files_only: true } });
const splitter = new RecursiveCharacterTextSplitter({ chunkSize: job.chunkChars, chunkOverlap: job.overlapChars });
const prompt = ChatPromptTemplate.fromMessages([
  ['system', SYSTEM_PROMPT],
  ['human', 'Sources:\n{sources}\n\nQuestion: {question}'],
]);
const model = new ChatOpenAI({ model: job.llm.model, apiKey: job.llm.apiKey, configuration: { baseURL: job.llm.baseUrl } });
const vectorStore = (collectionName: string) =>
  new Milvus(embeddings, {
    collectionName,
    clientConfig: { address: job.milvusAddress },
    // Otherwise the text field is sized to the longest text of the first call, and longer documents later fail to insert.
    textFieldMaxLength: 65_535,
    indexCreateOptions: { index_type: 'HNSW', metric_type: 'COSINE', params: indexDefinition.params, search_params: indexDefinition.search_params },
  } as ConstructorParameters<typeof Milvus>[1]);

/** Indexes the corpus one document at a time (as uploads arrive) or in one call, then asks the questions. */
async function measure(mode: IngestMode): Promise<ModeResult> {
  const store = vectorStore(`${job.collection}_${mode.replace('-', '_')}`);
  const ingestStarted = performance.now();
  const cpuBefore = { pipeline: process.cpuUsage(), milvus: job.milvusPid ? await cpuSeconds(job.milvusPid) : undefined };
  const perDocument = await Promise.all(job.documents.map((d) => splitter.createDocuments([d.text], [{ source: d.source }])));
  if (mode === 'per-document') for (const pieces of perDocument) await store.addDocuments(pieces);
  else await store.addDocuments(perDocument.flat());
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;
  const pipelineCpu = process.cpuUsage(cpuBefore.pipeline);
  const ingestCpuSeconds = { pipeline: (pipelineCpu.user + pipelineCpu.system) / 1e6, milvus: cpuBefore.milvus === undefined ? undefined : (await cpuSeconds(job.milvusPid!)) - cpuBefore.milvus };
  const ask = async (question: string) => {
    const passages = await store.similaritySearch(question, job.topK);
    const sources = passages.map((p, n) => `<source id="${n + 1}" document="${String(p.metadata.source)}" chunk="${n}">\n${p.pageContent}\n</source>`).join('\n\n');
    const answer = await model.invoke(await prompt.formatMessages({ sources, question }));
    if (typeof answer.content !== 'string' || answer.content.length === 0) throw new Error('empty answer');
  };
  await ask(job.questions[0]!); // untimed: the first search loads the collection
  const queryLatenciesMs: number[] = [];
  for (let i = 0; i < job.queries; i++) {
    const started = performance.now();
    await ask(job.questions[i % job.questions.length]!);
    queryLatenciesMs.push(performance.now() - started);
  }
  await store.client.dropCollection({ collection_name: store.collectionName });
  return { mode, documents: job.documents.length, chunks: perDocument.flat().length, ingestSeconds, ingestCpuSeconds, queryLatenciesMs };
}

await embeddings.embedQuery('warm-up'); // load the model before timing, as ragnative's embed does at start
const modes: ModeResult[] = [];
for (const mode of job.modes) modes.push(await measure(mode));
const result: LangChainResult = { modes, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
console.log(JSON.stringify(result));
