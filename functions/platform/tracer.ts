import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One tracer per process (Powertools Tracer on X-Ray; functions have active tracing,
 * infra/constructs/app-function.ts). It records a subsegment for the handler, annotated with
 * ColdStart, Service and the correlation id, and one for each AWS SDK call of the clients in
 * platform/clients.ts. It records no payloads: handlers are traced with `captureResponse: false`
 * (answers hold personal data), and SDK subsegments carry the operation and table, not the items.
 * Outside Lambda (tests, the local stack) it is off and costs nothing per call.
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cloud-license-portal' });

/** Annotates the current subsegment (searchable in X-Ray: `annotation.correlationId = "…"`). */
export function annotateCorrelation(id: string): void {
  if (!tracer.isTracingEnabled()) return;
  tracer.putAnnotation('correlationId', id);
}
