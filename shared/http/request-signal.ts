import type { Response } from '@google-cloud/functions-framework';

/** An AbortSignal that fires when the caller goes away before we answered. */
export function requestSignal(res: Response): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableEnded) controller.abort(new Error('client disconnected'));
  };
  res.on('close', onClose);
  return { signal: controller.signal, done: () => res.off('close', onClose) };
}
