import { http } from '@google-cloud/functions-framework';
import { instrument } from '../../shared/observability/http-metrics.ts';
import { loadConfig } from '../../shared/config/load-config.ts';
import { promptConfig } from '../../shared/config/schemas.ts';
import { createEventFunction } from '../../shared/http/event-function.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { createPromptRoutes } from './handler.ts';

const config = loadConfig(promptConfig);
const logger = createLogger({ function: 'prompt' });
const routes = createPromptRoutes({ tokenBudget: config.PROMPT_TOKEN_BUDGET, minScore: config.PROMPT_MIN_SCORE });
http('prompt', instrument('prompt', createEventFunction({ name: 'prompt', routes, logger })));
