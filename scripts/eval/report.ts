// EVALUATION.md from one run of `npm run eval`.
import { writeFile } from 'node:fs/promises';
import type { Scores } from './score.ts';

export interface Configuration {
  model: string;
  modelLabel: string;
  mode: string;
  /** Hybrid only: the fusion setting, e.g. "weighted 0.3 (default)". */
  fusion?: string;
  scores: Scores;
  byKind: Record<string, Scores>;
}

/** LLM-judged answers of one model (RAGAS definitions; scripts/eval/answer-scores.ts). */
export interface AnswerScores {
  model: string;
  llm: string;
  asked: number;
  /** Answered extractively or not at all, by reason: not judged. */
  fallbacks: Record<string, number>;
  judged: number;
  /** Absent when no answer could be judged. */
  faithfulness?: number;
  answerRelevance?: number;
}

export interface Results {
  date: string;
  command: string;
  dataset: { name: string; documents: number; questions: number };
  machine: { cpu: string; cores: number; node: string; milvus: string };
  topK: number;
  configurations: Configuration[];
  answers: AnswerScores[];
}

const label = (c: Configuration) => (c.fusion ? `${c.mode}, ${c.fusion}` : c.mode);

/** Per model: does the default hybrid beat both single routes on nDCG@10? */
function verdicts(all: Configuration[]): string[] {
  return [...new Set(all.map((c) => c.model))].map((model) => {
    const of = (mode: string, fusion?: (f: string) => boolean) => all.find((c) => c.model === model && c.mode === mode && (!fusion || fusion(c.fusion ?? '')))?.scores.ndcgAt10;
    const [hybrid, dense, keyword] = [of('hybrid', (f) => f.includes('default')), of('dense'), of('keyword')];
    if (hybrid === undefined || dense === undefined || keyword === undefined) return `- ${model}: not every mode was run.`;
    const beats = hybrid > dense && hybrid > keyword;
    return `- ${model}: hybrid (default fusion) ${hybrid} ${beats ? 'beats' : 'does not beat both of'} dense ${dense} and keyword ${keyword} on nDCG@10.`;
  });
}
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const header = (cells: string[]) => [row(cells), row(cells.map(() => '---'))].join('\n');

export async function writeEvaluation(path: string, results: Results): Promise<void> {
  const { configurations: all, dataset, machine } = results;
  const kinds = [...new Set(all.flatMap((c) => Object.keys(c.byKind)))];
  const best = all.reduce((a, b) => (b.scores.ndcgAt10 > a.scores.ndcgAt10 ? b : a), all[0]!);
  const text = `# Retrieval evaluation

Produced by \`${results.command}\` on ${results.date.slice(0, 10)}; every figure is in
\`eval/results.json\`. Re-run it to replace both files.

Dataset \`${dataset.name}\` (\`eval/datasets/${dataset.name}/\`): ${dataset.documents} documents, ${dataset.questions} questions with graded
relevance labels. Each question goes through the production embed and search
functions (the CloudEvents the Broker would deliver) for the top ${results.topK} passages, on
${machine.milvus}, ${machine.cores} cores (${machine.cpu}), Node ${machine.node}.
Metrics are by document (a document counts once, at its first passage's rank):
recall@k, MRR@10, nDCG@10 (gain 2^grade − 1); *passage@5* is the share of
questions whose labelled passage is inside one of the first 5 chunks. Latency is
embed + search per question, one at a time.

## All questions

${header(['model', 'mode', 'recall@1', 'recall@5', 'recall@10', 'MRR@10', 'nDCG@10', 'passage@5', 'p50 ms', 'p95 ms'])}
${all.map((c) => row([c.model, label(c), c.scores.recallAt1, c.scores.recallAt5, c.scores.recallAt10, c.scores.mrrAt10, c.scores.ndcgAt10, c.scores.passageHitAt5, c.scores.latencyP50Ms, c.scores.latencyP95Ms])).join('\n')}

Best nDCG@10: ${best.model}, ${label(best)} (${best.scores.ndcgAt10}).

${verdicts(all).join('\n')}

## By kind of question (nDCG@10 · recall@1)

${header(['model', 'mode', ...kinds.map((k) => `${k} (${all[0]!.byKind[k]?.questions ?? 0})`)])}
${all.map((c) => row([c.model, label(c), ...kinds.map((k) => (c.byKind[k] ? `${c.byKind[k]!.ndcgAt10} · ${c.byKind[k]!.recallAt1}` : '–'))])).join('\n')}

## Answers (LLM-judged)

${results.answers.length === 0
    ? 'Not scored in this run: it had no LLM (`OPENAI_API_KEY`). With one, `npm run eval` asks `--answers` questions (40 by default) through `/v1/query` and the same LLM judges faithfulness (the share of the answer\'s statements the cited passages support) and answer relevance (cosine between the question and questions the LLM writes for the answer), as RAGAS defines them.'
    : `${header(['model', 'LLM', 'asked', 'judged', 'fallbacks', 'faithfulness', 'answer relevance'])}\n${results.answers.map((a) => row([a.model, a.llm, a.asked, a.judged, Object.entries(a.fallbacks).map(([reason, n]) => `${reason} ${n}`).join(', ') || 0, a.faithfulness ?? '–', a.answerRelevance ?? '–'])).join('\n')}`}

Models: ${[...new Map(all.map((c) => [c.model, c.modelLabel])).entries()].map(([m, l]) => `\`${m}\` is ${l}`).join('; ')}.
Hybrid fuses the dense (HNSW, cosine) and keyword (BM25) candidate lists
(\`SEARCH_CANDIDATES\` each) either by weights over min-max normalised scores
(\`SEARCH_FUSION=weighted\`, \`SEARCH_KEYWORD_WEIGHT\` is the keyword share) or by
reciprocal rank fusion (\`SEARCH_FUSION=rrf\`, \`SEARCH_RRF_K\`); see
\`shared/milvus/rank-fusion.ts\`. The default, weighted with a keyword share of
0.3, was chosen on this set, so its own row flatters it; the neighbouring
weights and RRF are shown so that the choice can be judged.
`;
  await writeFile(path, text);
}
