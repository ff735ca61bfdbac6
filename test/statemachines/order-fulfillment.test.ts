/**
 * The real order-fulfillment ASL run by the local Step Functions service, driven through the real
 * SFNClient. Task handlers are stubs that record their calls; the assertions are on the path
 * taken (the states entered, from the execution history).
 */
import { readFileSync } from 'node:fs';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  paginateGetExecutionHistory,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { subscriptionOrderItems } from '../../functions/data/orders.ts';
import { WORKFLOW_TASKS, type FunctionName } from '../../functions/registry.ts';
import { startStepFunctionsService, type LocalStepFunctions } from '../../local/stepfunctions.ts';

const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';
const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:order-fulfillment`;
const definition = JSON.parse(
  readFileSync(new URL('../../statemachines/order-fulfillment.asl.json', import.meta.url), 'utf8'),
) as object;
const substitutions = Object.fromEntries(
  Object.values(WORKFLOW_TASKS).map((t) => [t.placeholder, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${t.fn}`]),
);

type Stub = (payload: Record<string, unknown>) => unknown;
interface Call {
  fn: FunctionName;
  payload: Record<string, unknown>;
}

const namedError = (name: string, message: string): Error => Object.assign(new Error(message), { name });

/** A vendor whose status check reports `succeeded` on the given check (1-based), `pending` before. */
const vendorSucceedsOnCheck =
  (n: number): Stub =>
  (p) => {
    const checks = (p.checks as number) + 1;
    return { requestId: p.requestId, checks, status: checks >= n ? 'succeeded' : 'pending', reason: null };
  };

const defaultStubs: Record<string, Stub> = {
  workflowGate: () => null,
  workflowAdvance: () => ({ status: 'provisioning', domainReady: true }),
  workflowProvision: () => ({ requestId: 'req_1' }),
  workflowCheck: vendorSucceedsOnCheck(1),
  workflowComplete: () => ({ status: 'completed' }),
  workflowFail: () => ({ status: 'failed' }),
};

let sfn: LocalStepFunctions | undefined;
let client: SFNClient;
let calls: Call[];

async function setUp(stubs: Partial<Record<FunctionName, Stub>> = {}, retryIntervalOverridesMs?: Record<string, number>): Promise<void> {
  calls = [];
  const all = { ...defaultStubs, ...stubs };
  sfn = await startStepFunctionsService({
    port: 0,
    definition,
    stateMachineArn: STATE_MACHINE_ARN,
    substitutions,
    waitTimeOverridesMs: { WaitForVendor: 1 },
    ...(retryIntervalOverridesMs ? { retryIntervalOverridesMs } : {}),
    invoke: async (functionName, payload) => {
      const fn = functionName.split(':function:')[1] as FunctionName;
      const stub = all[fn];
      if (!stub) throw new Error(`no stub for ${functionName}`);
      calls.push({ fn, payload: payload as Record<string, unknown> });
      return stub(payload as Record<string, unknown>);
    },
  });
  client = new SFNClient({
    endpoint: sfn.url,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

afterEach(async () => {
  client?.destroy();
  await sfn?.close();
  sfn = undefined;
});

const service = (): LocalStepFunctions => {
  if (!sfn) throw new Error('service not started');
  return sfn;
};

async function start(input: { orderId: string; automatic: boolean; resumeAt?: 'open' | 'provision' | 'provisioning' }, name?: string): Promise<string> {
  const out = await client.send(
    new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, input: JSON.stringify(input), ...(name ? { name } : {}) }),
  );
  return out.executionArn!;
}

/** The states entered, read from GetExecutionHistory (and checked against the service's own record). */
async function statesEntered(executionArn: string): Promise<string[]> {
  const events = [];
  for await (const page of paginateGetExecutionHistory({ client }, { executionArn })) events.push(...(page.events ?? []));
  const names = events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails!.name!);
  expect(names).toEqual(service().history(executionArn));
  return names;
}

/** What each task got, without `execution` (the execution's input, for the correlation id: every task gets it, asserted once below). */
const callsTo = (fn: FunctionName): Array<Record<string, unknown>> =>
  calls.filter((c) => c.fn === fn).map((c) => Object.fromEntries(Object.entries(c.payload).filter(([k]) => k !== 'execution')));
const executionsSeen = (): unknown[] => calls.map((c) => c.payload.execution);
const lastToken = (): string => {
  const gates = callsTo('workflowGate');
  return gates[gates.length - 1]!.taskToken as string;
};
const describe_ = (executionArn: string) => client.send(new DescribeExecutionCommand({ executionArn }));

/** The input of each entry into `stateName`, parsed from the execution history. */
async function inputsOf(executionArn: string, stateName: string): Promise<unknown[]> {
  const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
  return events
    .filter((e) => e.type?.endsWith('StateEntered') && e.stateEnteredEventDetails?.name === stateName)
    .map((e) => JSON.parse(e.stateEnteredEventDetails!.input!) as unknown);
}

/** The gate Lambda for the partner gate: reports that the domain was accepted meanwhile. */
const gateSaysDomainReady: Stub = (p) => {
  if (p.gate === 'partner') throw namedError('DomainReady', `The domain of order ${String(p.orderId)} is ready`);
  return null;
};
const domainNotReady: Stub = () => ({ status: 'provisioning', domainReady: false });

describe('order fulfillment workflow', () => {
  it("takes a manual account's change order through both staff gates, while its renewal runs straight through", async () => {
    // The orders as the subscription use cases write them (data/orders.ts), started with the input
    // order-lifecycle.ts gives the workflow: { orderId, automatic: order.automatic }.
    const manual = { id: 'acc_manual', parentId: 'acc_root', rootId: 'acc_root', accountPath: ['acc_root', 'acc_manual'], name: 'Manual GmbH', settings: { orderProcessing: 'manual' as const, allowSelfServicePurchases: false, locale: 'de' as const, currency: 'EUR' } };
    const orderOf = (type: 'change' | 'renewal', orderId: string) =>
      subscriptionOrderItems({
        ids: { orderId, invoiceId: `inv_${orderId}`, number: 'SO-000001', invoiceNumber: 'INV-000001' },
        sub: { id: 'sub_1', accountId: manual.id, domainId: 'dom_1', domain: 'manual.onmicrosoft.com' },
        account: manual as never,
        type,
        line: { offerId: 'ofr_1', productId: 'prd_1', name: 'Business Basic', quantity: 5, unitPrice: { amount: 600, currency: 'EUR' }, total: { amount: 3000, currency: 'EUR' } } as never,
        by: { userId: 'usr_admin' } as never,
        now: new Date('2027-03-10T10:00:00Z'),
        invoice: { description: 'Raise', reason: 'raise' },
      }).order;
    const change = orderOf('change', 'ord_change');
    const renewal = orderOf('renewal', 'ord_renewal');
    expect(change.automatic).toBe(false);
    expect(renewal.automatic).toBe(true);

    await setUp();
    const renewalArn = await start({ orderId: renewal.id, automatic: renewal.automatic });
    expect(await service().waitForIdle(renewalArn, 5000)).toBe('succeeded');
    expect(service().history(renewalArn)).toEqual(['IsAutomatic', 'AutoAdvance', 'IsDomainReady', 'SubmitToVendor', 'WaitForVendor', 'CheckVendor', 'IsProvisioned', 'CompleteOrder']);

    const arn = await start({ orderId: change.id, automatic: change.automatic });
    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');
    expect(service().history(arn)).toEqual(['IsAutomatic', 'AwaitOpen']);
    expect(callsTo('workflowProvision').map((p) => p.orderId)).toEqual(['ord_renewal']);
    await client.send(new SendTaskSuccessCommand({ taskToken: lastToken(), output: JSON.stringify({ gate: 'open', by: { userId: 'usr_staff' }, domainReady: true }) }));
    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');
    expect(service().history(arn)).toEqual(['IsAutomatic', 'AwaitOpen', 'AwaitProvision']);
    // Nothing reached the vendor for the change while it waited at the gates.
    expect(callsTo('workflowProvision').map((p) => p.orderId)).toEqual(['ord_renewal']);
    await client.send(new SendTaskSuccessCommand({ taskToken: lastToken(), output: JSON.stringify({ gate: 'provision', by: { userId: 'usr_staff' }, domainReady: true }) }));
    expect(await service().waitForIdle(arn, 5000)).toBe('succeeded');
    expect(await statesEntered(arn)).toEqual(['IsAutomatic', 'AwaitOpen', 'AwaitProvision', 'IsDomainReady', 'SubmitToVendor', 'WaitForVendor', 'CheckVendor', 'IsProvisioned', 'CompleteOrder']);
    expect(callsTo('workflowComplete')).toEqual([{ orderId: 'ord_renewal' }, { orderId: 'ord_change' }]);
  });

  it('waits at both staff gates of a manual order, then provisions and completes it', async () => {
    await setUp({ workflowCheck: vendorSucceedsOnCheck(2) });
    const arn = await start({ orderId: 'ord_manual', automatic: false });

    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');
    expect(service().history(arn)).toEqual(['IsAutomatic', 'AwaitOpen']);
    expect(callsTo('workflowGate')).toEqual([{ orderId: 'ord_manual', gate: 'open', taskToken: expect.any(String) }]);
    const openToken = lastToken();
    expect(openToken.length).toBeGreaterThanOrEqual(64);
    expect((await describe_(arn)).status).toBe('RUNNING');

    await client.send(new SendTaskHeartbeatCommand({ taskToken: openToken }));
    // The gate action's callback carries its actor: AwaitProvision's Lambda gets it to record gate 1's move if still missing.
    const opened = { gate: 'open', by: { userId: 'usr_staff' }, domainReady: true };
    await client.send(new SendTaskSuccessCommand({ taskToken: openToken, output: JSON.stringify(opened) }));
    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');
    expect(service().history(arn)).toEqual(['IsAutomatic', 'AwaitOpen', 'AwaitProvision']);
    expect(callsTo('workflowGate')[1]).toEqual({
      orderId: 'ord_manual',
      gate: 'provision',
      taskToken: expect.any(String),
      workflow: { orderId: 'ord_manual', automatic: false, gate: opened },
    });
    const provisionToken = lastToken();
    expect(provisionToken).not.toBe(openToken);

    const provisioned = { gate: 'provision', by: { userId: 'usr_staff' }, domainReady: true };
    await client.send(new SendTaskSuccessCommand({ taskToken: provisionToken, output: JSON.stringify(provisioned) }));
    expect(await service().waitForIdle(arn, 5000)).toBe('succeeded');

    expect(await statesEntered(arn)).toEqual([
      'IsAutomatic',
      'AwaitOpen',
      'AwaitProvision',
      'IsDomainReady',
      'SubmitToVendor',
      'WaitForVendor',
      'CheckVendor',
      'IsProvisioned',
      'WaitForVendor',
      'CheckVendor',
      'IsProvisioned',
      'CompleteOrder',
    ]);
    expect(callsTo('workflowCheck')).toEqual([
      { orderId: 'ord_manual', requestId: 'req_1', checks: 0 },
      { orderId: 'ord_manual', requestId: 'req_1', checks: 1 },
    ]);
    expect(callsTo('workflowComplete')).toEqual([{ orderId: 'ord_manual' }]);
    expect(callsTo('workflowFail')).toEqual([]);
    expect(callsTo('workflowGate')).toHaveLength(2);
    // SubmitToVendor's Lambda gets gate 2's callback, to record its move if still missing.
    expect(callsTo('workflowProvision')).toEqual([{ orderId: 'ord_manual', gate: provisioned }]);
    expect(await inputsOf(arn, 'IsDomainReady')).toEqual([{ orderId: 'ord_manual', automatic: false, gate: provisioned }]);
    const done = await describe_(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stopDate).toBeInstanceOf(Date);

    // A token works once.
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: openToken, output: '{}' }))).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it('runs an automatic order without gates in at most 15 state transitions', async () => {
    await setUp({ workflowCheck: vendorSucceedsOnCheck(2) });
    const arn = await start({ orderId: 'ord_auto', automatic: true });

    expect(await service().waitForIdle(arn, 5000)).toBe('succeeded');
    const states = await statesEntered(arn);
    expect(states).toEqual([
      'IsAutomatic',
      'AutoAdvance',
      'IsDomainReady',
      'SubmitToVendor',
      'WaitForVendor',
      'CheckVendor',
      'IsProvisioned',
      'WaitForVendor',
      'CheckVendor',
      'IsProvisioned',
      'CompleteOrder',
    ]);
    expect(states).toHaveLength(11);
    expect(states.length).toBeLessThanOrEqual(15);
    expect(callsTo('workflowGate')).toEqual([]);
    expect(callsTo('workflowAdvance')).toEqual([{ orderId: 'ord_auto' }]);
    // AutoAdvance keeps only {domainReady} of the Lambda's payload, in $.gate.
    expect(await inputsOf(arn, 'IsDomainReady')).toEqual([{ orderId: 'ord_auto', automatic: true, gate: { domainReady: true } }]);
    expect((await describe_(arn)).status).toBe('SUCCEEDED');
  });

  it('gives every task the execution\'s input, so each logs the correlation id it carries', async () => {
    await setUp({ workflowCheck: vendorSucceedsOnCheck(1) });
    const input = { orderId: 'ord_correlated', automatic: true, correlationId: 'req-4f1c-correlated' };
    const arn = await client
      .send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, input: JSON.stringify(input) }))
      .then((out) => out.executionArn!);
    expect(await service().waitForIdle(arn, 5000)).toBe('succeeded');
    const seen = executionsSeen();
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const execution of seen) expect(execution).toEqual(input);
  });

  it('fails the order with the vendor reason when provisioning fails', async () => {
    await setUp({
      workflowCheck: (p) => ({ requestId: p.requestId, checks: (p.checks as number) + 1, status: 'failed', reason: 'Tenant fail-acme could not be created' }),
    });
    const arn = await start({ orderId: 'ord_vendor_failed', automatic: true });

    expect(await service().waitForIdle(arn, 5000)).toBe('failed');
    expect(await statesEntered(arn)).toEqual([
      'IsAutomatic',
      'AutoAdvance',
      'IsDomainReady',
      'SubmitToVendor',
      'WaitForVendor',
      'CheckVendor',
      'IsProvisioned',
      'VendorFailed',
      'FailOrder',
      'OrderFailed',
    ]);
    expect(callsTo('workflowFail')).toEqual([
      {
        orderId: 'ord_vendor_failed',
        error: { Error: 'VendorProvisioningFailed', Cause: 'Tenant fail-acme could not be created' },
      },
    ]);
    expect(callsTo('workflowComplete')).toEqual([]);
    const failed = await describe_(arn);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'OrderFailed' });
  });

  it('retries a transient vendor error and completes', async () => {
    let attempts = 0;
    await setUp(
      {
        workflowProvision: () => {
          attempts += 1;
          if (attempts <= 2) throw namedError('VendorTransientError', 'vendor unavailable');
          return { requestId: 'req_retry' };
        },
      },
      { SubmitToVendor: 1 },
    );
    const arn = await start({ orderId: 'ord_transient', automatic: true });

    expect(await service().waitForIdle(arn, 5000)).toBe('succeeded');
    expect(callsTo('workflowProvision')).toHaveLength(3);
    expect(await statesEntered(arn)).toEqual([
      'IsAutomatic',
      'AutoAdvance',
      'IsDomainReady',
      'SubmitToVendor',
      'WaitForVendor',
      'CheckVendor',
      'IsProvisioned',
      'CompleteOrder',
    ]);
    expect(callsTo('workflowCheck')[0]).toMatchObject({ requestId: 'req_retry' });
    const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn: arn }));
    expect(events.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails?.error)).toEqual([
      'VendorTransientError',
      'VendorTransientError',
    ]);
  });

  it('fails the order at once on a permanent vendor error, with the Lambda error as reason', async () => {
    await setUp({
      workflowProvision: () => {
        throw namedError('VendorPermanentError', 'Domain fail-acme.onmicrosoft.com was refused');
      },
    });
    const arn = await start({ orderId: 'ord_permanent', automatic: true });

    expect(await service().waitForIdle(arn, 5000)).toBe('failed');
    expect(callsTo('workflowProvision')).toHaveLength(1);
    expect(await statesEntered(arn)).toEqual(['IsAutomatic', 'AutoAdvance', 'IsDomainReady', 'SubmitToVendor', 'FailOrder', 'OrderFailed']);
    const [failPayload] = callsTo('workflowFail');
    const error = failPayload!.error as { Error: string; Cause: string };
    expect(error.Error).toBe('VendorPermanentError');
    // As in AWS, the cause is the Lambda's error document.
    expect(JSON.parse(error.Cause)).toMatchObject({
      errorType: 'VendorPermanentError',
      errorMessage: 'Domain fail-acme.onmicrosoft.com was refused',
    });
    expect((await describe_(arn)).status).toBe('FAILED');
  });

  it('bounds the vendor poll loop: after 30 checks the order fails as timed out', async () => {
    await setUp({
      workflowCheck: (p) => ({ requestId: p.requestId, checks: (p.checks as number) + 1, status: 'pending', reason: null }),
    });
    const arn = await start({ orderId: 'ord_slow', automatic: true });

    expect(await service().waitForIdle(arn, 20000)).toBe('failed');
    expect(callsTo('workflowCheck')).toHaveLength(30);
    const states = await statesEntered(arn);
    expect(states.slice(0, 4)).toEqual(['IsAutomatic', 'AutoAdvance', 'IsDomainReady', 'SubmitToVendor']);
    expect(states.slice(-4)).toEqual(['IsProvisioned', 'VendorTimedOut', 'FailOrder', 'OrderFailed']);
    expect(states.filter((s) => s === 'CheckVendor')).toHaveLength(30);
    expect(callsTo('workflowFail')).toEqual([
      { orderId: 'ord_slow', error: { Error: 'VendorTimedOut', Cause: 'The vendor did not finish provisioning within 30 status checks.' } },
    ]);
  });

  it('aborts an order parked at a gate and refuses its token afterwards', async () => {
    await setUp();
    const arn = await start({ orderId: 'ord_stopped', automatic: false });
    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');
    const token = lastToken();

    await client.send(new StopExecutionCommand({ executionArn: arn, error: 'OrderCancelled', cause: 'cancelled by staff' }));
    expect(await service().waitForIdle(arn, 5000)).toBe('aborted');
    expect(await describe_(arn)).toMatchObject({ status: 'ABORTED', error: 'OrderCancelled', cause: 'cancelled by staff' });

    const refused = client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await expect(refused).rejects.toThrow();
    expect(['TaskTimedOut', 'InvalidToken']).toContain(((await refused.catch((e: unknown) => e)) as Error).name);
    expect(await statesEntered(arn)).toEqual(['IsAutomatic', 'AwaitOpen']);
    expect(callsTo('workflowFail')).toEqual([]);
  });

  it('fails the order when a gate is answered with SendTaskFailure', async () => {
    await setUp();
    const arn = await start({ orderId: 'ord_refused', automatic: false });
    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');

    await client.send(new SendTaskFailureCommand({ taskToken: lastToken(), error: 'OrderRejected', cause: 'The tenant is blocked' }));
    expect(await service().waitForIdle(arn, 5000)).toBe('failed');
    expect(await statesEntered(arn)).toEqual(['IsAutomatic', 'AwaitOpen', 'FailOrder', 'OrderFailed']);
    expect(callsTo('workflowFail')).toEqual([
      { orderId: 'ord_refused', error: { Error: 'OrderRejected', Cause: 'The tenant is blocked' } },
    ]);
    expect((await describe_(arn)).status).toBe('FAILED');
  });

  it('parks an automatic order whose domain is not ready at AwaitPartnerAcceptance until the partner gate resumes it', async () => {
    await setUp({ workflowAdvance: domainNotReady });
    const arn = await start({ orderId: 'ord_partner_auto', automatic: true });

    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');
    expect(service().history(arn)).toEqual(['IsAutomatic', 'AutoAdvance', 'IsDomainReady', 'AwaitPartnerAcceptance']);
    expect(callsTo('workflowGate')).toEqual([
      { orderId: 'ord_partner_auto', gate: 'partner', taskToken: expect.any(String), workflow: { orderId: 'ord_partner_auto', automatic: true, gate: { domainReady: false } } },
    ]);
    expect(callsTo('workflowProvision')).toEqual([]);
    expect((await describe_(arn)).status).toBe('RUNNING');

    await client.send(new SendTaskSuccessCommand({ taskToken: lastToken(), output: JSON.stringify({ accepted: true }) }));
    expect(await service().waitForIdle(arn, 5000)).toBe('succeeded');
    expect(await statesEntered(arn)).toEqual([
      'IsAutomatic',
      'AutoAdvance',
      'IsDomainReady',
      'AwaitPartnerAcceptance',
      'SubmitToVendor',
      'WaitForVendor',
      'CheckVendor',
      'IsProvisioned',
      'CompleteOrder',
    ]);
    // ResultPath null: the callback's output is dropped, the state's input passes on unchanged.
    expect(await inputsOf(arn, 'SubmitToVendor')).toEqual([
      { orderId: 'ord_partner_auto', automatic: true, gate: { domainReady: false } },
    ]);
    expect(callsTo('workflowProvision')).toEqual([{ orderId: 'ord_partner_auto', gate: { domainReady: false } }]);
    expect(callsTo('workflowComplete')).toEqual([{ orderId: 'ord_partner_auto' }]);
    expect(callsTo('workflowFail')).toEqual([]);
    expect((await describe_(arn)).status).toBe('SUCCEEDED');
  });

  it('sends a manual order to AwaitPartnerAcceptance when gate 2 says the domain is not ready', async () => {
    await setUp();
    const arn = await start({ orderId: 'ord_partner_manual', automatic: false });

    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');
    await client.send(new SendTaskSuccessCommand({ taskToken: lastToken(), output: JSON.stringify({ status: 'open' }) }));
    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');
    expect(service().history(arn)).toEqual(['IsAutomatic', 'AwaitOpen', 'AwaitProvision']);
    await client.send(new SendTaskSuccessCommand({ taskToken: lastToken(), output: JSON.stringify({ domainReady: false }) }));

    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');
    expect(service().history(arn)).toEqual(['IsAutomatic', 'AwaitOpen', 'AwaitProvision', 'IsDomainReady', 'AwaitPartnerAcceptance']);
    expect(callsTo('workflowGate').map((p) => p.gate)).toEqual(['open', 'provision', 'partner']);
    expect(callsTo('workflowGate')[2]).toEqual({
      orderId: 'ord_partner_manual',
      gate: 'partner',
      taskToken: expect.any(String),
      workflow: { orderId: 'ord_partner_manual', automatic: false, gate: { domainReady: false } },
    });
    expect(callsTo('workflowProvision')).toEqual([]);

    await client.send(new SendTaskSuccessCommand({ taskToken: lastToken(), output: '{}' }));
    expect(await service().waitForIdle(arn, 5000)).toBe('succeeded');
    expect(await statesEntered(arn)).toEqual([
      'IsAutomatic',
      'AwaitOpen',
      'AwaitProvision',
      'IsDomainReady',
      'AwaitPartnerAcceptance',
      'SubmitToVendor',
      'WaitForVendor',
      'CheckVendor',
      'IsProvisioned',
      'CompleteOrder',
    ]);
    expect(callsTo('workflowComplete')).toEqual([{ orderId: 'ord_partner_manual' }]);
  });

  it('goes straight to SubmitToVendor when the partner gate Lambda throws DomainReady', async () => {
    await setUp({ workflowAdvance: domainNotReady, workflowGate: gateSaysDomainReady });
    const arn = await start({ orderId: 'ord_partner_ready', automatic: true });

    // No parking: the execution runs through without waiting for a callback.
    expect(await service().waitForIdle(arn, 5000)).toBe('succeeded');
    expect(await statesEntered(arn)).toEqual([
      'IsAutomatic',
      'AutoAdvance',
      'IsDomainReady',
      'AwaitPartnerAcceptance',
      'SubmitToVendor',
      'WaitForVendor',
      'CheckVendor',
      'IsProvisioned',
      'CompleteOrder',
    ]);
    expect(callsTo('workflowGate')).toEqual([
      { orderId: 'ord_partner_ready', gate: 'partner', taskToken: expect.any(String), workflow: { orderId: 'ord_partner_ready', automatic: true, gate: { domainReady: false } } },
    ]);
    const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn: arn }));
    expect(events.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails?.error)).toEqual(['DomainReady']);
    // The catcher's ResultPath is null: no error is carried into SubmitToVendor.
    expect(await inputsOf(arn, 'SubmitToVendor')).toEqual([
      { orderId: 'ord_partner_ready', automatic: true, gate: { domainReady: false } },
    ]);
    expect(callsTo('workflowProvision')).toEqual([{ orderId: 'ord_partner_ready', gate: { domainReady: false } }]);
    expect(callsTo('workflowFail')).toEqual([]);
    // The token handed to the gate Lambda died with its task.
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: lastToken(), output: '{}' }))).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    expect((await describe_(arn)).status).toBe('SUCCEEDED');
  });

  it('fails the order when the partner gate is answered with SendTaskFailure', async () => {
    await setUp({ workflowAdvance: domainNotReady });
    const arn = await start({ orderId: 'ord_partner_refused', automatic: true });
    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');
    expect(service().history(arn)).toEqual(['IsAutomatic', 'AutoAdvance', 'IsDomainReady', 'AwaitPartnerAcceptance']);

    await client.send(
      new SendTaskFailureCommand({ taskToken: lastToken(), error: 'PartnerRejected', cause: 'The customer declined the partner relationship' }),
    );
    expect(await service().waitForIdle(arn, 5000)).toBe('failed');
    expect(await statesEntered(arn)).toEqual([
      'IsAutomatic',
      'AutoAdvance',
      'IsDomainReady',
      'AwaitPartnerAcceptance',
      'FailOrder',
      'OrderFailed',
    ]);
    expect(callsTo('workflowFail')).toEqual([
      { orderId: 'ord_partner_refused', error: { Error: 'PartnerRejected', Cause: 'The customer declined the partner relationship' } },
    ]);
    expect(callsTo('workflowProvision')).toEqual([]);
    expect(callsTo('workflowComplete')).toEqual([]);
    expect(await describe_(arn)).toMatchObject({ status: 'FAILED', error: 'OrderFailed' });
  });
});

describe('a resumed execution (input resumeAt: the order\'s previous execution was lost)', () => {
  it('parks a staff order that is new at gate 1 again', async () => {
    await setUp();
    const arn = await start({ orderId: 'ord_resume_new', automatic: false, resumeAt: 'open' }, 'ord_resume_new-r1');
    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');
    expect(await statesEntered(arn)).toEqual(['IsAutomatic', 'AwaitOpen']);
    expect(callsTo('workflowGate')).toEqual([{ orderId: 'ord_resume_new', gate: 'open', taskToken: expect.any(String) }]);
  });

  it('parks a staff order that is open at gate 2, without passing gate 1', async () => {
    await setUp();
    const arn = await start({ orderId: 'ord_resume_open', automatic: false, resumeAt: 'provision' }, 'ord_resume_open-r1');
    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');
    expect(service().history(arn)).toEqual(['IsAutomatic', 'AwaitProvision']);
    // No gate-1 callback in its input: the gate Lambda has no move to record.
    expect(callsTo('workflowGate')).toEqual([
      {
        orderId: 'ord_resume_open',
        gate: 'provision',
        taskToken: expect.any(String),
        workflow: { orderId: 'ord_resume_open', automatic: false, resumeAt: 'provision' },
      },
    ]);
    await client.send(new SendTaskSuccessCommand({ taskToken: lastToken(), output: JSON.stringify({ gate: 'provision', by: { userId: 'usr_staff' }, domainReady: true }) }));
    expect(await service().waitForIdle(arn, 5000)).toBe('succeeded');
    expect(await statesEntered(arn)).toEqual([
      'IsAutomatic',
      'AwaitProvision',
      'IsDomainReady',
      'SubmitToVendor',
      'WaitForVendor',
      'CheckVendor',
      'IsProvisioned',
      'CompleteOrder',
    ]);
  });

  it.each([false, true])('takes an order that is provisioning (automatic: %s) through AutoAdvance to the vendor, without a gate', async (automatic) => {
    await setUp({ workflowCheck: vendorSucceedsOnCheck(1) });
    const arn = await start({ orderId: 'ord_resume_prov', automatic, resumeAt: 'provisioning' }, 'ord_resume_prov-r1');
    expect(await service().waitForIdle(arn, 5000)).toBe('succeeded');
    expect(await statesEntered(arn)).toEqual([
      'IsAutomatic',
      'AutoAdvance',
      'IsDomainReady',
      'SubmitToVendor',
      'WaitForVendor',
      'CheckVendor',
      'IsProvisioned',
      'CompleteOrder',
    ]);
    expect(callsTo('workflowGate')).toEqual([]);
    expect(callsTo('workflowAdvance')).toEqual([{ orderId: 'ord_resume_prov' }]);
    expect(callsTo('workflowProvision')).toEqual([{ orderId: 'ord_resume_prov', gate: { domainReady: true } }]);
  });

  it('parks a provisioning order whose domain is not ready at the partner gate again', async () => {
    await setUp({ workflowAdvance: domainNotReady });
    const arn = await start({ orderId: 'ord_resume_partner', automatic: false, resumeAt: 'provisioning' }, 'ord_resume_partner-r1');
    expect(await service().waitForIdle(arn, 5000)).toBe('waiting');
    expect(await statesEntered(arn)).toEqual(['IsAutomatic', 'AutoAdvance', 'IsDomainReady', 'AwaitPartnerAcceptance']);
  });
});

describe('local Step Functions API', () => {
  it('starts an execution once per name and input', async () => {
    await setUp();
    const input = { orderId: 'ord_named', automatic: false };
    const arn = await start(input, 'ord_named');
    expect(arn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:order-fulfillment:ord_named`);
    expect(await start(input, 'ord_named')).toBe(arn);
    await expect(start({ ...input, automatic: true }, 'ord_named')).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(service().executions().map((e) => e.executionArn)).toEqual([arn]);
  });

  it('answers with the modelled exceptions', async () => {
    await setUp();
    await expect(
      client.send(new DescribeExecutionCommand({ executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:order-fulfillment:nope` })),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist', $metadata: { httpStatusCode: 400 } });
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' }))).rejects.toMatchObject({
      name: 'InvalidToken',
    });
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: `${STATE_MACHINE_ARN}-other`, input: '{}' })),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, input: '{not json' })),
    ).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
  });
});
