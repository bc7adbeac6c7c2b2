// The LLM behind generate: OpenAI chat completions through the `openai` SDK.
// OPENAI_BASE_URL points it at any OpenAI-compatible server (vLLM, Ollama,
// llama.cpp). SDK retries stay short: Knative retries with backoff.
import OpenAI from 'openai';
import type { OpenAIConfig } from '../../shared/config/schemas.ts';
import { withSpan } from '../../shared/observability/tracing.ts';
import type { ChatMessage } from '../../shared/events/data-schemas.ts';

export interface StreamPart {
  delta?: string;
  usage?: { promptTokens: number; completionTokens: number };
}

export interface ChatModel {
  readonly model: string;
  stream(messages: readonly ChatMessage[], signal: AbortSignal): AsyncIterable<StreamPart>;
}

export function createOpenAIChat(config: OpenAIConfig & { OPENAI_API_KEY: string }): ChatModel {
  const client = new OpenAI({
    apiKey: config.OPENAI_API_KEY,
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
    timeout: config.OPENAI_TIMEOUT_MS,
    maxRetries: config.OPENAI_MAX_RETRIES,
  });
  return {
    model: config.OPENAI_MODEL,
    async *stream(messages, signal) {
      const completion = await withSpan('openai.chat', () =>
        client.chat.completions.create(
          {
            model: config.OPENAI_MODEL,
            messages: messages.map((m) => ({ role: m.role, content: m.content })),
            max_tokens: config.OPENAI_MAX_TOKENS,
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal },
        ),
      );
      for await (const chunk of completion) {
        const delta = chunk.choices[0]?.delta?.content;
        if (delta) yield { delta };
        if (chunk.usage) yield { usage: { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens } };
      }
    },
  };
}
