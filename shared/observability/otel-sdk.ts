// Switches OpenTelemetry tracing on when the standard OTEL_* variables ask for
// it: an OTLP/HTTP exporter (OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; headers, timeouts and the like are read
// by the exporter itself). W3C trace context and AsyncLocalStorage are always
// registered, so the active trace follows each request across awaits and every
// log line carries the trace id even when no span is exported. Without an
// endpoint, or with OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none, no
// tracer provider is registered and spans are not recorded; the SDK and its
// exporter are then never loaded, which keeps them off every cold start.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { loadConfig } from '../config/load-config.ts';
import { otelConfig } from '../config/schemas.ts';

export interface Tracing {
  /** Exports what is buffered and stops; call before the process exits. */
  shutdown(): Promise<void>;
}

/** Registers trace context for one function's process, and the SDK when tracing is on; undefined when it is off. */
export async function startTracing(functionName: string, env: Record<string, string | undefined> = process.env): Promise<Tracing | undefined> {
  const config = loadConfig(otelConfig, env);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const endpoint = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (config.OTEL_SDK_DISABLED || !config.OTEL_TRACES_EXPORTER.includes('otlp') || !endpoint) return undefined;
  const [{ OTLPTraceExporter }, { resourceFromAttributes }, { BatchSpanProcessor, TracerProvider }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace'),
  ]);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME ?? `ragnative-${functionName}`, 'service.namespace': 'ragnative', 'faas.name': functionName }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter(), scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY })],
  });
  trace.setGlobalTracerProvider(provider);
  return { shutdown: () => provider.shutdown() };
}
