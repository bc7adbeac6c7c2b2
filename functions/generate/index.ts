import { http } from '@google-cloud/functions-framework';
import { instrument } from '../../shared/observability/http-metrics.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { openaiConfig } from '../../shared/config/schemas.ts';
import { createEventFunction } from '../../shared/http/event-function.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { createOpenAIChat } from './chat-model.ts';
import { createGenerateRoutes } from './handler.ts';

const config = loadConfig(openaiConfig);
const logger = createLogger({ function: 'generate' });
const apiKey = config.OPENAI_API_KEY;
const chat = apiKey ? createOpenAIChat({ ...config, OPENAI_API_KEY: apiKey }) : undefined;
logger.info('generate.configured', { llm: chat ? config.OPENAI_MODEL : 'none (extractive answers)', baseUrl: config.OPENAI_BASE_URL ? 'custom' : 'default' });
const { routes, streams } = createGenerateRoutes({ chat, timeoutMs: config.OPENAI_TIMEOUT_MS });
http('generate', instrument('generate', createEventFunction({ name: 'generate', routes, streams, logger })));
