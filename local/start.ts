/**
 * `npm start`: the whole application on one machine (docs/product.md#what-npm-start-runs). DynamoDB Local (Java child
 * process), the SES emulator, the local Step Functions service running the real ASL, the stream
 * poller feeding the notifier, and the HTTP gateway serving the route table with the same
 * authorizer. Ctrl-C stops everything; the data stays under LOCAL_DATA_DIR.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Server } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import sesModule from 'aws-ses-v2-local';
import { docsEndpoint } from './docs.ts';
import { buildConsole, consoleBuildIsStale, serveConsole } from './console.ts';
import { faultEndpoint } from './fault-endpoints.ts';
import { startSesFaultProxy, type SesFaultProxy } from './ses-faults.ts';
import { describeSettings, readConfig } from './config.ts';
import { ensureTable, killLeftoverDynamoDbLocal, startDynamoDbLocal } from './dynamodb.ts';
import { functionArn, functionNameFromArn, invocationStore, invoke, preloadAll } from './lambda.ts';
import { startGateway } from './gateway.ts';
import { EdgeRateLimiter } from './edge-limits.ts';
import { startStepFunctionsService, type LocalStepFunctions } from './stepfunctions.ts';
import { startStreamPoller, type StreamPoller } from './stream-poller.ts';
import { localEndpoints } from './endpoints.ts';
import { startScheduler } from './scheduler.ts';
import { jobRunEndpoints, LocalAsyncLambda, startLocalLambdaApi } from './job-runs.ts';
import { WORKFLOW_TASKS } from '../functions/registry.ts';
import { EVENT_STREAM_FILTER, OUTBOX_STREAM_FILTER } from '../functions/data/table.ts';
import { webhookEndpoints } from './webhooks.ts';
import { keysEndpoint, startLocalSecrets, type LocalSecrets } from './secrets.ts';

const config = readConfig();
const gatewayUrl = `http://localhost:${config.port}`;
const stateMachineArn = `arn:aws:states:${config.region}:000000000000:stateMachine:order-fulfillment`;

// The one code path: handlers find the local services through the SDK's own endpoint variables.
// AWS_ENDPOINT_URL_SESV2 is moved to the SES fault proxy (local/ses-faults.ts) once it listens,
// before anything sends an email (the SES client is created on first use).
Object.assign(process.env, {
  AWS_REGION: config.region,
  AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
  AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
  AWS_ENDPOINT_URL_DYNAMODB: `http://${config.host}:${config.dynamodbPort}`,
  AWS_ENDPOINT_URL_DYNAMODB_STREAMS: `http://${config.host}:${config.dynamodbPort}`,
  AWS_ENDPOINT_URL_SESV2: `http://${config.host}:${config.sesPort}`,
  AWS_ENDPOINT_URL_SFN: `http://${config.host}:${config.sfnPort}`,
  TABLE_NAME: config.tableName,
  STATE_MACHINE_ARN: stateMachineArn,
  PORTAL_URL: process.env.PORTAL_URL ?? gatewayUrl,
  EMAIL_FROM: process.env.EMAIL_FROM ?? 'no-reply@portal.example.com',
  POWERTOOLS_SERVICE_NAME: 'cloud-license-portal',
  POWERTOOLS_METRICS_DISABLED: 'true',
  // Many invocations at once in this one process, each with its own logger keys (local/lambda.ts invoke).
  AWS_LAMBDA_MAX_CONCURRENCY: '64',
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  // Every 2xx answer is checked against its route's response schema (platform/http-base.ts): a 500 locally, never in AWS.
  CHECK_RESPONSES: process.env.CHECK_RESPONSES ?? 'true',
  // Webhook URLs may be http and reach this machine (a receiver on 127.0.0.1, /_local/webhooks/sink); never in AWS.
  WEBHOOKS_ALLOW_HTTP: process.env.WEBHOOKS_ALLOW_HTTP ?? 'true',
  WEBHOOKS_ALLOW_PRIVATE_NETWORKS: process.env.WEBHOOKS_ALLOW_PRIVATE_NETWORKS ?? 'true',
});

const say = (line: string) => process.stdout.write(`${line}\n`);
let dynamo: ChildProcess | undefined;
let ses: Server | undefined;
let sesFaults: SesFaultProxy | undefined;
let sfn: LocalStepFunctions | undefined;
let poller: StreamPoller | undefined;
/** The webhook dispatcher's own reader of the stream (AWS: its own event source mapping), beside the notifier's. */
let webhookPoller: StreamPoller | undefined;
let gateway: Server | undefined;
/** The local Secrets Manager (local/secrets.ts): the signing key set. */
let secrets: LocalSecrets | undefined;
/** The signing key secret's name, as the App stack names it (`<stack>-signing-keys` there). */
const SIGNING_KEYS_SECRET = 'cloud-license-portal-signing-keys';
let scheduler: { stop(): void } | undefined;
/** Lambda's asynchronous invocation of the jobs (local/job-runs.ts) and the Invoke API their continuations call. */
const asyncLambda = new LocalAsyncLambda((name, event) => invoke(name, event, config.region));
let lambdaApi: { url: string; close(): Promise<void> } | undefined;
let stopping = false;

async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('\nStopping the local stack…');
  await new Promise<void>((r) => (gateway ? gateway.close(() => r()) : r()));
  gateway?.closeAllConnections();
  scheduler?.stop();
  await lambdaApi?.close().catch(() => undefined);
  await poller?.stop().catch(() => undefined);
  await webhookPoller?.stop().catch(() => undefined);
  await sfn?.close().catch(() => undefined);
  await secrets?.close().catch(() => undefined);
  await sesFaults?.close().catch(() => undefined);
  await new Promise<void>((r) => (ses ? ses.close(() => r()) : r()));
  if (dynamo && dynamo.exitCode === null) {
    dynamo.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    if (dynamo.exitCode === null) dynamo.kill('SIGKILL');
  }
  process.exit(code);
}

// One stray rejection (a handler's work left running past its timeout, say) must not take the whole
// stack down: Lambda would have ended that one invocation. Logged, not hidden.
process.on('unhandledRejection', (err) => say(`unhandled rejection: ${(err as Error)?.stack ?? String(err)}`));
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('exit', () => {
  if (dynamo && dynamo.exitCode === null) dynamo.kill('SIGKILL');
});

async function main(): Promise<void> {
  mkdirSync(config.dataDir, { recursive: true });
  say(`Starting the cloud-license portal locally (data in ${config.dataDir})`);
  for (const s of describeSettings()) say(`  ${s.name}=${s.value}${s.isDefault ? '  (default)' : ''}`);

  if (killLeftoverDynamoDbLocal(config.dataDir)) say('  ended the DynamoDB Local a stopped stack had left running on this data dir');
  dynamo = await startDynamoDbLocal({
    port: config.dynamodbPort,
    dataDir: config.dataDir,
    onExit: (code) => {
      if (!stopping) {
        say(`DynamoDB Local stopped unexpectedly (${code}); stopping.`);
        void stop(1);
      }
    },
  });
  const client = new DynamoDBClient({});
  await ensureTable(client, config.tableName);
  client.destroy();

  // A CommonJS module: its default export arrives wrapped under ESM.
  const sesServer = ((sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule) as typeof sesModule;
  ses = await sesServer({ host: config.host, port: config.sesPort });
  // Handlers reach SES through the fault switch (`/_local/faults/ses`); the emulator's own page
  // and store stay on SES_PORT.
  sesFaults = await startSesFaultProxy({ target: `http://${config.host}:${config.sesPort}`, host: config.host });
  process.env.AWS_ENDPOINT_URL_SESV2 = sesFaults.url;

  // The signing keys live in a Secrets Manager secret (platform/keys.ts), here the local one, kept in
  // the data dir. At the first start the rotation function makes the first key set, as Secrets
  // Manager's rotation at creation does in AWS.
  secrets = await startLocalSecrets({
    file: resolve(config.dataDir, 'secrets.json'),
    host: config.host,
    region: config.region,
    rotate: async (secretId, token) => {
      for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
        await invoke('keyRotation', { Step, SecretId: secretId, ClientRequestToken: token }, config.region);
      }
    },
  });
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.url;
  process.env.SIGNING_KEYS_SECRET_ID = secrets.ensure(SIGNING_KEYS_SECRET, 'Token signing keys (ES256) and the cursor derivation secret');
  if (!secrets.current(SIGNING_KEYS_SECRET)?.startsWith('{')) await secrets.rotate(SIGNING_KEYS_SECRET);

  await preloadAll();
  // A job's continuation invokes its own function asynchronously (functions/jobs/continuation.ts): here.
  lambdaApi = await startLocalLambdaApi({ host: config.host, lambda: asyncLambda });
  process.env.AWS_ENDPOINT_URL_LAMBDA = lambdaApi.url;
  const definition = JSON.parse(readFileSync(resolve(import.meta.dirname, '../statemachines/order-fulfillment.asl.json'), 'utf8')) as object;
  const substitutions: Record<string, string> = {};
  for (const task of Object.values(WORKFLOW_TASKS)) substitutions[task.placeholder] = functionArn(task.fn, config.region);
  sfn = await startStepFunctionsService({
    port: config.sfnPort,
    host: config.host,
    definition,
    stateMachineArn,
    substitutions,
    invoke: (name, payload) => invoke(functionNameFromArn(name), payload, config.region),
    waitTimeOverridesMs: { WaitForVendor: config.vendorPollMs },
    retryIntervalOverridesMs: Object.fromEntries(
      ['AwaitOpen', 'AwaitProvision', 'AutoAdvance', 'SubmitToVendor', 'CheckVendor', 'CompleteOrder', 'FailOrder'].map((s) => [s, 100]),
    ),
  });

  poller = await startStreamPoller({
    tableName: config.tableName,
    filter: OUTBOX_STREAM_FILTER,
    handler: (event) => invoke('notifier', event, config.region) as never,
    intervalMs: 200,
    checkpointFile: resolve(config.dataDir, 'stream-checkpoints.json'),
    onError: (err) => say(`stream poller: ${(err as Error).message}`),
  });
  webhookPoller = await startStreamPoller({
    tableName: config.tableName,
    filter: EVENT_STREAM_FILTER,
    handler: (event) => invoke('webhookDispatcher', event, config.region) as never,
    intervalMs: 200,
    checkpointFile: resolve(config.dataDir, 'stream-checkpoints-webhooks.json'),
    onError: (err) => say(`webhook stream poller: ${(err as Error).message}`),
  });

  const { bootstrap } = await import('./bootstrap.ts');
  const seeded = await bootstrap({ adminLogin: config.adminLogin, adminPassword: config.adminPassword, seedDemo: config.seedDemo });

  // The executions of a previous start are gone with its process: the orders in progress resume.
  const { resumeOrderWorkflows } = await import('./resume-workflows.ts');
  const resumed = await resumeOrderWorkflows(say);
  if (resumed.resumed > 0) say(`Resumed the workflows of ${resumed.resumed} order(s) in progress.`);

  if (consoleBuildIsStale()) {
    say('Building the console (console/dist is missing or older than its sources)…');
    await buildConsole();
  }

  gateway = await startGateway({
    port: config.port,
    host: '0.0.0.0',
    region: config.region,
    local: [...localEndpoints({ sfn, stateMachineArn, sesUrl: `http://${config.host}:${config.sesPort}`, region: config.region, poller }), docsEndpoint, faultEndpoint({ ses: sesFaults, sfn, jobs: asyncLambda }), ...jobRunEndpoints(asyncLambda), ...webhookEndpoints, keysEndpoint(() => rotateKeys())],
    site: (pathname) => serveConsole(pathname),
    edgeLimits: config.edgeRateLimits ? new EdgeRateLimiter() : undefined,
    log: config.quiet ? undefined : say,
  });

  if (process.env.LOCAL_SCHEDULER !== 'false') scheduler = startScheduler({ lambda: asyncLambda, log: say });

  say('');
  say(`Ready.`);
  say(`  Console        ${gatewayUrl}/  (sign in with a login below; \`npm run console:dev\` for hot reload on :5173)`);
  say(`  API            ${gatewayUrl}/v1  (health: ${gatewayUrl}/v1/health)`);
  say(`  API reference  ${gatewayUrl}/docs  (OpenAPI: ${gatewayUrl}/v1/openapi.json)`);
  say(`  Emails (SES)   http://localhost:${config.sesPort}  (JSON: ${gatewayUrl}/_local/emails, ?wait for the outbox to be sent first)`);
  say(`  DynamoDB Local http://localhost:${config.dynamodbPort}  table ${config.tableName}`);
  say(`  Step Functions http://localhost:${config.sfnPort}  ${stateMachineArn}`);
  say(`  Clock          ${gatewayUrl}/_local/clock`);
  say(`  Signing keys   ${gatewayUrl}/v1/auth/jwks.json  (POST ${gatewayUrl}/_local/keys/rotate rotates them; Secrets Manager ${secrets.url})`);
  say(`  Webhooks       ${gatewayUrl}/_local/webhooks  (sink: ${gatewayUrl}/_local/webhooks/sink, ?status=500 to fail; GET lists what it received)`);
  say(`  SES faults     ${gatewayUrl}/_local/faults/ses  (PUT {"refusing": true} to play an SES outage; SDK endpoint ${sesFaults.url})`);
  say(`  Jobs           POST ${gatewayUrl}/_local/jobs/{renewals|billing|dunning|unstartedOrders|webhookRetries}  (daily by the local clock, unstartedOrders and webhookRetries every 30 s${process.env.LOCAL_SCHEDULER === 'false' ? '; scheduler off' : ''}; /scheduled runs one as the scheduler does, GET /_local/jobs/failed, faults /_local/faults/jobs)`);
  say(`  Distributor admin  ${config.adminLogin} / ${config.adminPasswordFromEnv ? '(LOCAL_ADMIN_PASSWORD)' : config.adminPassword}`);
  if (seeded.demo) say(`  Demo customer admin ${seeded.demo.login} / ${seeded.demo.password}  (account ${seeded.demo.accountId})`);
  say(`Press Ctrl-C to stop.`);
}

/** `POST /_local/keys/rotate`: a rotation now; answers the public keys after it. */
async function rotateKeys(): Promise<unknown> {
  if (!secrets) throw new Error('The local Secrets Manager is not running');
  await secrets.rotate(SIGNING_KEYS_SECRET);
  const { keySet, publicJwks } = await import('../functions/platform/keys.ts');
  return publicJwks(await keySet());
}

// Each invocation has its own context (local/lambda.ts); what logs outside one (the bootstrap,
// resumed workflows) shares this root context.
invocationStore().then((store) => store.run({}, () => main())).catch((err) => {
  say(`Could not start: ${(err as Error).message}`);
  void stop(1);
});
