import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { LocalEndpoint } from './gateway.ts';

/**
 * A small Secrets Manager for the local stack: the AWS JSON 1.1 protocol (`X-Amz-Target:
 * secretsmanager.<Action>`) for what the application's SDK calls use: GetSecretValue,
 * PutSecretValue, DescribeSecret, UpdateSecretVersionStage (and CreateSecret, RotateSecret).
 * Functions reach it through `AWS_ENDPOINT_URL_SECRETS_MANAGER`, as they reach DynamoDB Local and
 * the SES emulator, so platform/keys.ts and the rotation function run unchanged. Secrets are kept
 * in `<LOCAL_DATA_DIR>/secrets.json`, so the signing keys (and the tokens they signed) survive a
 * restart. Versions carry stages as in AWS: AWSCURRENT, AWSPENDING, AWSPREVIOUS.
 *
 * RotateSecret runs the rotation function's four steps itself (`rotate`, given by local/start.ts),
 * as Secrets Manager invokes the function.
 */
interface Version {
  /** None yet: a rotation's pending version before its createSecret step put the value. */
  secretString?: string;
  stages: string[];
  createdAt: number;
}

interface StoredSecret {
  name: string;
  arn: string;
  description?: string;
  versions: Record<string, Version>;
}

export interface LocalSecrets {
  url: string;
  /** Creates the secret with a random first value (as CDK's generated one) unless it exists. */
  ensure(name: string, description: string): string;
  /** The current value of a secret. */
  current(name: string): string | undefined;
  /** Rotates a secret now, as RotateSecret does (the rotation function's four steps). */
  rotate(name: string): Promise<void>;
  close(): Promise<void>;
}

type RotateFn = (secretId: string, token: string) => Promise<void>;

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startLocalSecrets(opts: { file: string; host: string; region: string; rotate: RotateFn }): Promise<LocalSecrets> {
  const secrets: Record<string, StoredSecret> = existsSync(opts.file) ? (JSON.parse(readFileSync(opts.file, 'utf8')) as Record<string, StoredSecret>) : {};
  const save = () => {
    writeFileSync(`${opts.file}.tmp`, JSON.stringify(secrets, null, 2));
    renameSync(`${opts.file}.tmp`, opts.file);
  };
  const arnOf = (name: string) => `arn:aws:secretsmanager:${opts.region}:000000000000:secret:${name}-${randomBytes(3).toString('hex')}`;
  const find = (id: unknown): StoredSecret => {
    const found = Object.values(secrets).find((s) => s.name === id || s.arn === id);
    if (!found) throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return found;
  };
  const versionWith = (secret: StoredSecret, stage: string) => Object.entries(secret.versions).find(([, v]) => v.stages.includes(stage));
  const moveStage = (secret: StoredSecret, stage: string, to: string | undefined) => {
    for (const v of Object.values(secret.versions)) v.stages = v.stages.filter((s) => s !== stage);
    if (to) secret.versions[to]!.stages.push(stage);
  };
  const create = (name: string, secretString: string, description?: string): StoredSecret => {
    const secret: StoredSecret = { name, arn: arnOf(name), description, versions: { [randomUUID()]: { secretString, stages: ['AWSCURRENT'], createdAt: Date.now() } } };
    secrets[name] = secret;
    save();
    return secret;
  };

  const actions: Record<string, (input: Record<string, unknown>) => Promise<unknown> | unknown> = {
    CreateSecret: (input) => {
      if (Object.values(secrets).some((s) => s.name === input.Name)) throw new AwsError('ResourceExistsException', 'The secret already exists.');
      const secret = create(String(input.Name), String(input.SecretString ?? ''), input.Description as string | undefined);
      return { ARN: secret.arn, Name: secret.name, VersionId: Object.keys(secret.versions)[0] };
    },
    DescribeSecret: (input) => {
      const secret = find(input.SecretId);
      return {
        ARN: secret.arn,
        Name: secret.name,
        Description: secret.description,
        RotationEnabled: true,
        VersionIdsToStages: Object.fromEntries(Object.entries(secret.versions).filter(([, v]) => v.stages.length).map(([id, v]) => [id, v.stages])),
      };
    },
    GetSecretValue: (input) => {
      const secret = find(input.SecretId);
      const stage = (input.VersionStage as string | undefined) ?? (input.VersionId ? undefined : 'AWSCURRENT');
      const entry = input.VersionId
        ? ([input.VersionId as string, secret.versions[input.VersionId as string]] as const)
        : versionWith(secret, stage!);
      const [id, version] = entry ?? [];
      if (!id || !version || version.secretString === undefined || (stage && !version.stages.includes(stage))) {
        throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for staging label: " + (stage ?? String(input.VersionId)));
      }
      return { ARN: secret.arn, Name: secret.name, VersionId: id, SecretString: version.secretString, VersionStages: version.stages, CreatedDate: version.createdAt / 1000 };
    },
    PutSecretValue: (input) => {
      const secret = find(input.SecretId);
      const id = (input.ClientRequestToken as string | undefined) ?? randomUUID();
      const stages = (input.VersionStages as string[] | undefined) ?? ['AWSCURRENT'];
      if (secret.versions[id]?.secretString === undefined && secret.versions[id]) {
        secret.versions[id].secretString = String(input.SecretString);
      } else if (secret.versions[id]) {
        if (secret.versions[id].secretString !== input.SecretString) throw new AwsError('ResourceExistsException', 'A version with this token exists with another value.');
      } else {
        for (const stage of stages) {
          if (stage === 'AWSCURRENT') moveStage(secret, 'AWSPREVIOUS', versionWith(secret, 'AWSCURRENT')?.[0]);
          moveStage(secret, stage, undefined);
        }
        secret.versions[id] = { secretString: String(input.SecretString), stages: [...stages], createdAt: Date.now() };
      }
      save();
      return { ARN: secret.arn, Name: secret.name, VersionId: id, VersionStages: secret.versions[id].stages };
    },
    UpdateSecretVersionStage: (input) => {
      const secret = find(input.SecretId);
      const stage = String(input.VersionStage);
      const to = input.MoveToVersionId as string | undefined;
      const from = input.RemoveFromVersionId as string | undefined;
      const holder = versionWith(secret, stage)?.[0];
      if (holder && holder !== from && holder !== to) throw new AwsError('InvalidParameterException', `The staging label ${stage} is attached to version ${holder}: name it in RemoveFromVersionId.`);
      if (to && !secret.versions[to]) throw new AwsError('ResourceNotFoundException', 'No such version.');
      if (stage === 'AWSCURRENT' && from && to) moveStage(secret, 'AWSPREVIOUS', from);
      moveStage(secret, stage, to);
      // AWS drops AWSPENDING from the version that becomes current at the end of a rotation.
      if (stage === 'AWSCURRENT' && to) secret.versions[to]!.stages = secret.versions[to]!.stages.filter((s) => s !== 'AWSPENDING');
      // Versions without a stage are forgotten, as AWS deprecates them.
      for (const [id, v] of Object.entries(secret.versions)) if (!v.stages.length) delete secret.versions[id];
      save();
      return { ARN: secret.arn, Name: secret.name };
    },
    RotateSecret: async (input) => {
      const secret = find(input.SecretId);
      const token = (input.ClientRequestToken as string | undefined) ?? randomUUID();
      // As Secrets Manager does: the new version exists, staged AWSPENDING, before the function's first step.
      moveStage(secret, 'AWSPENDING', undefined);
      secret.versions[token] ??= { stages: ['AWSPENDING'], createdAt: Date.now() };
      save();
      try {
        await opts.rotate(secret.arn, token);
      } finally {
        // A rotation that failed leaves no empty version behind.
        if (secret.versions[token]?.secretString === undefined) delete secret.versions[token];
        save();
      }
      return { ARN: secret.arn, Name: secret.name, VersionId: token };
    },
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const action = String(req.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '');
      const answer = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      void (async () => {
        try {
          const run = actions[action];
          if (!run) throw new AwsError('InvalidRequestException', `Not emulated: ${action}`);
          answer(200, await run(body ? (JSON.parse(body) as Record<string, unknown>) : {}));
        } catch (err) {
          if (err instanceof AwsError) answer(err.status, { __type: err.type, message: err.message });
          else answer(500, { __type: 'InternalServiceError', message: (err as Error).message });
        }
      })();
    });
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(0, opts.host, () => {
      const address = server.address();
      resolvePort(typeof address === 'object' && address ? address.port : 0);
    });
  });

  return {
    url: `http://${opts.host}:${port}`,
    ensure(name, description) {
      // The first value is random, as the secret CDK creates; the first rotation replaces it with a key set.
      return (secrets[name] ?? create(name, randomBytes(32).toString('base64'), description)).arn;
    },
    current(name) {
      const secret = secrets[name];
      return secret && versionWith(secret, 'AWSCURRENT')?.[1].secretString;
    },
    rotate: async (name) => {
      await actions.RotateSecret!({ SecretId: name });
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * `POST /_local/keys/rotate`: rotates the signing keys now, as the 30-day schedule would (the new
 * key signs from now on, the previous one still verifies). Answers the public keys (JWKS) after it.
 */
export function keysEndpoint(rotateNow: () => Promise<unknown>): LocalEndpoint {
  return async (req, _body, url) => {
    if (url.pathname !== '/_local/keys/rotate') return undefined;
    if (req.method !== 'POST') return { status: 405, body: { error: { code: 'method_not_allowed', message: 'POST /_local/keys/rotate' } } };
    return { status: 200, body: await rotateNow() };
  };
}
